package dev.tempera.sampling;

import java.util.List;

/**
 * One sampled token with what was known about it.
 *
 * @param token the token id
 * @param logprob its log-probability under the raw logits, before any processor (vLLM's default
 *     {@code raw_logprobs}, OpenAI's {@code logprobs}); NaN when logprobs were not requested
 * @param processedLogprob its log-probability under the distribution it was drawn from, after
 *     every processor (vLLM's {@code processed_logprobs}; 0 for greedy)
 * @param rank 1 + the number of tokens with a larger raw logit (1 = the argmax)
 * @param topLogprobs the {@code logprobs} most likely tokens under the raw logits, most likely
 *     first; empty when not requested
 * @param finishReason why the sequence ends with this token, or null when it goes on
 */
public record TokenSample(
        int token,
        double logprob,
        double processedLogprob,
        int rank,
        List<TokenLogprob> topLogprobs,
        FinishReason finishReason) {

    public TokenSample {
        topLogprobs = List.copyOf(topLogprobs);
    }
}
