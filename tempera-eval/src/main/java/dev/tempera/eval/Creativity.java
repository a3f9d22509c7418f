package dev.tempera.eval;

import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.image.ImageDiversityReport;

/**
 * Creativity of a set of K outputs for one input, as a documented composite that is always reported with its
 * factors: the quality-weighted Vendi score (Nguyen &amp; Dieng, 2024; vertaix/Quality-Weighted-Vendi-Score):
 * <pre>
 *   creativity = mean alignment × Vendi        in [0, K]
 *   alignment  = CLIPScore / w                 in [0, 1]   (Tempera's MDA; w = 2.5)
 *   Vendi      = effective number of distinct outputs, in [1, K]
 * </pre>
 * Read it as "the number of distinct outputs, discounted by how well they match the input": K different images
 * that all ignore the prompt score near 0, K copies of one perfect image score near 1 × 1.
 *
 * <p>No standard creativity metric exists (eval anchors §5); this composite is Tempera's own choice. Never quote
 * {@link #score()} alone: it hides which factor moved, which is why this record carries both factors.
 * {@link #perOutput()} divides by K so sets of different sizes compare.
 *
 * @param meanAlignment mean alignment in [0, 1]
 * @param vendi Vendi score in [1, outputs]
 * @param outputs K, ≥ 1
 * @param score meanAlignment × vendi
 */
public record Creativity(double meanAlignment, double vendi, int outputs, double score) {

    public Creativity {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, but is: " + outputs);
        }
        if (!(meanAlignment >= 0 && meanAlignment <= 1)) {
            throw new IllegalArgumentException("meanAlignment must be in [0, 1] (CLIPScore divided by its weight), but is: "
                    + meanAlignment);
        }
        // Vendi's eigen-solver may land a hair outside [1, K]; more than 1e-9 off is a wrong input
        if (!(vendi >= 1 - 1e-9 && vendi <= outputs + 1e-9)) {
            throw new IllegalArgumentException("vendi must be in [1, outputs=" + outputs + "], but is: " + vendi);
        }
        if (score != meanAlignment * vendi) {
            throw new IllegalArgumentException("score must be meanAlignment x vendi = " + meanAlignment * vendi
                    + ", but is: " + score + "; use Creativity.of");
        }
    }

    /** The composite of its two factors. */
    public static Creativity of(double meanAlignment, double vendi, int outputs) {
        return new Creativity(meanAlignment, vendi, outputs, meanAlignment * vendi);
    }

    /**
     * Images for one prompt: alignment from their CLIPScores against the prompt, Vendi over their CLIP image
     * embeddings.
     *
     * @throws IllegalArgumentException if the two cover different numbers of images
     */
    public static Creativity ofImages(ClipScores alignment, ImageDiversityReport diversity) {
        if (alignment.pairs().size() != diversity.images()) {
            throw new IllegalArgumentException("alignment and diversity must cover the same images, but cover "
                    + alignment.pairs().size() + " and " + diversity.images());
        }
        return of(alignment.meanAlignment(), diversity.clipVendi(), diversity.images());
    }

    /** score / outputs, in [0, 1]. */
    public double perOutput() {
        return score / outputs;
    }
}
