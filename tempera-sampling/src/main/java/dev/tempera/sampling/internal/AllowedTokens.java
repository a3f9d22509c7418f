package dev.tempera.sampling.internal;

import java.util.List;

/** vLLM's {@code allowed_token_ids}: every token not in the list becomes -inf. */
final class AllowedTokens implements LogitsProcessor {

    private final boolean[] allowed;
    private final int count;

    AllowedTokens(List<Integer> ids, int vocab) {
        allowed = new boolean[vocab];
        int n = 0;
        for (int id : ids) {
            TokenIds.check("allowed_token_ids", id, vocab);
            if (!allowed[id]) {
                allowed[id] = true;
                n++;
            }
        }
        count = n;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("allowed_token_ids");
        float[] d = c.dense;
        for (int i = 0; i < c.vocab; i++) {
            if (!allowed[i]) {
                d[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "allowed_token_ids(" + count + " tokens)";
    }
}
