package dev.tempera.sampling.internal;

/**
 * Repetition, frequency and presence penalties over a window of the history.
 *
 * <p>For every token seen in the window: {@code logit = logit > 0 ? logit / rep : logit * rep}
 * (once, whatever the count; the engines write the test as {@code > 0} or {@code <= 0}, which agree
 * since 0 stays 0), then {@code logit -= freq * count + pres * (count > 0)}.
 *
 * <p>Which tokens count differs: vLLM and transformers apply the repetition penalty to prompt and
 * output tokens but frequency and presence to output tokens only ({@code outputOnlyCounts}); llama.cpp
 * counts every token in its last-n window for all three. A window of -1 is the whole history.
 */
final class Penalties implements LogitsProcessor {

    private final float repetition;
    private final float frequency;
    private final float presence;
    private final int window;
    private final boolean outputOnlyCounts;

    Penalties(double repetition, double frequency, double presence, int window, boolean outputOnlyCounts) {
        this.repetition = (float) repetition;
        this.frequency = (float) frequency;
        this.presence = (float) presence;
        this.window = window;
        this.outputOnlyCounts = outputOnlyCounts;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("penalties");
        int end = ctx.length;
        int start = window < 0 ? 0 : Math.max(0, end - window);
        int stamp = c.newStamp();
        int[] touched = c.touched(end - start);
        int distinct = 0;
        for (int i = start; i < end; i++) {
            int t = ctx.tokens[i];
            if (c.stamp[t] != stamp) {
                c.stamp[t] = stamp;
                c.counts[t] = 0;
                touched[distinct++] = t;
            }
            if (!outputOnlyCounts || i >= ctx.promptLength) {
                c.counts[t]++;
            }
        }
        for (int k = 0; k < distinct; k++) {
            int t = touched[k];
            float x = c.denseLogit(t);
            if (repetition != 1f) {
                x = x > 0 ? x / repetition : x * repetition;
            }
            int count = c.counts[t];
            x -= frequency * count + (count > 0 ? presence : 0f);
            c.setDenseLogit(t, x);
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "penalties(repetition=" + repetition + ", frequency=" + frequency + ", presence=" + presence
                + ", last_n=" + window + ")";
    }
}
