package dev.tempera.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of a model's {@code config.json} the engines read. Vision-language configs nest the language model's
 * fields under {@code text_config} in newer transformers versions; both forms are read.
 *
 * @param modelType {@code model_type} ("qwen2", "qwen2_vl", "qwen2_5_vl", "llama", …)
 * @param vocabSize {@code vocab_size} (-1 when absent)
 * @param contextLength {@code max_position_embeddings} (-1 when absent)
 * @param kvHeads {@code num_key_value_heads}, else {@code num_attention_heads} (-1 when absent)
 * @param headDim {@code head_dim}, else {@code hidden_size / num_attention_heads} (-1 when unknown)
 * @param json the whole file, for model-specific fields
 */
public record ModelConfig(String modelType, int vocabSize, int contextLength, int kvHeads, int headDim, JsonNode json) {

    /**
     * Reads {@code config.json} of {@code modelDir}.
     *
     * @throws IllegalArgumentException when the folder has no config.json
     * @throws IllegalStateException when it is not valid JSON
     */
    public static ModelConfig read(Path modelDir) {
        Path file = modelDir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model folder " + modelDir + " has no config.json");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode text = root.has("text_config") ? root.get("text_config") : root;
        int heads = intField(text, root, "num_attention_heads");
        int kv = intField(text, root, "num_key_value_heads");
        int hidden = intField(text, root, "hidden_size");
        int headDim = intField(text, root, "head_dim");
        if (headDim <= 0 && hidden > 0 && heads > 0) {
            headDim = hidden / heads;
        }
        return new ModelConfig(root.path("model_type").asText(""), intField(text, root, "vocab_size"),
                intField(text, root, "max_position_embeddings"), kv > 0 ? kv : heads, headDim, root);
    }

    /** An integer field of the top level (-1 when absent). */
    public int intOr(String field, int fallback) {
        JsonNode v = json.get(field);
        return v != null && v.isNumber() ? v.asInt() : fallback;
    }

    private static int intField(JsonNode text, JsonNode root, String field) {
        JsonNode v = text.get(field);
        if (v == null || !v.isNumber()) {
            v = root.get(field);
        }
        return v != null && v.isNumber() ? v.asInt() : -1;
    }
}
