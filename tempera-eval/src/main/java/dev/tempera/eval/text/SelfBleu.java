package dev.tempera.eval.text;

import dev.tempera.eval.internal.NgramIds;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Self-BLEU of a set of outputs (Zhu et al. 2018, Texygen): how much each output's n-grams reappear in the others.
 * A <b>similarity</b>: higher means less diverse; 1 − self-BLEU is a diversity.
 *
 * <p>Definition (geek-ai/Texygen {@code utils/metrics/SelfBleu.py}, eval anchors §1.5): for every output i,
 * {@link NltkSentenceBleu NLTK sentence_bleu} with all other outputs as references, weights (1/gram, …) and
 * smoothing method1; self-BLEU is the mean over i. Texygen's default gram is 3 ({@link #DEFAULT_GRAM}), which
 * makes it self-BLEU-3, not BLEU-4. Differences from Texygen, on purpose: every output is scored (Texygen's fast
 * mode samples 500), and the words come from a {@link WordSegmentation} rather than {@code nltk.word_tokenize}
 * (which keeps punctuation as tokens).
 *
 * <p>Cost: one pass over the n-grams plus O(K²) for the reference lengths, not O(K²·length): for each n-gram the
 * largest and second-largest counts over outputs are kept, so "largest count among the others" is one lookup.
 *
 * <p>What callers trip on: it needs at least two outputs (with one there is no reference, and NLTK raises);
 * an output that shares no word with any other scores 0. Stateless and thread-safe.
 *
 * <pre>{@code
 * double s = SelfBleu.score(WordSegmentation.ICU_WORDS.wordsOfAll(outputs));   // self-BLEU-3
 * }</pre>
 */
public final class SelfBleu {

    /** Texygen's default n-gram order. */
    public static final int DEFAULT_GRAM = 3;

    private SelfBleu() {
    }

    /** Self-BLEU-3 of tokenised outputs. */
    public static double score(List<List<String>> outputs) {
        return score(outputs, DEFAULT_GRAM);
    }

    /**
     * Self-BLEU with weights 1/{@code gram} over orders 1..gram.
     *
     * @throws IllegalArgumentException for fewer than 2 outputs or {@code gram} &lt; 1
     */
    public static double score(List<List<String>> outputs, int gram) {
        Objects.requireNonNull(outputs, "outputs");
        check(outputs.size(), gram);
        NgramIds ids = new NgramIds();
        return fromGrams(ids.gramsOfAll(outputs, gram), ids.size(), gram);
    }

    /** From n-gram ids of at least {@code gram} orders ({@code grams[output][order-1][position]}). */
    static double fromGrams(int[][][] grams, int idCount, int gram) {
        int k = grams.length;
        check(k, gram);
        // Per id: the largest count in one output, that output, and the second largest (another output's).
        int[] best = new int[idCount];
        int[] owner = new int[idCount];
        int[] second = new int[idCount];
        Arrays.fill(owner, -1);
        int[] count = new int[idCount];
        for (int o = 0; o < k; o++) {
            for (int n = 0; n < gram; n++) {
                int[] g = grams[o][n];
                for (int id : g) {
                    count[id]++;
                }
                for (int id : g) {
                    int c = count[id];
                    if (c == 0) {
                        continue; // already merged
                    }
                    count[id] = 0;
                    if (c > best[id]) {
                        if (owner[id] != o) {
                            second[id] = best[id];
                        }
                        best[id] = c;
                        owner[id] = o;
                    } else if (c > second[id]) {
                        second[id] = c;
                    }
                }
            }
        }
        int[] lengths = new int[k];
        for (int o = 0; o < k; o++) {
            lengths[o] = grams[o][0].length;
        }
        double sum = 0;
        int[] numerators = new int[gram];
        for (int o = 0; o < k; o++) {
            for (int n = 0; n < gram; n++) {
                int[] g = grams[o][n];
                for (int id : g) {
                    count[id]++;
                }
                int clipped = 0;
                for (int id : g) {
                    int c = count[id];
                    if (c == 0) {
                        continue;
                    }
                    count[id] = 0;
                    int othersMax = owner[id] == o ? second[id] : best[id];
                    clipped += Math.min(c, othersMax);
                }
                numerators[n] = clipped;
            }
            sum += bleu(o, grams[o], numerators, lengths, gram);
        }
        return sum / k;
    }

    private static double bleu(int o, int[][] grams, int[] numerators, int[] lengths, int gram) {
        if (numerators[0] == 0) {
            return 0.0;
        }
        int c = lengths[o];
        int r = -1;
        for (int j = 0; j < lengths.length; j++) {
            if (j == o) {
                continue;
            }
            int len = lengths[j];
            if (r < 0 || Math.abs(len - c) < Math.abs(r - c) || (Math.abs(len - c) == Math.abs(r - c) && len < r)) {
                r = len;
            }
        }
        double bp = c > r ? 1.0 : c == 0 ? 0.0 : Math.exp(1.0 - (double) r / c);
        double logSum = 0;
        for (int n = 0; n < gram; n++) {
            int denominator = Math.max(1, grams[n].length);
            double p = numerators[n] == 0 ? NltkSentenceBleu.EPSILON / denominator
                    : (double) numerators[n] / denominator;
            logSum += Math.log(p) / gram;
        }
        return bp * Math.exp(logSum);
    }

    private static void check(int outputs, int gram) {
        if (gram < 1) {
            throw new IllegalArgumentException("gram (the BLEU order) must be >= 1, but is: " + gram);
        }
        if (outputs < 2) {
            throw new IllegalArgumentException("self-BLEU needs at least 2 outputs (each is scored against the others),"
                    + " but got: " + outputs);
        }
    }
}
