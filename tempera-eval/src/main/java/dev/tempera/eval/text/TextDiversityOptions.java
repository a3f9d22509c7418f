package dev.tempera.eval.text;

import java.util.Objects;

/**
 * The choices behind a {@link TextDiversityReport}; every one changes the numbers, so the report keeps them.
 *
 * @param segmentation how outputs are cut into words for every metric except the seed's own
 * @param maxN distinct-n and Ent-n are reported for n = 1..maxN, in [1, 8]
 * @param selfBleuGram self-BLEU's order (Texygen: 3), in [1, 8]
 * @param mattrWindow MATTR's window in words (lexical_diversity: 50), ≥ 1
 * @param mtldThreshold MTLD's factor threshold (McCarthy &amp; Jarvis: 0.72), in (0, 1)
 */
public record TextDiversityOptions(WordSegmentation segmentation, int maxN, int selfBleuGram, int mattrWindow,
                                   double mtldThreshold) {

    /** The most n-gram order either list may ask for; longer n-grams say little about diversity. */
    public static final int MAX_ORDER = 8;

    public TextDiversityOptions {
        Objects.requireNonNull(segmentation, "segmentation");
        if (maxN < 1 || maxN > MAX_ORDER) {
            throw new IllegalArgumentException("maxN must be in [1, " + MAX_ORDER + "], but is: " + maxN);
        }
        if (selfBleuGram < 1 || selfBleuGram > MAX_ORDER) {
            throw new IllegalArgumentException("selfBleuGram must be in [1, " + MAX_ORDER + "], but is: " + selfBleuGram
                    + " (Texygen uses 3)");
        }
        if (mattrWindow < 1) {
            throw new IllegalArgumentException("mattrWindow (words) must be >= 1, but is: " + mattrWindow);
        }
        if (!(mtldThreshold > 0 && mtldThreshold < 1)) {
            throw new IllegalArgumentException("mtldThreshold must be in (0, 1), but is: " + mtldThreshold
                    + " (McCarthy & Jarvis use 0.72)");
        }
    }

    /** ICU words, n = 1..4, self-BLEU-3, MATTR window 50, MTLD threshold 0.72. */
    public static TextDiversityOptions defaults() {
        return new TextDiversityOptions(WordSegmentation.ICU_WORDS, 4, SelfBleu.DEFAULT_GRAM, Mattr.DEFAULT_WINDOW,
                Mtld.DEFAULT_THRESHOLD);
    }

    public TextDiversityOptions withSegmentation(WordSegmentation s) {
        return new TextDiversityOptions(s, maxN, selfBleuGram, mattrWindow, mtldThreshold);
    }

    public TextDiversityOptions withMattrWindow(int window) {
        return new TextDiversityOptions(segmentation, maxN, selfBleuGram, window, mtldThreshold);
    }

    public TextDiversityOptions withSelfBleuGram(int gram) {
        return new TextDiversityOptions(segmentation, maxN, gram, mattrWindow, mtldThreshold);
    }
}
