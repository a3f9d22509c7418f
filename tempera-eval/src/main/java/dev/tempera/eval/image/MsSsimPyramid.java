package dev.tempera.eval.image;

import dev.tempera.runtime.image.RgbPixels;

/**
 * One image prepared for MS-SSIM: per scale and channel the plane, its Gaussian mean μ and variance σ² (valid
 * region). Computing these once per image leaves only the cross term σ_xy to compute per pair.
 */
final class MsSsimPyramid {

    private final MsSsimGeometry geometry;
    /** [scale][channel] → plane (height × width). */
    final float[][][] planes;
    /** [scale][channel] → μ over the valid region. */
    final float[][][] mu;
    /** [scale][channel] → σ² over the valid region. */
    final float[][][] variance;

    MsSsimPyramid(RgbPixels image) {
        this(image, new MsSsimGeometry(image.width(), image.height()));
    }

    MsSsimPyramid(RgbPixels image, MsSsimGeometry geometry) {
        if (!geometry.sameSize(image.width(), image.height())) {
            throw new IllegalArgumentException("image must be " + geometry.width[0] + "x" + geometry.height[0]
                    + " like the others, but is: " + image.width() + "x" + image.height());
        }
        this.geometry = geometry;
        int scales = geometry.scales;
        planes = new float[scales][3][];
        mu = new float[scales][3][];
        variance = new float[scales][3][];
        int[] rgb = image.rgb();
        int n = rgb.length;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            float[] p = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = (rgb[i] >> shift) & 0xFF;
            }
            planes[0][c] = p;
        }
        float[] scratch = new float[geometry.height[0] * geometry.validWidth[0]];
        float[] squares = new float[n];
        for (int s = 0; s < scales; s++) {
            int w = geometry.width[s];
            int h = geometry.height[s];
            int vw = geometry.validWidth[s];
            int vh = geometry.validHeight[s];
            for (int c = 0; c < 3; c++) {
                if (s > 0) {
                    planes[s][c] = downsample(planes[s - 1][c], geometry.width[s - 1], geometry.height[s - 1], w, h);
                }
                float[] x = planes[s][c];
                float[] m = new float[vw * vh];
                MsSsimKernel.filter(x, w, h, geometry.window, scratch, m);
                for (int i = 0; i < w * h; i++) {
                    squares[i] = x[i] * x[i];
                }
                float[] v = new float[vw * vh];
                MsSsimKernel.filter(squares, w, h, geometry.window, scratch, v);
                for (int i = 0; i < v.length; i++) {
                    v[i] -= m[i] * m[i];
                }
                mu[s][c] = m;
                variance[s][c] = v;
            }
        }
    }

    MsSsimGeometry geometry() {
        return geometry;
    }

    /**
     * PyTorch's {@code avg_pool2d(kernel_size=2, padding=(h % 2, w % 2))} with {@code count_include_pad=True}: window
     * i covers source rows 2i − p and 2i − p + 1, out-of-range values count as 0, the sum is divided by 4.
     */
    static float[] downsample(float[] in, int w, int h, int ow, int oh) {
        int pw = w % 2;
        int ph = h % 2;
        float[] out = new float[ow * oh];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                float sum = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int y = 2 * oy - ph + dy;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int dx = 0; dx < 2; dx++) {
                        int x = 2 * ox - pw + dx;
                        if (x >= 0 && x < w) {
                            sum += in[y * w + x];
                        }
                    }
                }
                out[oy * ow + ox] = sum / 4;
            }
        }
        return out;
    }
}
