package dev.tempera.eval.reference;

import java.util.List;
import java.util.Objects;

/**
 * Argument checks shared by the reference metrics: one candidate and at least one reference per image, and tokens
 * as coco-caption's whitespace split makes them (non-empty, without whitespace), so that n-gram keys joined with
 * spaces are unambiguous.
 */
final class CaptionSets {

    private CaptionSets() {
    }

    static void check(List<List<String>> candidates, List<List<List<String>>> references) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(references, "references");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must hold at least 1 caption (one per image), but holds: 0");
        }
        if (candidates.size() != references.size()) {
            throw new IllegalArgumentException("references must hold one list per candidate (" + candidates.size()
                    + " images), but holds: " + references.size());
        }
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == null) {
                throw new IllegalArgumentException("candidates[" + i + "] must be a token list, but is: null");
            }
            checkTokens("candidates[" + i + "]", candidates.get(i));
            List<List<String>> refs = references.get(i);
            if (refs == null || refs.isEmpty()) {
                throw new IllegalArgumentException("references[" + i + "] must hold at least 1 reference caption, but "
                        + (refs == null ? "is: null" : "holds: 0"));
            }
            for (int j = 0; j < refs.size(); j++) {
                if (refs.get(j) == null) {
                    throw new IllegalArgumentException("references[" + i + "][" + j + "] must be a token list, but is: null");
                }
                checkTokens("references[" + i + "][" + j + "]", refs.get(j));
            }
        }
    }

    private static void checkTokens(String what, List<String> tokens) {
        for (int k = 0; k < tokens.size(); k++) {
            String t = tokens.get(k);
            if (t == null || t.isEmpty() || t.codePoints().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(what + "[" + k + "] must be a non-empty token without whitespace,"
                        + " but is: " + (t == null ? "null" : "'" + t + "'"));
            }
        }
    }
}
