package dev.tempera.sampling;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which engine's processor order and semantics the sampler reproduces.
 *
 * <p>The engines disagree, and the disagreement is visible on the same logits: llama.cpp applies
 * temperature <em>last</em> (top-k/top-p/min-p see the T = 1 distribution), transformers applies
 * min-p <em>after</em> top-p while vLLM applies it before, vLLM's and transformers' top-k keep
 * every token tied with the k-th while llama.cpp keeps exactly k. Each constant documents its chain
 * as a numbered list; parameters the engine itself does not have are slotted in at the positions
 * given in brackets.
 */
public enum ProcessorOrder {
    /**
     * vLLM's V1 sampler (the default).
     *
     * <ol>
     *   <li>allowed_token_ids mask</li>
     *   <li>bad_words (last token of each matching sequence)</li>
     *   <li>min_tokens (stop ids and EOS to -inf until reached), logit_bias</li>
     *   <li>penalties: repetition (prompt and output), frequency and presence (output only)
     *       [then no_repeat_ngram, DRY]</li>
     *   <li>greedy argmax is taken here: penalties and bias change it, nothing below does</li>
     *   <li>temperature [dynamic temperature when dynatemp_range &gt; 0]</li>
     *   <li>min-p (relative to the most likely token)</li>
     *   <li>[top-n-sigma] top-k (ties with the k-th value kept)</li>
     *   <li>top-p, measured on the top-k renormalised distribution
     *       [then typical-p, epsilon, eta, XTC; mirostat replaces 7–9]</li>
     *   <li>sample</li>
     * </ol>
     */
    VLLM("vllm"),
    /**
     * transformers' {@code generate()} ({@code GenerationMixin._get_logits_processor}).
     *
     * <ol>
     *   <li>logit_bias (sequence bias), repetition penalty (all input ids)
     *       [presence/frequency penalties on output tokens], no_repeat_ngram, bad words,
     *       min new tokens [allowed_token_ids, DRY]</li>
     *   <li>greedy argmax is taken here</li>
     *   <li>temperature, top-k (k = max(top_k, min_tokens_to_keep), ties kept), top-p, min-p,
     *       typical-p, epsilon, eta [top-n-sigma before top-k; XTC last; mirostat replaces them]</li>
     *   <li>sample</li>
     * </ol>
     */
    TRANSFORMERS("transformers"),
    /**
     * llama.cpp's default chain ({@code common_params_sampling::samplers}).
     *
     * <ol>
     *   <li>logit_bias [allowed_token_ids, bad words, min_tokens]</li>
     *   <li>penalties (repeat, frequency, presence over the same last-n window), DRY
     *       [no_repeat_ngram]</li>
     *   <li>top-n-sigma, top-k (exactly k), typical-p, top-p, min-p, XTC
     *       [epsilon, eta after min-p]</li>
     *   <li>temperature, last (dynamic temperature when dynatemp_range &gt; 0)</li>
     *   <li>sample; with mirostat 1 or 2 the chain is temperature then mirostat</li>
     * </ol>
     */
    LLAMA_CPP("llama.cpp");

    private final String id;

    ProcessorOrder(String id) {
        this.id = id;
    }

    /** The name used on the command line and in JSON: {@code vllm}, {@code transformers}, {@code llama.cpp}. */
    public String id() {
        return id;
    }

    /**
     * Parses {@code vllm}, {@code transformers} or {@code llama.cpp} (case-insensitive; {@code llamacpp}
     * and {@code llama_cpp} are accepted too).
     *
     * @throws IllegalArgumentException naming the known orders
     */
    public static ProcessorOrder parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ProcessorOrder o : values()) {
            if (o.id.equals(n) || o.name().toLowerCase(Locale.ROOT).equals(n) || o.id.replace(".", "").equals(n)) {
                return o;
            }
        }
        throw new IllegalArgumentException("Unknown order '" + name + "'; known: "
                + Arrays.toString(Arrays.stream(values()).map(ProcessorOrder::id).toArray()));
    }

    @Override
    public String toString() {
        return id;
    }
}
