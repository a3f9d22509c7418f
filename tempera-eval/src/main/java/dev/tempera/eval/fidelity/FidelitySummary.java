package dev.tempera.eval.fidelity;

import dev.tempera.shapes.Prf;
import java.util.List;
import java.util.Objects;

/**
 * Detail fidelity of a set of descriptions (the K outputs for one image, or a whole run), both ways of averaging.
 *
 * <p>Macro values are means of the per-description values; micro values pool the counts first, so long
 * descriptions weigh more. The attribute hallucination rate is reported micro (all false stated attributes over
 * all stated attributes), as CHAIR_i pools its mentions.
 *
 * @param descriptions how many descriptions, ≥ 0
 * @param pooled attribute counts summed over descriptions (micro precision / recall / F1)
 * @param meanPrecision macro precision
 * @param meanRecall macro recall
 * @param meanF1 macro F1: Tempera's DF of the set
 * @param chair object-level CHAIR_i and CHAIR_s
 */
public record FidelitySummary(int descriptions, Prf pooled, double meanPrecision, double meanRecall, double meanF1,
                              ChairScore chair) {

    public FidelitySummary {
        Objects.requireNonNull(pooled, "pooled");
        Objects.requireNonNull(chair, "chair");
        if (descriptions < 0) {
            throw new IllegalArgumentException("descriptions must be >= 0, but is: " + descriptions);
        }
        for (double v : new double[] {meanPrecision, meanRecall, meanF1}) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("mean precision, recall and F1 must be in [0, 1], but one is: " + v);
            }
        }
    }

    /** Summarises {@code scores}; an empty list gives zero counts and means of 0. */
    public static FidelitySummary of(List<FidelityScore> scores) {
        Objects.requireNonNull(scores, "scores");
        Prf pooled = new Prf(0, 0, 0);
        double p = 0;
        double r = 0;
        double f = 0;
        for (FidelityScore s : scores) {
            pooled = pooled.plus(s.attributes());
            p += s.precision();
            r += s.recall();
            f += s.f1();
        }
        int n = scores.size();
        return n == 0 ? new FidelitySummary(0, pooled, 0, 0, 0, ChairScore.of(scores))
                : new FidelitySummary(n, pooled, p / n, r / n, f / n, ChairScore.of(scores));
    }

    /** All false stated attributes over all stated attributes; 0 when nothing was stated. */
    public double hallucinationRate() {
        return pooled.hallucinationRate();
    }
}
