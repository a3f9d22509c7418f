package dev.tempera.eval.image;

import dev.tempera.runtime.image.RgbPixels;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * Multi-scale structural similarity (MS-SSIM; Wang, Simoncelli &amp; Bovik, 2003) of two RGB images, in [0, 1].
 *
 * <p>Definition, following the reference implementation pytorch-msssim ({@code VainF/pytorch-msssim},
 * {@code ms_ssim}) with its defaults:
 * <ul>
 *   <li>each of R, G, B is scored separately on 0–255 values (data range 255) and the channel scores are
 *       averaged (not luminance);</li>
 *   <li>at each scale j, with an 11-tap Gaussian window (σ = 1.5) applied separably and only where it fits
 *       ("valid", no padding): μ, σ², σ_xy; c_j·s_j = mean of (2σ_xy + C2) / (σ_x² + σ_y² + C2) and
 *       SSIM = mean of (2μ_xμ_y + C1) / (μ_x² + μ_y² + C1) · that map; C1 = (0.01·255)², C2 = (0.03·255)²;</li>
 *   <li>between scales: 2×2 average pooling, padding odd sides with one zero row/column in front (PyTorch's
 *       {@code avg_pool2d(kernel 2, padding = side % 2)}, zeros counted);</li>
 *   <li>MS-SSIM = Π_{j&lt;M} relu(c_j s_j)^{w_j} · relu(SSIM_M)^{w_M} with the published weights
 *       (0.0448, 0.2856, 0.3001, 0.2363, 0.1333) for M = 5.</li>
 * </ul>
 *
 * <p>Small images: five scales need the shorter side to exceed (11 − 1)·2⁴ = 160 pixels (pytorch-msssim asserts
 * this). Smaller images use the most scales M that fit — shorter side &gt; 10·2^(M−1), so 64×64 gets 3 — with the first
 * M weights renormalised to sum to 1 (the published five sum to 1.0001 and are used unchanged). M = 1 is plain SSIM
 * (clamped at 0). Below 11 pixels no window fits and the images are refused. Scores at different M are not
 * comparable; {@link #scales} says which M a size gets.
 *
 * <p>Computed in float like the reference, with the means accumulated in double. Stateless and thread-safe.
 *
 * <pre>{@code
 * double s = MsSsim.similarity(ImageIO.read(a), ImageIO.read(b));   // 1 for identical images
 * }</pre>
 */
public final class MsSsim {

    /** Gaussian window size (odd). */
    public static final int WINDOW_SIZE = 11;
    /** Gaussian window standard deviation, pixels. */
    public static final double SIGMA = 1.5;
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;
    /** The dynamic range of the 8-bit values. */
    public static final double DATA_RANGE = 255;
    /** The most scales (the published weights). */
    public static final int MAX_SCALES = 5;

    private static final double[] PUBLISHED_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

    private MsSsim() {}

    /**
     * The scales a {@code width × height} image gets: the largest M ≤ 5 with min(width, height) &gt; 10·2^(M−1).
     *
     * @throws IllegalArgumentException if the shorter side is below 11 (the window does not fit)
     */
    public static int scales(int width, int height) {
        int side = Math.min(width, height);
        if (side < WINDOW_SIZE) {
            throw new IllegalArgumentException("MS-SSIM needs images of at least " + WINDOW_SIZE + "x" + WINDOW_SIZE
                    + " (the Gaussian window), but the image is: " + width + "x" + height);
        }
        int m = 1;
        while (m < MAX_SCALES && side > (WINDOW_SIZE - 1) * (1 << m)) {
            m++;
        }
        return m;
    }

    /** The weights used with {@code scales} scales: the published five, or the first M renormalised to sum 1. */
    public static double[] weights(int scales) {
        if (scales < 1 || scales > MAX_SCALES) {
            throw new IllegalArgumentException("scales must be in [1, " + MAX_SCALES + "], but is: " + scales);
        }
        if (scales == MAX_SCALES) {
            return PUBLISHED_WEIGHTS.clone();
        }
        double[] w = Arrays.copyOf(PUBLISHED_WEIGHTS, scales);
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i < scales; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /**
     * MS-SSIM of two images of the same size (alpha dropped, grey read as R = G = B).
     *
     * @throws IllegalArgumentException if the sizes differ or the images are smaller than 11×11
     */
    public static double similarity(BufferedImage a, BufferedImage b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return similarity(RgbPixels.of(a), RgbPixels.of(b));
    }

    /** As {@link #similarity(BufferedImage, BufferedImage)}, from pixels already read. */
    public static double similarity(RgbPixels a, RgbPixels b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("MS-SSIM compares images of one size, but they are " + a.width() + "x"
                    + a.height() + " and " + b.width() + "x" + b.height());
        }
        MsSsimPyramid pa = new MsSsimPyramid(a);
        MsSsimPyramid pb = new MsSsimPyramid(b);
        return new MsSsimKernel(pa.geometry()).similarity(pa, pb);
    }
}
