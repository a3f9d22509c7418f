package dev.tempera.eval.embed;

/**
 * How an {@link OnnxSentenceEmbedder} runs.
 *
 * @param batchSize texts per model call, ≥ 1; larger batches are faster per text but pad more and use more
 *     memory (texts are sorted by length before batching, so padding stays small)
 * @param maxTokens the most tokens a text is cut to, special tokens included, ≥ 2; or {@link #MODEL_MAX_TOKENS}
 *     for the model's own: 256 for the bundled all-MiniLM-L6-v2 (its sentence-transformers
 *     {@code max_seq_length}), else {@code max_seq_length} from the folder's {@code sentence_bert_config.json},
 *     else 256
 * @param intraOpThreads ONNX Runtime intra-op threads, ≥ 0; 0 lets ORT choose (all cores)
 */
public record EmbedderOptions(int batchSize, int maxTokens, int intraOpThreads) {

    /** {@code maxTokens} value meaning "the model's own limit". */
    public static final int MODEL_MAX_TOKENS = 0;

    public EmbedderOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, but is: " + batchSize);
        }
        if (maxTokens != MODEL_MAX_TOKENS && maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be >= 2 (room for the special tokens) or "
                    + MODEL_MAX_TOKENS + " for the model's own limit, but is: " + maxTokens);
        }
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: "
                    + intraOpThreads);
        }
    }

    /** Batches of 32, the model's own token limit, ORT's thread count. */
    public static EmbedderOptions defaults() {
        return new EmbedderOptions(32, MODEL_MAX_TOKENS, 0);
    }

    public EmbedderOptions withBatchSize(int size) {
        return new EmbedderOptions(size, maxTokens, intraOpThreads);
    }

    public EmbedderOptions withMaxTokens(int tokens) {
        return new EmbedderOptions(batchSize, tokens, intraOpThreads);
    }

    public EmbedderOptions withIntraOpThreads(int threads) {
        return new EmbedderOptions(batchSize, maxTokens, threads);
    }
}
