package dev.tempera.eval.text;

import dev.tempera.eval.internal.NgramIds;
import java.util.List;
import java.util.Objects;

/**
 * distinct-n of a set of outputs, with the counts behind every normalisation in use.
 *
 * <p>Pinned definition (eval anchors §1.4 recommendation, Tevet &amp; Berant 2021):
 * <pre>
 *   distinct-n = |∪_i ngrams_n(s_i)| / Σ_i |ngrams_n(s_i)|
 * </pre>
 * over the outputs of one prompt, n-grams never spanning two outputs. {@link #value()} is that; the other
 * definitions are available by name through {@link #value(DistinctNormalisation)}.
 *
 * <p>What callers trip on: every value is 0 (never NaN) when its denominator is 0, e.g. outputs shorter than n;
 * the tokenizer changes the numbers, so the words come from a named {@link WordSegmentation}.
 *
 * <pre>{@code
 * DistinctN d2 = DistinctN.of(outputs, 2, WordSegmentation.ICU_WORDS);
 * d2.value();                                   // Tevet: distinct / n-grams
 * d2.value(DistinctNormalisation.PER_TOKEN);    // Li et al. 2016
 * }</pre>
 *
 * @param n the n-gram order, ≥ 1
 * @param distinct distinct n-grams over the set
 * @param singletons n-grams occurring exactly once over the set
 * @param ngrams n-grams over the set, with repetition
 * @param tokens tokens over the set
 * @param sentenceMean the {@link DistinctNormalisation#SENTENCE_MEAN} value
 */
public record DistinctN(int n, int distinct, int singletons, int ngrams, int tokens, double sentenceMean) {

    public DistinctN {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, but is: " + n);
        }
        if (distinct < 0 || distinct > ngrams || singletons < 0 || singletons > distinct || tokens < ngrams) {
            throw new IllegalArgumentException("counts must satisfy 0 <= singletons <= distinct <= ngrams <= tokens, "
                    + "but are: singletons " + singletons + ", distinct " + distinct + ", ngrams " + ngrams
                    + ", tokens " + tokens);
        }
        if (!(sentenceMean >= 0 && sentenceMean <= 1)) {
            throw new IllegalArgumentException("sentenceMean must be in [0, 1], but is: " + sentenceMean);
        }
    }

    /** distinct-n over {@code outputs} cut by {@code segmentation}. */
    public static DistinctN of(List<String> outputs, int n, WordSegmentation segmentation) {
        Objects.requireNonNull(segmentation, "segmentation");
        return ofWords(segmentation.wordsOfAll(outputs), n);
    }

    /** distinct-n over already-tokenised outputs. */
    public static DistinctN ofWords(List<List<String>> outputs, int n) {
        Objects.requireNonNull(outputs, "outputs");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, but is: " + n);
        }
        NgramIds ids = new NgramIds();
        return fromGrams(n, ids.gramsOfAll(outputs, n), ids.size());
    }

    /** From n-gram ids ({@code grams[output][order-1][position]}) with ids below {@code idCount}. */
    static DistinctN fromGrams(int n, int[][][] grams, int idCount) {
        int[] count = new int[idCount];
        int[] seenIn = new int[idCount];
        java.util.Arrays.fill(seenIn, -1);
        int distinct = 0;
        int singletons = 0;
        int total = 0;
        int tokens = 0;
        double sentenceSum = 0;
        for (int o = 0; o < grams.length; o++) {
            int[] g = grams[o][n - 1];
            int length = grams[o][0].length;
            tokens += length;
            int distinctHere = 0;
            for (int id : g) {
                if (seenIn[id] != o) {
                    seenIn[id] = o;
                    distinctHere++;
                }
                int c = ++count[id];
                if (c == 1) {
                    distinct++;
                    singletons++;
                } else if (c == 2) {
                    singletons--;
                }
            }
            total += g.length;
            sentenceSum += length == 0 ? 0 : (double) distinctHere / length;
        }
        double sentenceMean = grams.length == 0 ? 0 : sentenceSum / grams.length;
        return new DistinctN(n, distinct, singletons, total, tokens, sentenceMean);
    }

    /** The pinned definition: {@link DistinctNormalisation#PER_NGRAM}. */
    public double value() {
        return value(DistinctNormalisation.PER_NGRAM);
    }

    /** The value under the named definition; 0 when its denominator is 0. */
    public double value(DistinctNormalisation normalisation) {
        Objects.requireNonNull(normalisation, "normalisation");
        return switch (normalisation) {
            case PER_NGRAM -> ratio(distinct, ngrams);
            case PER_TOKEN -> ratio(distinct, tokens);
            case SENTENCE_MEAN -> sentenceMean;
            case SINGLETONS_PER_NGRAM -> ratio(singletons, ngrams);
        };
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
