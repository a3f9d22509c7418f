package dev.tempera.sampling.internal;

/**
 * What a processor may know about the sequence being sampled: its tokens so far (prompt first, then
 * generated ones), its seed, and state that adapts from step to step (mirostat's mu).
 *
 * <p>Owned by one sequence; not thread-safe. The token array is the sequence's own and must not
 * be written by processors.
 */
public final class StepContext {

    /** Draw indices: each random decision at a position has its own stream. */
    public static final int DRAW_TOKEN = 0;
    public static final int DRAW_XTC = 1;

    int[] tokens;
    int length;
    int promptLength;
    long seed;
    double mirostatMu = Double.NaN;

    public StepContext(int[] prompt, long seed, int capacityHint) {
        this.tokens = new int[Math.max(16, prompt.length + Math.min(capacityHint, 4096))];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        this.length = prompt.length;
        this.promptLength = prompt.length;
        this.seed = seed;
    }

    /** Appends a sampled token to the history. */
    public void accept(int token) {
        if (length == tokens.length) {
            tokens = java.util.Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
    }

    /** Number of tokens generated so far: the position of the token being sampled. */
    public int generated() {
        return length - promptLength;
    }

    public int length() {
        return length;
    }

    public int promptLength() {
        return promptLength;
    }

    public int token(int i) {
        return tokens[i];
    }

    public long seed() {
        return seed;
    }

    /** The uniform in [0, 1) for this position and draw: a pure function of (seed, position, draw). */
    public double uniform(int draw) {
        return Philox4x32.uniform(seed, generated(), draw);
    }

}
