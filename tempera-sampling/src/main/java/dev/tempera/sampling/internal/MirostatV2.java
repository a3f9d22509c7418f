package dev.tempera.sampling.internal;

/**
 * Mirostat v2 (llama.cpp's {@code mirostat_v2}): keeps the tokens whose surprise {@code -log2 p} is
 * at most μ (at least the most likely one), samples, then moves {@code μ -= eta * (surprise - tau)}
 * with the surprise of the sampled token under the renormalised kept set. μ starts at {@code 2 tau}.
 */
final class MirostatV2 implements LogitsProcessor {

    private final double tau;
    private final double eta;

    MirostatV2(double tau, double eta) {
        this.tau = tau;
        this.eta = eta;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        double mu = MirostatState.mu(ctx, tau);
        float max = c.maxLogit();
        double z = c.expSum(max);
        // -log2(e/z) <= mu  <=>  logit >= max + ln z - mu ln 2
        float threshold = (float) (max + Math.log(z) - mu * Math.log(2));
        c.keepAtLeast(Math.min(threshold, max));
    }

    @Override
    public void afterSample(Candidates c, int token, StepContext ctx) {
        MirostatState.update(c, token, ctx, tau, eta);
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "mirostat_v2(tau=" + tau + ", eta=" + eta + ")";
    }
}
