package dev.tempera.text;

import dev.tempera.sampling.FinishReason;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One generated sequence.
 *
 * @param index which of the {@code n} sequences (0-based)
 * @param text the detokenised text (special tokens skipped unless asked; ends before a matched stop string)
 * @param tokens every generated token id, including the EOS / stop token that ended it
 * @param finishReason {@code STOP} (EOS, stop token id or stop string) or {@code LENGTH} (max_tokens or the context)
 * @param stopReason what stopped it: the stop string or the token id as text; empty for {@code LENGTH}
 * @param logprobs one entry per token (raw and processed log-probabilities, rank, top alternatives) when
 *     {@code logprobs} was requested; otherwise empty
 * @param seed the seed the sequence sampled with (drawn at random when the request had none); empty for greedy
 * @param decodeNanos wall time of this sequence's decode steps (sampling included)
 */
public record Completion(int index, String text, int[] tokens, FinishReason finishReason, String stopReason,
                         List<TokenLogprobs> logprobs, OptionalLong seed, long decodeNanos) {

    public Completion {
        Objects.requireNonNull(text, "text");
        tokens = tokens.clone();
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(stopReason, "stopReason");
        logprobs = List.copyOf(logprobs);
        Objects.requireNonNull(seed, "seed");
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Generated tokens per second of decode time (0 when no time was measured). */
    public double tokensPerSecond() {
        return decodeNanos == 0 ? 0 : tokens.length * 1e9 / decodeNanos;
    }
}
