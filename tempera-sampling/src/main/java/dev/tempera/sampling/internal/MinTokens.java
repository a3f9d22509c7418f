package dev.tempera.sampling.internal;

/** Until {@code min_tokens} tokens are generated, the stop tokens (EOS included) are -inf. */
final class MinTokens implements LogitsProcessor {

    private final int minTokens;
    private final int[] stopIds;

    MinTokens(int minTokens, int[] stopIds, int vocab) {
        this.minTokens = minTokens;
        this.stopIds = stopIds.clone();
        for (int id : stopIds) {
            TokenIds.check("stop_token_ids", id, vocab);
        }
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("min_tokens");
        if (ctx.generated() < minTokens) {
            for (int id : stopIds) {
                c.dense[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "min_tokens(" + minTokens + ")";
    }
}
