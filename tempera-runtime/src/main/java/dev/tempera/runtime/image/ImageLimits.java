package dev.tempera.runtime.image;

/**
 * How large an image file {@link ImageLoader} accepts, checked before anything is decoded.
 *
 * <p>What callers trip on: {@code maxPixels} is checked against the dimensions in the file's header, before the
 * pixels are decoded, so a small file that declares a huge canvas (a "decompression bomb") is refused without
 * allocating it. A decoded image takes 4 bytes per pixel ({@link RgbPixels}), so the default of 50 megapixels can
 * still mean 200 MB of heap; lower it for servers that load images from users. Pillow's own guard
 * ({@code Image.MAX_IMAGE_PIXELS}) warns above 89.5 megapixels and refuses above twice that.
 *
 * @param maxFileBytes largest accepted file (or byte array), in bytes, ≥ 1
 * @param maxPixels largest accepted width × height, ≥ 1
 */
public record ImageLimits(long maxFileBytes, long maxPixels) {

    /** 64 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** 50 megapixels (e.g. 8660 × 5773). */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    public ImageLimits {
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes must be >= 1, but is: " + maxFileBytes);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be >= 1, but is: " + maxPixels);
        }
    }

    /** 64 MiB per file and 50 megapixels per image. */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS);
    }

    /** These limits with another file-size cap. */
    public ImageLimits withMaxFileBytes(long bytes) {
        return new ImageLimits(bytes, maxPixels);
    }

    /** These limits with another pixel-count cap. */
    public ImageLimits withMaxPixels(long pixels) {
        return new ImageLimits(maxFileBytes, pixels);
    }
}
