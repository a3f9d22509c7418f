package dev.tempera.sampling;

/** Why a sequence stopped, with the names OpenAI-compatible servers use. */
public enum FinishReason {
    /** A stop token (or EOS) was sampled after {@code min_tokens}. */
    STOP("stop"),
    /** {@code max_tokens} tokens were generated. */
    LENGTH("length");

    private final String id;

    FinishReason(String id) {
        this.id = id;
    }

    /** {@code stop} or {@code length}. */
    public String id() {
        return id;
    }
}
