package dev.tempera.sampling.internal;

/**
 * Bans every token that would complete an n-gram already in the history (transformers'
 * {@code no_repeat_ngram_size}, prompt included; vLLM's counts generated tokens only).
 */
final class NoRepeatNgram implements LogitsProcessor {

    private final int n;
    private final boolean outputOnly;

    NoRepeatNgram(int n, boolean outputOnly) {
        this.n = n;
        this.outputOnly = outputOnly;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("no_repeat_ngram");
        int from = outputOnly ? ctx.promptLength : 0;
        int len = ctx.length - from;
        if (len + 1 < n) {
            return;
        }
        int[] t = ctx.tokens;
        int prefixStart = ctx.length - (n - 1);
        for (int start = from; start + n - 1 < ctx.length; start++) {
            boolean match = true;
            for (int j = 0; j < n - 1; j++) {
                if (t[start + j] != t[prefixStart + j]) {
                    match = false;
                    break;
                }
            }
            if (match) {
                c.dense[t[start + n - 1]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "no_repeat_ngram(" + n + ")";
    }
}
