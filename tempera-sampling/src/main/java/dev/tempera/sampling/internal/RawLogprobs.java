package dev.tempera.sampling.internal;

import java.util.Arrays;

/**
 * Log-probabilities of the raw logits, before any processor (vLLM's default {@code raw_logprobs}):
 * log-sum-exp, the rank of a token, and the top-n alternatives, without sorting the vocabulary.
 */
public final class RawLogprobs {

    private RawLogprobs() {}

    /** {@code log Σ exp(x_i)} over the raw logits, using the workspace's scratch. */
    public static double logSumExp(Candidates c, float[] input) {
        float max = c.kernels.max(input, c.vocab);
        double z = c.kernels.expChunks(input, c.vocab, max, 1f, c.exps, c.chunkSums);
        return max + Math.log(z);
    }

    /** 1 + the number of tokens with a strictly larger raw logit (vLLM's rank). */
    public static int rank(float[] input, int token) {
        float x = input[token];
        int greater = 0;
        for (float v : input) {
            if (v > x) {
                greater++;
            }
        }
        return greater + 1;
    }

    /**
     * The {@code n} tokens with the largest raw logits, most likely first (ties by id), written as
     * ids into {@code ids} and their logits into {@code logits}.
     *
     * @return how many were written: {@code min(n, vocab)}
     */
    public static int top(Candidates c, float[] input, int n, int[] ids, float[] logits) {
        int k = Math.min(n, c.vocab);
        if (k == 0) {
            return 0;
        }
        float[] heap = c.scratchVals(Math.max(k, 1));
        float kth = c.kernels.kthLargest(input, c.vocab, k, heap);
        int[] gIds = c.scratchIds;
        float[] gVals = heap;
        int m = c.kernels.gatherAtLeast(input, c.vocab, kth, gIds, gVals);
        long[] keys = new long[m];
        for (int i = 0; i < m; i++) {
            keys[i] = Candidates.descendingKey(gVals[i], gIds[i]);
        }
        Arrays.sort(keys);
        for (int i = 0; i < k; i++) {
            ids[i] = (int) keys[i];
            logits[i] = Candidates.keyValue(keys[i]);
        }
        return k;
    }
}
