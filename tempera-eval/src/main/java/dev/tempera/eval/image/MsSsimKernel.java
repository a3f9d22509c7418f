package dev.tempera.eval.image;

/**
 * The per-pair part of MS-SSIM: σ_xy by a separable valid Gaussian filter of x·y, then the contrast-structure and
 * SSIM means, at every scale and channel, from two {@link MsSsimPyramid}s.
 *
 * <p>Owns scratch arrays sized for the largest scale, so scoring many pairs allocates nothing; not thread-safe —
 * use one kernel per thread.
 */
final class MsSsimKernel {

    private static final double C1 = Math.pow(MsSsim.K1 * MsSsim.DATA_RANGE, 2);
    private static final double C2 = Math.pow(MsSsim.K2 * MsSsim.DATA_RANGE, 2);

    private final MsSsimGeometry geometry;
    private final float[] product;
    private final float[] horizontal;
    private final float[] row;

    MsSsimKernel(MsSsimGeometry geometry) {
        this.geometry = geometry;
        product = new float[geometry.width[0] * geometry.height[0]];
        horizontal = new float[geometry.height[0] * geometry.validWidth[0]];
        row = new float[geometry.validWidth[0]];
    }

    /** MS-SSIM of two prepared images of this kernel's size. */
    double similarity(MsSsimPyramid a, MsSsimPyramid b) {
        int scales = geometry.scales;
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double logSum = 0;
            boolean zero = false;
            for (int s = 0; s < scales; s++) {
                boolean last = s == scales - 1;
                double v = scaleTerm(a, b, s, c, last);
                // relu, as pytorch-msssim does before the powers (a negative base has no real fractional power)
                if (v <= 0) {
                    zero = true;
                    break;
                }
                logSum += geometry.weights[s] * Math.log(v);
            }
            total += zero ? 0 : Math.exp(logSum);
        }
        return Math.min(1.0, total / 3);
    }

    /** Mean contrast-structure (or, at the last scale, mean SSIM) of one channel at one scale. */
    private double scaleTerm(MsSsimPyramid a, MsSsimPyramid b, int s, int c, boolean ssim) {
        int w = geometry.width[s];
        int h = geometry.height[s];
        int vw = geometry.validWidth[s];
        int vh = geometry.validHeight[s];
        float[] x = a.planes[s][c];
        float[] y = b.planes[s][c];
        int n = w * h;
        for (int i = 0; i < n; i++) {
            product[i] = x[i] * y[i];
        }
        horizontalPass(product, w, h, geometry.window, horizontal);
        float[] mu1 = a.mu[s][c];
        float[] mu2 = b.mu[s][c];
        float[] v1 = a.variance[s][c];
        float[] v2 = b.variance[s][c];
        float[] g = geometry.window;
        int k = g.length;
        double sum = 0;
        int half = k / 2;
        float gc = g[half];
        for (int yy = 0; yy < vh; yy++) {
            int centre = (yy + half) * vw;
            for (int xx = 0; xx < vw; xx++) {
                row[xx] = gc * horizontal[centre + xx];
            }
            // the window is symmetric: g[t] = g[k − 1 − t]
            for (int t = 0; t < half; t++) {
                float gt = g[t];
                int top = (yy + t) * vw;
                int bottom = (yy + k - 1 - t) * vw;
                for (int xx = 0; xx < vw; xx++) {
                    row[xx] += gt * (horizontal[top + xx] + horizontal[bottom + xx]);
                }
            }
            int o = yy * vw;
            for (int xx = 0; xx < vw; xx++) {
                float m1 = mu1[o + xx];
                float m2 = mu2[o + xx];
                // σ_xy in float as the pyramid's σ² (v − μ·μ), so identical images give σ_xy == σ² exactly
                float cov = row[xx] - m1 * m2;
                double cs = (2.0 * cov + C2) / (v1[o + xx] + v2[o + xx] + C2);
                if (ssim) {
                    // luminance in double: exactly 1 when m1 == m2
                    cs *= (2.0 * m1 * m2 + C1) / ((double) m1 * m1 + (double) m2 * m2 + C1);
                }
                sum += cs;
            }
        }
        return sum / ((double) vw * vh);
    }

    /** Valid separable Gaussian filter of an h × w plane into a (h − k + 1) × (w − k + 1) result. */
    static void filter(float[] in, int w, int h, float[] g, float[] scratch, float[] out) {
        int k = g.length;
        int half = k / 2;
        int vw = w - k + 1;
        int vh = h - k + 1;
        horizontalPass(in, w, h, g, scratch);
        float gc = g[half];
        for (int y = 0; y < vh; y++) {
            int o = y * vw;
            int centre = (y + half) * vw;
            for (int x = 0; x < vw; x++) {
                out[o + x] = gc * scratch[centre + x];
            }
            for (int t = 0; t < half; t++) {
                float gt = g[t];
                int top = (y + t) * vw;
                int bottom = (y + k - 1 - t) * vw;
                for (int x = 0; x < vw; x++) {
                    out[o + x] += gt * (scratch[top + x] + scratch[bottom + x]);
                }
            }
        }
    }

    /**
     * Rows filtered along x: out[y][x] = Σ_t g[t]·in[y][x + t] for x in [0, w − k], written as symmetric
     * multiply-adds over whole rows so the JIT can vectorise them.
     */
    private static void horizontalPass(float[] in, int w, int h, float[] g, float[] out) {
        int k = g.length;
        int half = k / 2;
        int vw = w - k + 1;
        float gc = g[half];
        for (int y = 0; y < h; y++) {
            int ib = y * w;
            int ob = y * vw;
            for (int x = 0; x < vw; x++) {
                out[ob + x] = gc * in[ib + x + half];
            }
            for (int t = 0; t < half; t++) {
                float gt = g[t];
                int left = ib + t;
                int right = ib + k - 1 - t;
                for (int x = 0; x < vw; x++) {
                    out[ob + x] += gt * (in[left + x] + in[right + x]);
                }
            }
        }
    }
}
