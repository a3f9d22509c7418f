package dev.tempera.text;

import dev.tempera.sampling.TokenLogprob;
import java.util.List;

/**
 * The log-probabilities of one generated token.
 *
 * @param token the token id
 * @param text the token's text (decoded alone; may be a partial UTF-8 character shown as U+FFFD)
 * @param logprob under the raw logits, before any processor
 * @param processedLogprob under the distribution it was drawn from (0 for greedy)
 * @param rank 1 + the number of tokens with a larger raw logit
 * @param top the most likely alternatives under the raw logits, most likely first
 */
public record TokenLogprobs(int token, String text, double logprob, double processedLogprob, int rank,
                            List<TokenLogprob> top) {

    public TokenLogprobs {
        top = List.copyOf(top);
    }
}
