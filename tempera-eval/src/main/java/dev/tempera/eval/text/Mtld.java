package dev.tempera.eval.text;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * MTLD, the measure of textual lexical diversity (McCarthy &amp; Jarvis 2010): the mean length of the stretches
 * of text whose type–token ratio stays above a threshold, averaged over a forward and a backward pass.
 *
 * <p>Definition (LSYS/LexicalRichness {@code mtld(threshold=0.72)} @7457b9a, eval anchors §1.3), one pass:
 * <ol>
 *   <li>grow a segment word by word; when its TTR is ≤ the threshold, count one factor and start a new segment;</li>
 *   <li>at the end, a non-empty last segment adds the partial factor (1 − TTR_last) / (1 − threshold);</li>
 *   <li>if the factor count is still 0 (no segment ever fell to the threshold and the rest has TTR 1), it is
 *       1 when the whole text's TTR is 1, else (1 − TTR_all) / (1 − threshold);</li>
 *   <li>pass value = N / factors.</li>
 * </ol>
 * MTLD = mean(forward pass, backward pass over the reversed words). This reference was chosen over
 * kristopherkyle/lexical_diversity's {@code mtld}, which resets only on TTR &lt; 0.72 after at least 10 words and
 * returns 0 for a text of all-distinct words (its {@code safe_divide} of N by 0 factors); here such a text scores
 * N, its length, as McCarthy &amp; Jarvis intend (no repetition: the whole text is one unfinished factor).
 *
 * <p>What callers trip on: values are unstable below about 100 words (McCarthy &amp; Jarvis; say so next to
 * short captions); an empty text scores 0 (the reference divides by zero). Stateless and thread-safe.
 */
public final class Mtld {

    /** McCarthy &amp; Jarvis's threshold. */
    public static final double DEFAULT_THRESHOLD = 0.72;

    private Mtld() {
    }

    /** MTLD with the threshold 0.72. */
    public static double of(List<String> words) {
        return of(words, DEFAULT_THRESHOLD);
    }

    /**
     * MTLD with the given factor threshold.
     *
     * @throws IllegalArgumentException when {@code threshold} is not in (0, 1)
     */
    public static double of(List<String> words, double threshold) {
        Objects.requireNonNull(words, "words");
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold (a type-token ratio) must be in (0, 1), but is: " + threshold
                    + " (McCarthy & Jarvis use 0.72)");
        }
        if (words.isEmpty()) {
            return 0.0;
        }
        double allTtr = (double) new HashSet<>(words).size() / words.size();
        double forward = pass(words, threshold, false, allTtr);
        double backward = pass(words, threshold, true, allTtr);
        return (forward + backward) / 2;
    }

    private static double pass(List<String> words, double threshold, boolean reverse, double allTtr) {
        int n = words.size();
        Set<String> terms = new HashSet<>();
        int counter = 0;
        double factors = 0;
        double ttr = 1;
        for (int k = 0; k < n; k++) {
            String w = words.get(reverse ? n - 1 - k : k);
            counter++;
            terms.add(w);
            ttr = (double) terms.size() / counter;
            if (ttr <= threshold) {
                counter = 0;
                terms.clear();
                factors++;
            }
        }
        if (counter > 0) {
            factors += (1 - ttr) / (1 - threshold);
        }
        if (factors == 0) {
            factors = allTtr == 1 ? 1 : (1 - allTtr) / (1 - threshold);
        }
        return n / factors;
    }
}
