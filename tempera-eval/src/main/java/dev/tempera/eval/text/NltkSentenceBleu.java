package dev.tempera.eval.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * NLTK's {@code sentence_bleu(references, hypothesis, weights=(1/N,)*N,
 * smoothing_function=SmoothingFunction().method1)}: the per-sentence BLEU that Texygen's self-BLEU averages.
 *
 * <p>Semantics (nltk {@code translate/bleu_score.py}, eval anchors §1.5):
 * <ul>
 *   <li>p_n = Σ_g min(c_hyp(g), max_r c_r(g)) / max(1, Σ_g c_hyp(g)): clipped by the largest count in any one
 *       reference;</li>
 *   <li>0 when no unigram matches (checked before smoothing);</li>
 *   <li>method1: a zero numerator becomes ε = 0.1, so p_n = 0.1 / max(1, |hyp n-grams|);</li>
 *   <li>r is the reference length closest to the hypothesis length c, ties to the shorter;
 *       BP = 1 if c &gt; r, 0 if c = 0, else exp(1 − r/c);</li>
 *   <li>BLEU = BP · exp(Σ_n (1/N) ln p_n).</li>
 * </ul>
 * This is the slow, obviously-correct form; {@link SelfBleu} computes the same numbers for a whole set faster
 * and is tested against this class. Stateless and thread-safe.
 */
public final class NltkSentenceBleu {

    /** method1's ε. */
    public static final double EPSILON = 0.1;

    private NltkSentenceBleu() {
    }

    /**
     * BLEU of {@code hypothesis} against {@code references}, orders 1..{@code maxN} weighted 1/maxN each.
     *
     * @throws IllegalArgumentException when {@code references} is empty or {@code maxN} &lt; 1
     */
    public static double score(List<String> hypothesis, List<List<String>> references, int maxN) {
        Objects.requireNonNull(hypothesis, "hypothesis");
        Objects.requireNonNull(references, "references");
        if (references.isEmpty()) {
            throw new IllegalArgumentException("references must hold at least 1 reference, but holds: 0");
        }
        if (maxN < 1) {
            throw new IllegalArgumentException("maxN (the BLEU order) must be >= 1, but is: " + maxN);
        }
        int[] numerators = new int[maxN];
        int[] denominators = new int[maxN];
        for (int n = 1; n <= maxN; n++) {
            Map<List<String>, Integer> hyp = counts(hypothesis, n);
            Map<List<String>, Integer> maxRef = new HashMap<>();
            for (List<String> ref : references) {
                counts(ref, n).forEach((g, c) -> maxRef.merge(g, c, Math::max));
            }
            int clipped = 0;
            int all = 0;
            for (Map.Entry<List<String>, Integer> e : hyp.entrySet()) {
                clipped += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                all += e.getValue();
            }
            numerators[n - 1] = clipped;
            denominators[n - 1] = Math.max(1, all);
        }
        if (numerators[0] == 0) {
            return 0.0;
        }
        int c = hypothesis.size();
        int r = closestReferenceLength(references, c);
        double bp = c > r ? 1.0 : c == 0 ? 0.0 : Math.exp(1.0 - (double) r / c);
        double logSum = 0;
        for (int n = 0; n < maxN; n++) {
            double p = numerators[n] == 0 ? EPSILON / denominators[n] : (double) numerators[n] / denominators[n];
            logSum += Math.log(p) / maxN;
        }
        return bp * Math.exp(logSum);
    }

    /** The reference length closest to {@code hypLength}; of two equally close, the shorter (nltk's key). */
    static int closestReferenceLength(List<List<String>> references, int hypLength) {
        int best = -1;
        for (List<String> ref : references) {
            int len = ref.size();
            if (best < 0 || Math.abs(len - hypLength) < Math.abs(best - hypLength)
                    || (Math.abs(len - hypLength) == Math.abs(best - hypLength) && len < best)) {
                best = len;
            }
        }
        return best;
    }

    private static Map<List<String>, Integer> counts(List<String> words, int n) {
        Map<List<String>, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            out.merge(new ArrayList<>(words.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }
}
