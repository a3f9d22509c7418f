package dev.tempera.eval.align;

import java.util.List;
import java.util.Objects;

/**
 * CLIPScores of a set of pairs and their means — the set-level modal alignment (MDA).
 *
 * <p>Per-pair clamping, then the mean (Hessel): each pair is w · max(cos, 0) before averaging. (torchmetrics'
 * {@code CLIPScore} instead averages 100 · cos and clamps the mean at 0, with another default model; the two are not
 * convertible, so never mix them.)
 *
 * @param pairs the per-pair scores, in input order, at least one
 * @param weight the w the scores were computed with
 * @param mean mean of {@code score} over the pairs, in [0, weight]
 * @param meanWholeText mean of {@code wholeTextScore} (the reference's truncation), in [0, weight]
 */
public record ClipScores(List<TextImageScore> pairs, double weight, double mean, double meanWholeText) {

    public ClipScores {
        Objects.requireNonNull(pairs, "pairs");
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("pairs must hold at least 1 score, but holds: 0");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and > 0, but is: " + weight);
        }
        pairs = List.copyOf(pairs);
        double m = meanOf(pairs, false);
        double w = meanOf(pairs, true);
        if (Math.abs(m - mean) > 1e-12 || Math.abs(w - meanWholeText) > 1e-12) {
            throw new IllegalArgumentException("mean and meanWholeText must be the means of the pairs (" + m + ", " + w
                    + "), but are: " + mean + ", " + meanWholeText + "; use ClipScores.of");
        }
    }

    /** The scores with their means computed. */
    public static ClipScores of(List<TextImageScore> pairs, double weight) {
        Objects.requireNonNull(pairs, "pairs");
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("pairs must hold at least 1 score, but holds: 0");
        }
        return new ClipScores(pairs, weight, meanOf(pairs, false), meanOf(pairs, true));
    }

    private static double meanOf(List<TextImageScore> pairs, boolean whole) {
        double sum = 0;
        for (TextImageScore s : pairs) {
            sum += whole ? s.wholeTextScore() : s.score();
        }
        return sum / pairs.size();
    }

    /** {@code mean / weight}, in [0, 1]: the alignment factor of {@link dev.tempera.eval.Creativity}. */
    public double meanAlignment() {
        return mean / weight;
    }

    /** Pairs whose text was longer than the window. */
    public long truncatedPairs() {
        return pairs.stream().filter(TextImageScore::truncated).count();
    }
}
