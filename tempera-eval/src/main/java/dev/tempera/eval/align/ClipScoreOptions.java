package dev.tempera.eval.align;

import java.util.Objects;

/**
 * How {@link ClipScore} scores: the weight w in w · max(cos, 0), a text prefix, and the long-text policy.
 *
 * <p>What callers trip on: Hessel's reference prepends {@value #HESSEL_PREFIX} to every candidate (with
 * ViT-B/32); reproduce published numbers with {@link #hessel()}. The default has no prefix, because a model not
 * trained on "A photo depicts …" (the bundled shapes-clip) is only hurt by it. The prefix is tokenized as its own
 * words and counts against the 75-token window.
 *
 * @param weight w, finite and &gt; 0; 2.5 in the paper (stretches typical cosines of 0.2–0.4 over [0, 1])
 * @param prefix text put before every candidate, "" for none
 * @param longText what to do with texts over the window
 */
public record ClipScoreOptions(double weight, String prefix, LongTextPolicy longText) {

    /** The w of Hessel et al. (2021). */
    public static final double HESSEL_WEIGHT = 2.5;
    /** The prefix of jmhessel/clipscore. */
    public static final String HESSEL_PREFIX = "A photo depicts ";

    public ClipScoreOptions {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(longText, "longText");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and > 0 (Hessel uses 2.5), but is: " + weight);
        }
    }

    /** w = 2.5, no prefix, sentence mean for long texts. */
    public static ClipScoreOptions defaults() {
        return new ClipScoreOptions(HESSEL_WEIGHT, "", LongTextPolicy.SENTENCE_MEAN);
    }

    /** The reference's settings: w = 2.5, prefix {@value #HESSEL_PREFIX}, truncation. */
    public static ClipScoreOptions hessel() {
        return new ClipScoreOptions(HESSEL_WEIGHT, HESSEL_PREFIX, LongTextPolicy.TRUNCATE);
    }

    public ClipScoreOptions withLongText(LongTextPolicy policy) {
        return new ClipScoreOptions(weight, prefix, policy);
    }

    public ClipScoreOptions withPrefix(String text) {
        return new ClipScoreOptions(weight, text, longText);
    }
}
