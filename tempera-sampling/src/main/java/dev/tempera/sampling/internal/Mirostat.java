package dev.tempera.sampling.internal;

/**
 * Mirostat v1 (Basu et al. 2021, llama.cpp's {@code mirostat}): estimates the Zipf exponent
 * {@code s} from the 100 most likely tokens, keeps the top
 * {@code k = (ε·2^μ / (1 - V^-ε))^(1/s)} with {@code ε = s - 1}, samples, then moves
 * {@code μ -= eta * (surprise - tau)}, surprise being {@code -log2} of the token's renormalised
 * probability. μ starts at {@code 2 tau} and lives in the sequence's context.
 */
final class Mirostat implements LogitsProcessor {

    private static final int M = 100;

    private final double tau;
    private final double eta;

    Mirostat(double tau, double eta) {
        this.tau = tau;
        this.eta = eta;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        double mu = MirostatState.mu(ctx, tau);
        float max = c.maxLogit();
        double z = c.expSum(max);
        int n = c.isDense ? c.vocab : c.size;
        int m = Math.min(M, n);
        float[] top = c.scratchVals(n);
        float kth = TopK.kthLargestEffective(c, m);
        int count = 0;
        for (int i = 0; i < n && count < n; i++) {
            float raw = c.isDense ? c.dense[i] : c.logits[i];
            float x = c.isDense ? raw * c.scale : raw;
            if (x >= kth && raw != Float.NEGATIVE_INFINITY) {
                top[count++] = x;
            }
        }
        java.util.Arrays.sort(top, 0, count);
        // top is ascending; walk it from the most likely.
        double sumTiBi = 0;
        double sumTiSq = 0;
        for (int i = 0; i < Math.min(m, count) - 1; i++) {
            double pI = Math.exp(top[count - 1 - i] - max) / z;
            double pNext = Math.exp(top[count - 2 - i] - max) / z;
            double ti = Math.log((i + 2) / (double) (i + 1));
            double bi = Math.log(pI / pNext);
            sumTiBi += ti * bi;
            sumTiSq += ti * ti;
        }
        double sHat = sumTiBi / sumTiSq;
        double epsHat = sHat - 1;
        double k = Math.pow((epsHat * Math.pow(2, mu)) / (1 - Math.pow(c.vocab, -epsHat)), 1 / sHat);
        int kk = Double.isNaN(k) ? 1 : (int) Math.max(1, Math.min(k, Integer.MAX_VALUE));
        TopK.keepTop(c, kk, true);
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
        return "mirostat(tau=" + tau + ", eta=" + eta + ")";
    }
}
