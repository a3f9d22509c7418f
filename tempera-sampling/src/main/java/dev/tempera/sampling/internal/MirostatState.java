package dev.tempera.sampling.internal;

/** Mirostat's running target surprise mu, shared by v1 and v2: it starts at 2 tau and follows the draws. */
final class MirostatState {

    private MirostatState() {}

    /** Initialises mu on the sequence's first step. */
    static double mu(StepContext ctx, double tau) {
        if (Double.isNaN(ctx.mirostatMu)) {
            ctx.mirostatMu = 2 * tau;
        }
        return ctx.mirostatMu;
    }

    /** {@code mu -= eta * (surprise - tau)}, surprise = -log2 of the token's renormalised probability. */
    static void update(Candidates c, int token, StepContext ctx, double tau, double eta) {
        double surprise = -Math.log(c.probabilityOf(token)) / Math.log(2);
        ctx.mirostatMu -= eta * (surprise - tau);
    }
}
