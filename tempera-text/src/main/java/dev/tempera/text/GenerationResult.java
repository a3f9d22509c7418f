package dev.tempera.text;

import java.util.List;

/**
 * The outcome of one prompt: its sequences and timings.
 *
 * @param promptTokens the number of prompt tokens (after image-token expansion)
 * @param completions the {@code n} sequences, in index order
 * @param prefillNanos wall time of the prompt pass (vision encoder included), run once for all sequences
 * @param decodeNanos wall time of all decode steps of all sequences
 * @param decodeSessionNanos the part of {@code decodeNanos} spent inside ONNX Runtime's run calls (0 when the model
 *     does not measure it); the rest is what Tempera adds per step: tensors, logits copy, sampling, detokenising
 */
public record GenerationResult(int promptTokens, List<Completion> completions, long prefillNanos, long decodeNanos,
                               long decodeSessionNanos) {

    public GenerationResult {
        completions = List.copyOf(completions);
    }

    /** Prompt tokens per second of prefill time. */
    public double prefillTokensPerSecond() {
        return prefillNanos == 0 ? 0 : promptTokens * 1e9 / prefillNanos;
    }

    /** Generated tokens (all sequences) per second of decode time. */
    public double decodeTokensPerSecond() {
        long tokens = 0;
        for (Completion c : completions) {
            tokens += c.tokens().length;
        }
        return decodeNanos == 0 ? 0 : tokens * 1e9 / decodeNanos;
    }

    /** The share of decode time spent outside ONNX Runtime (0 when not measured). */
    public double decodeOverhead() {
        return decodeSessionNanos == 0 || decodeNanos == 0 ? 0 : 1.0 - (double) decodeSessionNanos / decodeNanos;
    }

    /** The first sequence's text. */
    public String text() {
        return completions.get(0).text();
    }
}
