package dev.tempera.runtime.image;

/**
 * An image's height and width in pixels — in that order, as Python image code (and {@code smart_resize}) returns
 * them; {@link RgbPixels} and Java's own APIs take width first.
 *
 * @param height rows, ≥ 1
 * @param width columns, ≥ 1
 */
public record ImageSize(int height, int width) {

    public ImageSize {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must both be >= 1, but are: height=" + height
                    + ", width=" + width);
        }
    }

    /** height × width. */
    public long pixels() {
        return (long) height * width;
    }

    @Override
    public String toString() {
        return "ImageSize[height=" + height + ", width=" + width + "]";
    }
}
