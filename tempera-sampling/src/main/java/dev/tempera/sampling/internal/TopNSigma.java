package dev.tempera.sampling.internal;

/**
 * llama.cpp's top-n-sigma (Tang et al. 2024): keeps tokens with
 * {@code logit >= max - n * std}, mean and population standard deviation taken over the finite
 * logits. The set does not depend on temperature (both sides scale with 1/T).
 */
final class TopNSigma implements LogitsProcessor {

    private final float n;

    TopNSigma(double n) {
        this.n = (float) n;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        int count = c.isDense ? c.vocab : c.size;
        double sum = 0;
        double sumSq = 0;
        int live = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            float raw = c.isDense ? c.dense[i] : c.logits[i];
            if (raw == Float.NEGATIVE_INFINITY) {
                continue;
            }
            float x = c.isDense ? raw * c.scale : raw;
            sum += x;
            live++;
            max = Math.max(max, x);
        }
        if (live == 0) {
            return;
        }
        double mean = sum / live;
        for (int i = 0; i < count; i++) {
            float raw = c.isDense ? c.dense[i] : c.logits[i];
            if (raw == Float.NEGATIVE_INFINITY) {
                continue;
            }
            double x = c.isDense ? raw * c.scale : raw;
            sumSq += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(sumSq / live);
        c.keepAtLeast((float) (max - n * std));
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "top_n_sigma(" + n + ")";
    }
}
