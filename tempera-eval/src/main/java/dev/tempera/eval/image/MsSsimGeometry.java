package dev.tempera.eval.image;

/**
 * Sizes at each scale of an MS-SSIM pyramid and the Gaussian window, shared by every image of one size.
 */
final class MsSsimGeometry {

    final int scales;
    final int[] width;
    final int[] height;
    /** Width and height of the "valid" filtered maps: side − window + 1. */
    final int[] validWidth;
    final int[] validHeight;
    final float[] window;
    final double[] weights;

    MsSsimGeometry(int w, int h) {
        scales = MsSsim.scales(w, h);
        weights = MsSsim.weights(scales);
        width = new int[scales];
        height = new int[scales];
        validWidth = new int[scales];
        validHeight = new int[scales];
        for (int s = 0; s < scales; s++) {
            width[s] = w;
            height[s] = h;
            validWidth[s] = w - MsSsim.WINDOW_SIZE + 1;
            validHeight[s] = h - MsSsim.WINDOW_SIZE + 1;
            // avg_pool2d(kernel 2, stride 2, padding side % 2): floor((side + 2p - 2) / 2) + 1
            w = (w + 2 * (w % 2) - 2) / 2 + 1;
            h = (h + 2 * (h % 2) - 2) / 2 + 1;
        }
        window = gaussian(MsSsim.WINDOW_SIZE, MsSsim.SIGMA);
    }

    /** exp(−x²/2σ²) at x = −size/2 … size/2, normalised to sum 1 (pytorch-msssim's {@code _fspecial_gauss_1d}). */
    static float[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double x = i - size / 2;
            g[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
            sum += g[i];
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) (g[i] / sum);
        }
        return out;
    }

    boolean sameSize(int w, int h) {
        return width[0] == w && height[0] == h;
    }
}
