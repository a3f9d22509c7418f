package dev.tempera.sampling.internal;

/**
 * transformers' epsilon and eta sampling (Hewitt et al. 2022): removes tokens with {@code p < ε},
 * or, for eta, {@code p < η = min(ε, sqrt(ε) * exp(-H))} where H is the entropy of the candidates.
 * The {@code minKeep} most likely tokens always stay. Tested in logit space:
 * {@code logit >= max + ln ε + ln Σ exp(logit - max)}.
 */
final class EpsilonCutoff implements LogitsProcessor {

    private final double epsilon;
    private final boolean eta;
    private final int minKeep;

    EpsilonCutoff(double epsilon, boolean eta, int minKeep) {
        this.epsilon = epsilon;
        this.eta = eta;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        float max = c.maxLogit();
        double cutoff = epsilon;
        double z;
        if (eta) {
            c.expEntropy(max);
            z = c.pair[0];
            cutoff = Math.min(epsilon, Math.sqrt(epsilon) * Math.exp(-c.pair[1]));
        } else {
            z = c.expSum(max);
        }
        float threshold = (float) (max + Math.log(cutoff) + Math.log(z));
        threshold = Math.min(threshold, TopK.kthLargestEffective(c, Math.max(1, minKeep)));
        c.keepAtLeast(threshold);
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return (eta ? "eta_cutoff(" : "epsilon_cutoff(") + epsilon + ")";
    }
}
