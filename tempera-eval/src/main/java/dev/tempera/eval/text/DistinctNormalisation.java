package dev.tempera.eval.text;

/**
 * The four things papers and codes call "distinct-n" (eval anchors §1.4). They give different numbers on the same
 * outputs; {@link #PER_NGRAM} is Tempera's default and the one reports name "distinct-n".
 */
public enum DistinctNormalisation {

    /**
     * |distinct n-grams over the set| / |n-grams over the set|, per response set (Tevet &amp; Berant 2021,
     * GuyTevet/diversity-eval {@code DistinctNgrams}; also DialoGPT's {@code div_score}). The default.
     */
    PER_NGRAM,

    /** |distinct n-grams over the set| / |tokens over the set|, as Li et al. (NAACL 2016) write it in the paper. */
    PER_TOKEN,

    /**
     * The mean over outputs of |distinct n-grams of the output| / |tokens of the output|, an empty output scoring 0
     * (neural-dialogue-metrics/Distinct-N, sentence level).
     */
    SENTENCE_MEAN,

    /**
     * |n-grams that occur exactly once over the set| / |n-grams over the set| (ari-holtzman/degen
     * {@code distinct_n}: +1 on first sight, −1 on the second).
     */
    SINGLETONS_PER_NGRAM
}
