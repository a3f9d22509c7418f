package dev.tempera.eval.image;

import java.util.Objects;

/**
 * The diversity of one set of images (e.g. one prompt's outputs across seeds), three ways: semantic (CLIP image
 * embeddings: mean pairwise cosine distance and Vendi score) and structural (MS-SSIM in pixel space).
 *
 * @param images the set size, ≥ 1
 * @param clipMeanCosineDistance mean over unordered pairs of 1 − cos of the CLIP image embeddings, in [0, 2] (0 for
 *     a single image)
 * @param clipVendi Vendi score (q = 1, cosine kernel) of the CLIP image embeddings, in [1, images]
 * @param pixel MS-SSIM diversity
 */
public record ImageDiversityReport(int images, double clipMeanCosineDistance, double clipVendi, MsSsimDiversity pixel) {

    public ImageDiversityReport {
        Objects.requireNonNull(pixel, "pixel");
        if (images < 1) {
            throw new IllegalArgumentException("images must be >= 1, but is: " + images);
        }
        if (pixel.images() != images) {
            throw new IllegalArgumentException("pixel diversity must cover the same " + images + " images, but covers: "
                    + pixel.images());
        }
        if (!(clipMeanCosineDistance >= 0 && clipMeanCosineDistance <= 2)) {
            throw new IllegalArgumentException("clipMeanCosineDistance must be in [0, 2], but is: " + clipMeanCosineDistance);
        }
        if (!(clipVendi >= 1 && clipVendi <= images)) {
            throw new IllegalArgumentException("clipVendi must be in [1, images=" + images + "], but is: " + clipVendi);
        }
    }

    /** Vendi per image, in [1/images, 1]: comparable across set sizes. */
    public double clipVendiPerImage() {
        return clipVendi / images;
    }
}
