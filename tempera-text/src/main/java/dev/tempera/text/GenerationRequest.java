package dev.tempera.text;

import dev.tempera.sampling.SamplingParams;
import java.util.List;
import java.util.Objects;

/**
 * What to generate besides the prompt: the sampling parameters (including {@code n}, {@code max_tokens},
 * {@code min_tokens}, {@code seed}, {@code logprobs} and stop token ids), stop strings, and how text is produced.
 *
 * @param params sampling parameters; sequence {@code i} of {@code n} samples with {@link SamplingParams#forChild}
 * @param stop stop strings, matched on the detokenised text once {@code min_tokens} tokens exist; the text ends
 *     before the match (or after it with {@code includeStopStringInOutput})
 * @param includeStopStringInOutput keep the matched stop string in the text (vLLM's include_stop_str_in_output)
 * @param skipSpecialTokens leave special tokens ({@code <|im_end|>} …) out of the text (default true)
 * @param ignoreEos do not stop on the model's EOS ids (stop token ids in {@code params} still stop)
 */
public record GenerationRequest(SamplingParams params, List<String> stop, boolean includeStopStringInOutput,
                                boolean skipSpecialTokens, boolean ignoreEos) {

    public GenerationRequest {
        Objects.requireNonNull(params, "params");
        stop = List.copyOf(stop);
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i).isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty, but stop[" + i + "] is \"\"");
            }
        }
    }

    /** {@code params} with no stop strings, special tokens skipped, stopping on EOS. */
    public static GenerationRequest of(SamplingParams params) {
        return new GenerationRequest(params, List.of(), false, true, false);
    }

    public GenerationRequest withStop(List<String> stop) {
        return new GenerationRequest(params, stop, includeStopStringInOutput, skipSpecialTokens, ignoreEos);
    }

    public GenerationRequest withParams(SamplingParams p) {
        return new GenerationRequest(p, stop, includeStopStringInOutput, skipSpecialTokens, ignoreEos);
    }

    /** The length of the longest stop string (0 without stop strings). */
    int longestStop() {
        int m = 0;
        for (String s : stop) {
            m = Math.max(m, s.length());
        }
        return m;
    }
}
