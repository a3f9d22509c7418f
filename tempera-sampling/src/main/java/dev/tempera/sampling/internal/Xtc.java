package dev.tempera.sampling.internal;

/**
 * XTC, "exclude top choices" (llama.cpp#9742): with probability {@code xtc_probability}, removes
 * every token with {@code p >= threshold} except the least likely of them, as long as at least two
 * are above the threshold and {@code minKeep} tokens remain. A threshold above 0.5 disables it.
 * The coin is drawn from the sequence's stream ({@link StepContext#DRAW_XTC}).
 */
final class Xtc implements LogitsProcessor {

    private final double probability;
    private final double threshold;
    private final int minKeep;

    Xtc(double probability, double threshold, int minKeep) {
        this.probability = probability;
        this.threshold = threshold;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        if (probability <= 0 || threshold > 0.5) {
            return;
        }
        double chance = ctx.uniform(StepContext.DRAW_XTC);
        if (chance > probability) {
            return;
        }
        int live = c.liveCount();
        if (live < 2) {
            return;
        }
        float max = c.maxLogit();
        double z = c.expSum(max);
        float cut = threshold <= 0 ? Float.NEGATIVE_INFINITY : (float) (max + Math.log(threshold) + Math.log(z));
        // The tokens above the threshold, most likely first.
        int n = c.isDense ? c.vocab : c.size;
        float[] vals = c.scratchVals(n);
        int[] ids = c.scratchIds;
        int above = 0;
        for (int i = 0; i < n; i++) {
            float raw = c.isDense ? c.dense[i] : c.logits[i];
            if (raw == Float.NEGATIVE_INFINITY) {
                continue;
            }
            float x = c.isDense ? raw * c.scale : raw;
            if (x >= cut) {
                ids[above] = c.isDense ? i : c.ids[i];
                vals[above] = x;
                above++;
            }
        }
        if (above < 2 || live - (above - 1) < minKeep) {
            return;
        }
        // Keep the least likely above the threshold (lowest logit; among ties the one ordered last,
        // i.e. the highest id); remove the others.
        int keep = 0;
        for (int i = 1; i < above; i++) {
            if (vals[i] < vals[keep] || (vals[i] == vals[keep] && ids[i] > ids[keep])) {
                keep = i;
            }
        }
        for (int i = 0; i < above; i++) {
            if (i != keep) {
                c.mask(ids[i]);
            }
        }
        if (!c.isDense) {
            c.keepAtLeast(-Float.MAX_VALUE);
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "xtc(probability=" + probability + ", threshold=" + threshold + ")";
    }
}
