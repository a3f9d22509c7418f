package dev.tempera.eval.align;

import java.util.List;
import java.util.Objects;

/**
 * The CLIPScore of one (image, text) pair, with how the text was fitted into CLIP's window.
 *
 * @param score the score under the policy, in [0, weight]: the whole-text score when the text fits or the policy is
 *     {@link LongTextPolicy#TRUNCATE}, otherwise the mean over {@code pieceScores}
 * @param wholeTextScore the score of the text truncated to the window (Hessel's reference), in [0, weight]
 * @param textTokens BPE tokens of prefix + text
 * @param tokensCut tokens the whole-text score did not see (0 when the text fits)
 * @param pieceScores the score of each sentence or window when the policy split the text; a single entry equal to
 *     {@code wholeTextScore} otherwise
 * @param policy the policy {@code score} follows
 */
public record TextImageScore(double score, double wholeTextScore, int textTokens, int tokensCut,
        List<Double> pieceScores, LongTextPolicy policy) {

    public TextImageScore {
        Objects.requireNonNull(pieceScores, "pieceScores");
        Objects.requireNonNull(policy, "policy");
        requireScore("score", score);
        requireScore("wholeTextScore", wholeTextScore);
        if (textTokens < 0 || tokensCut < 0 || tokensCut > textTokens) {
            throw new IllegalArgumentException("tokensCut must be in [0, textTokens=" + textTokens + "], but is: " + tokensCut);
        }
        if (pieceScores.isEmpty()) {
            throw new IllegalArgumentException("pieceScores must hold at least 1 score, but holds: 0");
        }
        for (int i = 0; i < pieceScores.size(); i++) {
            requireScore("pieceScores[" + i + "]", pieceScores.get(i));
        }
        pieceScores = List.copyOf(pieceScores);
    }

    private static void requireScore(String name, Double v) {
        if (v == null || !(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite score >= 0, but is: " + v);
        }
    }

    /** Whether the text was longer than the window. */
    public boolean truncated() {
        return tokensCut > 0;
    }
}
