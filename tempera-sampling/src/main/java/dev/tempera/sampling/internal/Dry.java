package dev.tempera.sampling.internal;

import java.util.List;

/**
 * DRY, "don't repeat yourself" (koboldcpp#982, llama.cpp's {@code dry} sampler): penalises the
 * token that would extend a repetition of the end of the history.
 *
 * <p>For each earlier position q in the window whose tokens, read backwards, match the end of the
 * history for L tokens (overlaps allowed), the token after q gets {@code L} as its repeat length
 * (the largest over all q). Matches never reach back past the most recent sequence breaker: L is
 * capped at the number of tokens after it. Each token with {@code L >= allowed_length} loses
 * {@code multiplier * base^(L - allowed_length)}, the exponent capped so the penalty stays finite.
 * O(window x match length) per token.
 */
final class Dry implements LogitsProcessor {

    private static final float FLOAT_MAX_LOG = 88.7228391f;

    private final float multiplier;
    private final float base;
    private final int allowedLength;
    private final int lastN;
    private final int[][] breakers;

    Dry(double multiplier, double base, int allowedLength, int lastN, List<List<Integer>> breakers, int vocab) {
        this.multiplier = (float) multiplier;
        this.base = (float) base;
        this.allowedLength = allowedLength;
        this.lastN = lastN;
        this.breakers = new int[breakers.size()][];
        for (int b = 0; b < breakers.size(); b++) {
            List<Integer> seq = breakers.get(b);
            this.breakers[b] = new int[seq.size()];
            for (int i = 0; i < seq.size(); i++) {
                TokenIds.check("dry_sequence_breakers", seq.get(i), vocab);
                this.breakers[b][i] = seq.get(i);
            }
        }
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("dry");
        if (multiplier == 0f || lastN == 0) {
            return;
        }
        int n = lastN < 0 ? ctx.length : Math.min(ctx.length, lastN);
        if (n <= allowedLength) {
            return;
        }
        int[] t = ctx.tokens;
        int end = ctx.length;
        int start = end - n;
        int repLimit = repetitionLimit(t, start, end);
        if (repLimit <= allowedLength) {
            return;
        }
        int stamp = c.newStamp();
        int[] touched = c.touched(n);
        int distinct = 0;
        for (int q = start; q < end - 1; q++) {
            int len = 0;
            while (len < repLimit && q - len >= start && t[q - len] == t[end - 1 - len]) {
                len++;
            }
            if (len >= allowedLength) {
                int next = t[q + 1];
                if (c.stamp[next] != stamp) {
                    c.stamp[next] = stamp;
                    c.counts[next] = 0;
                    touched[distinct++] = next;
                }
                c.counts[next] = Math.max(c.counts[next], len);
            }
        }
        float maxExponent = base > 1.000001f ? FLOAT_MAX_LOG / (float) Math.log(base) : 0f;
        for (int k = 0; k < distinct; k++) {
            int token = touched[k];
            float exponent = c.counts[token] - allowedLength;
            if (maxExponent > 0 && exponent > maxExponent) {
                exponent = maxExponent;
            }
            float penalty = multiplier * (float) Math.pow(base, exponent);
            c.setDenseLogit(token, c.denseLogit(token) - penalty);
        }
    }

    /** How many tokens follow the most recent sequence breaker in the window (all of them if none). */
    private int repetitionLimit(int[] t, int start, int end) {
        for (int i = 0; i < end - start; i++) {
            int headPos = end - 1 - i;
            for (int[] b : breakers) {
                int tail = b.length - 1;
                if (t[headPos] != b[0] || tail > i) {
                    continue;
                }
                boolean match = true;
                for (int j = 1; j <= tail; j++) {
                    if (t[headPos + j] != b[j]) {
                        match = false;
                        break;
                    }
                }
                if (match) {
                    return i - tail;
                }
            }
        }
        return end - start;
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "dry(multiplier=" + multiplier + ", base=" + base + ", allowed_length=" + allowedLength + ")";
    }
}
