package dev.tempera.eval.reference;

import java.util.List;
import java.util.Objects;

/**
 * A reference-based caption metric over a set of images: the corpus value and the value of each image.
 *
 * <p>For ROUGE-L and CIDEr-D the corpus value is the mean of the per-image values; for BLEU it is not (coco-caption
 * pools the n-gram counts of all images first), so do not average {@link #perImage()} and call it BLEU.
 *
 * @param metric the coco-caption name ({@code Bleu_4}, {@code ROUGE_L}, {@code CIDEr-D})
 * @param corpus the value over the whole set
 * @param perImage one value per image, in input order
 */
public record ReferenceScore(String metric, double corpus, List<Double> perImage) {

    public ReferenceScore {
        Objects.requireNonNull(metric, "metric");
        perImage = List.copyOf(perImage);
        if (!Double.isFinite(corpus)) {
            throw new IllegalArgumentException(metric + " corpus value must be finite, but is: " + corpus);
        }
    }
}
