package dev.tempera.sampling.internal;

/** Checks of token ids against the vocabulary, with the message the conventions ask for. */
final class TokenIds {

    private TokenIds() {}

    static void check(String field, int id, int vocab) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException(field + " token ids must be in [0, " + (vocab - 1) + "], but one is: " + id);
        }
    }

    /** True when the history ends with {@code seq[0..len)}. */
    static boolean endsWith(StepContext ctx, int from, int[] seq, int len) {
        int n = ctx.length - from;
        if (len > n) {
            return false;
        }
        int base = ctx.length - len;
        for (int i = 0; i < len; i++) {
            if (ctx.tokens[base + i] != seq[i]) {
                return false;
            }
        }
        return true;
    }
}
