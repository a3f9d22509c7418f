package dev.tempera.sampling.internal;

/**
 * One step of the sampling chain: reads and narrows the {@link Candidates} of the current token.
 *
 * <p>Implementations are immutable (their parameters are fixed at construction) and keep per
 * sequence state, such as mirostat's running surprise, in the {@link StepContext}. They must not
 * allocate in {@link #apply}.
 */
public interface LogitsProcessor {

    void apply(Candidates c, StepContext ctx);

    /** Called with the token drawn from what the chain left, for processors that adapt (mirostat). */
    default void afterSample(Candidates c, int token, StepContext ctx) {}

    /**
     * True when the processor cannot change which token has the largest logit, so greedy decoding
     * skips it (temperature, top-k, top-p, min-p …). Penalties, bias and masks return false.
     */
    boolean argmaxInvariant();

    /** A short description with the parameter values, e.g. {@code top_p(0.9)}. */
    String describe();
}
