package dev.tempera.runtime.image;

/**
 * Pillow's {@code Image.resize} for 8-bit RGB images, reproduced integer for integer: a separable convolution whose
 * filter widens with the downscale factor (so downscaling antialiases), coefficients normalised to sum 1 and turned
 * into 22-bit fixed point, a horizontal pass rounded and clipped to 8 bits, then a vertical pass likewise (Pillow
 * {@code libImaging/Resample.c}: {@code precompute_coeffs}, {@code normalize_coeffs_8bpc},
 * {@code ImagingResampleHorizontal_8bpc} / {@code Vertical_8bpc}, {@code ImagingResampleInner}).
 *
 * <p>How close: box, bilinear and bicubic use only IEEE arithmetic and are bit-identical to Pillow; Hamming and
 * Lanczos call {@code sin}/{@code cos}, whose last-bit rounding may differ from the C library's, which can move a
 * fixed-point coefficient by one unit and so, rarely, a pixel by one level. This is the resize transformers'
 * (slow, PIL-based) image processors do; torchvision's tensor resize and transformers' "fast" processors differ.
 *
 * <p>Stateless and thread-safe; inputs are not modified.
 */
public final class PilResize {

    static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    /**
     * Resizes packed {@code 0xRRGGBB} pixels (row-major, alpha ignored) from {@code inWidth × inHeight} to
     * {@code outWidth × outHeight}.
     *
     * @throws IllegalArgumentException if a size is not positive or the array does not hold inWidth × inHeight pixels
     */
    public static int[] resize(int[] rgb, int inWidth, int inHeight, int outWidth, int outHeight, Resample filter) {
        if (inWidth <= 0 || inHeight <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("image sizes must be positive, but are: " + inWidth + "x" + inHeight
                    + " -> " + outWidth + "x" + outHeight);
        }
        if (rgb.length != inWidth * inHeight) {
            throw new IllegalArgumentException("rgb must hold " + inWidth + "x" + inHeight + " = " + inWidth * inHeight
                    + " pixels, but holds: " + rgb.length);
        }
        boolean needHorizontal = outWidth != inWidth;
        boolean needVertical = outHeight != inHeight;
        if (!needHorizontal && !needVertical) {
            return rgb.clone();
        }
        Coefficients vertical = Coefficients.of(inHeight, outHeight, filter);
        int[] current = rgb;
        int currentWidth = inWidth;
        if (needHorizontal) {
            // only the source rows the vertical pass reads
            int firstRow = vertical.bounds[0];
            int lastRow = vertical.bounds[outHeight * 2 - 2] + vertical.bounds[outHeight * 2 - 1];
            if (needVertical) {
                for (int i = 0; i < outHeight; i++) {
                    vertical.bounds[i * 2] -= firstRow;
                }
            } else {
                firstRow = 0;
                lastRow = inHeight;
            }
            current = horizontal(rgb, inWidth, firstRow, lastRow - firstRow, outWidth,
                    Coefficients.of(inWidth, outWidth, filter));
            currentWidth = outWidth;
        }
        if (needVertical) {
            current = vertical(current, currentWidth, outHeight, vertical);
        }
        return current;
    }

    private static int[] horizontal(int[] in, int inWidth, int firstRow, int rows, int outWidth, Coefficients c) {
        int[] out = new int[outWidth * rows];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < rows; y++) {
            int rowStart = (y + firstRow) * inWidth;
            for (int xx = 0; xx < outWidth; xx++) {
                int xmin = c.bounds[xx * 2];
                int xmax = c.bounds[xx * 2 + 1];
                int k0 = xx * c.ksize;
                int r = half;
                int g = half;
                int b = half;
                for (int x = 0; x < xmax; x++) {
                    int p = in[rowStart + xmin + x];
                    int k = c.kk[k0 + x];
                    r += ((p >> 16) & 0xFF) * k;
                    g += ((p >> 8) & 0xFF) * k;
                    b += (p & 0xFF) * k;
                }
                out[y * outWidth + xx] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    private static int[] vertical(int[] in, int width, int outHeight, Coefficients c) {
        int[] out = new int[width * outHeight];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < outHeight; yy++) {
            int ymin = c.bounds[yy * 2];
            int ymax = c.bounds[yy * 2 + 1];
            int k0 = yy * c.ksize;
            for (int xx = 0; xx < width; xx++) {
                int r = half;
                int g = half;
                int b = half;
                for (int y = 0; y < ymax; y++) {
                    int p = in[(ymin + y) * width + xx];
                    int k = c.kk[k0 + y];
                    r += ((p >> 16) & 0xFF) * k;
                    g += ((p >> 8) & 0xFF) * k;
                    b += (p & 0xFF) * k;
                }
                out[yy * width + xx] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    static int clip8(int v) {
        int x = v >> PRECISION_BITS;
        return x < 0 ? 0 : Math.min(x, 255);
    }

    /** Per output pixel: first source index, tap count and fixed-point weights (Pillow's precompute_coeffs). */
    static final class Coefficients {
        final int ksize;
        final int[] bounds;
        final int[] kk;

        private Coefficients(int ksize, int[] bounds, int[] kk) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.kk = kk;
        }

        static Coefficients of(int inSize, int outSize, Resample filter) {
            // Pillow: scale = (double)(in1 - in0) / outSize with the float box (0, inSize)
            double scale = (double) (float) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] kk = new int[outSize * ksize];
            double[] k = new double[ksize];
            double ss = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double ww = 0.0;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = filter.weight((x + xmin - center + 0.5) * ss);
                    k[x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) {
                        k[x] /= ww;
                    }
                    double v = k[x];
                    kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            return new Coefficients(ksize, bounds, kk);
        }
    }
}
