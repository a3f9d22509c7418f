package dev.tempera.runtime.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.Arrays;
import java.util.Objects;

/**
 * An 8-bit RGB image as packed {@code 0xRRGGBB} ints, row-major — what PIL's {@code convert("RGB")} gives.
 *
 * <p>What callers trip on: alpha is dropped, not composited (as PIL does). 8-bit grey images are read from the
 * raster and replicated to R = G = B; Java's {@code getRGB} would instead pass them through a linear-to-sRGB
 * conversion and brighten them. Images with 16-bit samples go through Java's own conversion and may differ from
 * PIL by a level or more. Immutable: the accessor returns a copy.
 *
 * @param width pixels per row, ≥ 1
 * @param height rows, ≥ 1
 * @param rgb width × height packed pixels (bits above 24 are cleared)
 */
public record RgbPixels(int width, int height, int[] rgb) {

    public RgbPixels {
        Objects.requireNonNull(rgb, "rgb");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1x1, but is: " + width + "x" + height);
        }
        if ((long) width * height != rgb.length) {
            throw new IllegalArgumentException("rgb must hold width x height = " + (long) width * height
                    + " pixels, but holds: " + rgb.length);
        }
        rgb = rgb.clone();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] &= 0xFFFFFF;
        }
    }

    /** The pixels of {@code image} converted to RGB as PIL's {@code convert("RGB")} would. */
    public static RgbPixels of(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        int[] px = new int[w * h];
        Raster raster = image.getRaster();
        boolean gray8 = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2 && raster.getSampleModel().getSampleSize(0) == 8;
        if (gray8) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = row[x] & 0xFF;
                    px[y * w + x] = (v << 16) | (v << 8) | v;
                }
            }
        } else {
            image.getRGB(0, 0, w, h, px, 0, w);
        }
        return new RgbPixels(w, h, px);
    }

    /** A copy of the packed pixels. */
    @Override
    public int[] rgb() {
        return rgb.clone();
    }

    /** The packed pixel at (x, y). */
    public int pixel(int x, int y) {
        return rgb[y * width + x];
    }

    /** The pixels as a new {@link BufferedImage#TYPE_INT_RGB} image. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    /** Packed pixels without a copy, for this package's kernels (which never modify them). */
    int[] unsafeRgb() {
        return rgb;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbPixels p && p.width == width && p.height == height && Arrays.equals(p.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbPixels[" + width + "x" + height + "]";
    }
}
