package dev.tempera.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.sampling.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The fields of a model's {@code generation_config.json} that decoding reads: the end-of-sequence ids (one or a
 * list; generation stops on any of them) and the model's default sampling settings.
 *
 * <p>Which defaults apply is the caller's choice: vLLM applies them to every request unless started with
 * {@code --generation-config vllm}; Tempera applies them only through {@link #defaultSampling()}, never silently.
 *
 * @param eosTokenIds end-of-sequence ids (may be empty)
 * @param padTokenId the padding id, when the file has one
 * @param maxNewTokens {@code max_new_tokens}, when the file has it
 * @param doSample {@code do_sample} (false = greedy, the transformers default)
 * @param temperature {@code temperature}, when present
 * @param topP {@code top_p}, when present
 * @param topK {@code top_k}, when present (0 = off)
 * @param repetitionPenalty {@code repetition_penalty}, when present
 */
public record GenerationConfig(List<Integer> eosTokenIds, OptionalInt padTokenId, OptionalInt maxNewTokens,
                               boolean doSample, OptionalDouble temperature, OptionalDouble topP, OptionalInt topK,
                               OptionalDouble repetitionPenalty) {

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
        Objects.requireNonNull(padTokenId, "padTokenId");
        Objects.requireNonNull(maxNewTokens, "maxNewTokens");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(topP, "topP");
        Objects.requireNonNull(topK, "topK");
        Objects.requireNonNull(repetitionPenalty, "repetitionPenalty");
    }

    /** No file: no EOS ids, greedy. */
    public static GenerationConfig empty() {
        return new GenerationConfig(List.of(), OptionalInt.empty(), OptionalInt.empty(), false, OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalInt.empty(), OptionalDouble.empty());
    }

    /**
     * Reads {@code generation_config.json} from {@code modelDir}; a folder without one gives {@link #empty()} with
     * the EOS id of {@code config.json} when it has one.
     *
     * @throws IllegalStateException when a file exists but is not valid JSON
     */
    public static GenerationConfig read(Path modelDir) {
        Path file = modelDir.resolve("generation_config.json");
        ObjectMapper json = new ObjectMapper();
        try {
            if (!Files.isRegularFile(file)) {
                Path config = modelDir.resolve("config.json");
                if (!Files.isRegularFile(config)) {
                    return empty();
                }
                JsonNode c = json.readTree(config.toFile());
                return new GenerationConfig(ids(c.path("eos_token_id")), OptionalInt.empty(), OptionalInt.empty(),
                        false, OptionalDouble.empty(), OptionalDouble.empty(), OptionalInt.empty(),
                        OptionalDouble.empty());
            }
            JsonNode g = json.readTree(file.toFile());
            return new GenerationConfig(ids(g.path("eos_token_id")), optInt(g, "pad_token_id"),
                    optInt(g, "max_new_tokens"), g.path("do_sample").asBoolean(false), optDouble(g, "temperature"),
                    optDouble(g, "top_p"), optInt(g, "top_k"), optDouble(g, "repetition_penalty"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The model's defaults as sampling parameters, applied the way transformers does: greedy unless
     * {@code do_sample}; otherwise its temperature, top-p, top-k and repetition penalty.
     */
    public SamplingParams defaultSampling() {
        SamplingParams.Builder b = SamplingParams.builder();
        if (!doSample) {
            b.temperature(0.0);
        } else {
            temperature.ifPresent(b::temperature);
            topP.ifPresent(b::topP);
            topK.ifPresent(b::topK);
        }
        repetitionPenalty.ifPresent(b::repetitionPenalty);
        maxNewTokens.ifPresent(b::maxTokens);
        return b.build();
    }

    private static List<Integer> ids(JsonNode node) {
        List<Integer> out = new ArrayList<>();
        if (node.isInt() || node.isLong()) {
            out.add(node.asInt());
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                out.add(n.asInt());
            }
        }
        return out;
    }

    private static OptionalInt optInt(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? OptionalInt.empty() : OptionalInt.of(v.asInt());
    }

    private static OptionalDouble optDouble(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? OptionalDouble.empty() : OptionalDouble.of(v.asDouble());
    }
}
