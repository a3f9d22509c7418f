package dev.tempera.text;

/**
 * A causal language model that the decode loop ({@link Generator}) drives one token at a time. Prefill is
 * model-specific (a text prompt, or a prompt with images) and returns the first {@link DecodeState}; this
 * interface is what the loop needs after that.
 *
 * <p>Implementations: {@link dev.tempera.text.onnx.OnnxCausalLm} (decoder-only LMs in Optimum's layouts) and
 * {@link dev.tempera.text.vlm.Qwen2VlModel} (Qwen2-VL / Qwen2.5-VL in the onnx-community layout).
 */
public interface LanguageModel extends AutoCloseable {

    /** The width of the logits rows this model writes (may exceed the tokenizer's vocabulary). */
    int vocabSize();

    /** The most tokens (prompt + generated) a sequence may hold. */
    int contextLength();

    /**
     * Feeds {@code token} to {@code state}, advancing it by one position, and writes the logits of the next token
     * into {@code logits} (length {@link #vocabSize()}). Does not allocate Java arrays in steady state.
     *
     * @throws IllegalStateException when the state is full ({@link DecodeState#length()} == {@link #contextLength()})
     */
    void decode(DecodeState state, int token, float[] logits);

    /**
     * Wall time spent inside ONNX Runtime's {@code run} calls of this model so far, all graphs together (0 when the
     * model does not measure it). The decode loop reports the part spent during decoding, so that the time Tempera
     * adds per step (tensors, logits copy, sampling, detokenising) is the rest.
     */
    default long sessionNanos() {
        return 0;
    }

    @Override
    void close();
}
