package dev.tempera.lab.cli.text;

import dev.tempera.lab.cli.OrderConverter;
import dev.tempera.sampling.ProcessorOrder;
import dev.tempera.sampling.SamplingParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The sampling flags of {@code generate} and {@code describe}, mixed in with {@code @Mixin}. Every flag is optional:
 * what is not given comes from the layer below, merged in one step by {@link #merge}: Tempera's defaults ← the
 * model's generation_config.json (as transformers reads it: greedy unless {@code do_sample}) ← a configuration file
 * entry ← these flags.
 */
public final class SamplingOptions {

    @Option(names = "--temperature", paramLabel = "T", order = 10, description = "Temperature; 0 = greedy.")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", order = 11, description = "Nucleus mass in (0, 1]; 1 = off.")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K", order = 12, description = "Keep the K most likely tokens; 0 = off.")
    Integer topK;

    @Option(names = "--min-p", paramLabel = "P", order = 13, description = "Min-p in [0, 1]; 0 = off.")
    Double minP;

    @Option(names = "--typical-p", paramLabel = "P", order = 14, description = "Typical-p in (0, 1]; 1 = off.")
    Double typicalP;

    @Option(names = "--repetition-penalty", paramLabel = "R", order = 15, description = "> 0; 1 = off.")
    Double repetitionPenalty;

    @Option(names = "--presence-penalty", paramLabel = "P", order = 16, description = "In [-2, 2]; 0 = off.")
    Double presencePenalty;

    @Option(names = "--frequency-penalty", paramLabel = "F", order = 17, description = "In [-2, 2]; 0 = off.")
    Double frequencyPenalty;

    @Option(names = "--order", paramLabel = "ENGINE", order = 18, converter = OrderConverter.class,
            completionCandidates = OrderConverter.Names.class,
            description = "Processor order to reproduce: ${COMPLETION-CANDIDATES} (default vllm).")
    ProcessorOrder order;

    @Option(names = "--seed", paramLabel = "N", order = 19,
            description = "Seed; sequence i of --n uses seed + i. Without one a random seed is drawn and reported.")
    Long seed;

    @Option(names = "--max-tokens", paramLabel = "N", order = 20,
            description = "Most tokens to generate (default: the model's max_new_tokens, else 256).")
    Integer maxTokens;

    @Option(names = "--min-tokens", paramLabel = "N", order = 21, description = "No EOS or stop string before N tokens.")
    Integer minTokens;

    @Option(names = "--logprobs", paramLabel = "N", order = 22,
            description = "Report each token's log-probabilities and its N most likely alternatives (0 = the token only).")
    Integer logprobs;

    @Option(names = "--stop", paramLabel = "TEXT", order = 23,
            description = "Stop string (repeatable); the text ends before it.")
    List<String> stop = List.of();

    @Option(names = "--include-stop-str", order = 24,
            description = "Keep a matched stop string at the end of the text (vLLM's include_stop_str_in_output).")
    boolean includeStopString;

    @Option(names = "--ignore-eos", order = 24, description = "Do not stop at the model's end-of-sequence tokens.")
    boolean ignoreEos;

    /** The request for {@code params} with this command's stop strings and flags. */
    public dev.tempera.text.GenerationRequest request(SamplingParams params) {
        return new dev.tempera.text.GenerationRequest(params, stop, includeStopString, true, ignoreEos);
    }

    /**
     * Merges {@code base} ← {@code file} (a configuration entry with JSON parameter names; may be empty) ← the flags
     * given, and validates the result once.
     *
     * @throws IllegalArgumentException naming the parameter, its allowed range and the value
     */
    public SamplingParams merge(SamplingParams base, Map<String, ?> file) {
        Map<String, Object> m = new LinkedHashMap<>(base.toMap());
        m.putAll(file);
        put(m, "temperature", temperature);
        put(m, "top_p", topP);
        put(m, "top_k", topK);
        put(m, "min_p", minP);
        put(m, "typical_p", typicalP);
        put(m, "repetition_penalty", repetitionPenalty);
        put(m, "presence_penalty", presencePenalty);
        put(m, "frequency_penalty", frequencyPenalty);
        put(m, "order", order == null ? null : order.id());
        put(m, "seed", seed);
        put(m, "max_tokens", maxTokens);
        put(m, "min_tokens", minTokens);
        put(m, "logprobs", logprobs);
        return SamplingParams.fromMap(m);
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
