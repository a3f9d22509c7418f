package dev.tempera.eval.image;

import dev.tempera.runtime.image.RgbPixels;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pixel-space diversity of a set of images: 1 − the mean {@link MsSsim} over all unordered pairs, in [0, 1]. 0 when
 * every image is the same; higher when they differ in structure (the usual "MS-SSIM diversity" of GAN papers, which
 * report the mean MS-SSIM itself — lower is more diverse).
 *
 * <p>What callers trip on: all images must share one size; a single image has no pair and gets diversity 0 (and mean
 * similarity 1), never NaN. {@code scales} tells how many MS-SSIM scales the size allowed (3 for 64×64), since scores
 * at different scales are not comparable. Cost: N(N−1)/2 pairs, each one filtered product per scale and channel
 * (the per-image means and variances are computed once); single-threaded, no allocation per pair.
 *
 * @param images how many images were compared, ≥ 1
 * @param pairs N(N−1)/2
 * @param scales MS-SSIM scales used
 * @param meanSimilarity mean pairwise MS-SSIM in [0, 1] (1 with no pair)
 * @param diversity 1 − meanSimilarity
 */
public record MsSsimDiversity(int images, long pairs, int scales, double meanSimilarity, double diversity) {

    public MsSsimDiversity {
        if (images < 1) {
            throw new IllegalArgumentException("images must be >= 1, but is: " + images);
        }
        if (pairs != (long) images * (images - 1) / 2) {
            throw new IllegalArgumentException("pairs must be images(images-1)/2 = " + (long) images * (images - 1) / 2
                    + ", but is: " + pairs);
        }
        if (scales < 1 || scales > MsSsim.MAX_SCALES) {
            throw new IllegalArgumentException("scales must be in [1, 5], but is: " + scales);
        }
        if (!(meanSimilarity >= 0 && meanSimilarity <= 1)) {
            throw new IllegalArgumentException("meanSimilarity must be in [0, 1], but is: " + meanSimilarity);
        }
        if (Math.abs(diversity - (1 - meanSimilarity)) > 1e-12) {
            throw new IllegalArgumentException("diversity must be 1 - meanSimilarity = " + (1 - meanSimilarity)
                    + ", but is: " + diversity);
        }
    }

    /**
     * The diversity of {@code images}.
     *
     * @throws IllegalArgumentException if the list is empty, holds null, or the images differ in size or are
     *     smaller than 11×11
     */
    public static MsSsimDiversity of(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        List<RgbPixels> pixels = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
            }
            pixels.add(RgbPixels.of(img));
        }
        return ofPixels(pixels);
    }

    /** As {@link #of}, from pixels already read. */
    public static MsSsimDiversity ofPixels(List<RgbPixels> images) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images must hold at least 1 image, but holds: 0");
        }
        RgbPixels first = images.get(0);
        if (first == null) {
            throw new IllegalArgumentException("images[0] must be an image, but is: null");
        }
        MsSsimGeometry geometry = new MsSsimGeometry(first.width(), first.height());
        MsSsimPyramid[] pyramids = new MsSsimPyramid[images.size()];
        for (int i = 0; i < pyramids.length; i++) {
            RgbPixels img = images.get(i);
            if (img == null) {
                throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
            }
            if (!geometry.sameSize(img.width(), img.height())) {
                throw new IllegalArgumentException("images must all be " + first.width() + "x" + first.height()
                        + " (the size of images[0]), but images[" + i + "] is: " + img.width() + "x" + img.height());
            }
            pyramids[i] = new MsSsimPyramid(img, geometry);
        }
        int n = pyramids.length;
        long pairs = (long) n * (n - 1) / 2;
        if (pairs == 0) {
            return new MsSsimDiversity(1, 0, geometry.scales, 1.0, 0.0);
        }
        MsSsimKernel kernel = new MsSsimKernel(geometry);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sum += kernel.similarity(pyramids[i], pyramids[j]);
            }
        }
        double mean = Math.max(0, Math.min(1, sum / pairs));
        return new MsSsimDiversity(n, pairs, geometry.scales, mean, 1 - mean);
    }
}
