package dev.tempera.sampling.internal;

/**
 * Keeps the tokens with {@code p >= min_p * p_max}, tested in logit space as
 * {@code logit >= max_logit + ln(min_p)}: one pass, no softmax. At least {@code minKeep} tokens stay
 * (transformers and llama.cpp; vLLM passes 1).
 */
final class MinP implements LogitsProcessor {

    private final float minP;
    private final float logMinP;
    private final int minKeep;

    MinP(double minP, int minKeep) {
        this.minP = (float) minP;
        this.logMinP = (float) Math.log(minP);
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        float max = c.maxLogit();
        float threshold = max + logMinP;
        if (minKeep <= 1) {
            c.keepAtLeast(threshold);
            return;
        }
        // Keep exactly min_keep (by logit, ties by id) when fewer pass, as transformers and llama.cpp do.
        c.keepAtLeast(Math.min(threshold, TopK.kthLargestEffective(c, minKeep)));
        int passing = 0;
        for (int i = 0; i < c.size; i++) {
            if (c.logits[i] >= threshold) {
                passing++;
            }
        }
        if (passing >= minKeep) {
            c.keepAtLeast(threshold);
        } else {
            c.sortDescending();
            c.truncate(minKeep);
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "min_p(" + minP + ")";
    }
}
