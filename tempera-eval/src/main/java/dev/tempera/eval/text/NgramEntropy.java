package dev.tempera.eval.text;

import dev.tempera.eval.internal.NgramIds;
import java.util.List;
import java.util.Objects;

/**
 * Ent-n: the Shannon entropy, in nats, of the n-gram distribution pooled over a set of outputs.
 *
 * <p>Definition (microsoft/DialoGPT {@code gpt2_training/eval_utils.py} {@code cal_entropy}, eval anchors §1.6):
 * with v_g the count of n-gram g over all outputs and total = Σ_g v_g + 10⁻¹⁰,
 * <pre>
 *   Ent-n = −Σ_g (v_g / total) · ln(v_g / total)
 * </pre>
 * The 10⁻¹⁰ is the reference's own guard and is kept for parity (it moves values by about 10⁻¹⁰). n-grams never
 * span two outputs.
 *
 * <p>What callers trip on: the unit is nats (natural log); some papers use bits (divide by ln 2). With no n-grams
 * the entropy is 0. It grows with the amount of text, so compare sets of similar size. Stateless and thread-safe.
 */
public final class NgramEntropy {

    /** The reference's additive guard on the total. */
    static final double TOTAL_GUARD = 1e-10;

    private NgramEntropy() {
    }

    /** Ent-n of tokenised outputs, in nats. */
    public static double of(List<List<String>> outputs, int n) {
        Objects.requireNonNull(outputs, "outputs");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, but is: " + n);
        }
        NgramIds ids = new NgramIds();
        return fromGrams(n, ids.gramsOfAll(outputs, n), ids.size());
    }

    static double fromGrams(int n, int[][][] grams, int idCount) {
        int[] count = new int[idCount];
        long all = 0;
        for (int[][] output : grams) {
            for (int id : output[n - 1]) {
                count[id]++;
            }
            all += output[n - 1].length;
        }
        if (all == 0) {
            return 0.0;
        }
        double total = all + TOTAL_GUARD;
        double h = 0;
        for (int c : count) {
            if (c > 0) {
                double p = c / total;
                h -= p * Math.log(p);
            }
        }
        return Math.max(0.0, h);
    }
}
