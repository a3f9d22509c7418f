package dev.tempera.sampling.internal;

/**
 * Keeps the k most likely tokens. vLLM and transformers keep every token tied with the k-th value
 * (so more than k can survive); llama.cpp keeps exactly k ({@code exact}), and Tempera breaks its
 * ties by the lower token id. On the full vocabulary: the per-chunk maxima that the logits check
 * already computed give a lower bound, one gather pass keeps the few tokens above it, and a bounded
 * heap over those finds the k-th. Never a full sort.
 */
final class TopK implements LogitsProcessor {

    private final int k;
    private final boolean exact;

    TopK(int k, boolean exact) {
        this.k = k;
        this.exact = exact;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        keepTop(c, k, exact);
    }

    static void keepTop(Candidates c, int k, boolean exact) {
        int n = c.isDense ? c.vocab : c.size;
        if (k >= n) {
            return;
        }
        if (c.isDense && k <= c.chunkMax.length) {
            // The k-th largest chunk maximum bounds the k-th largest logit from below (k chunks each hold
            // a logit at least that large), so one gather with it keeps the top k, their ties and only a
            // few more; the exact k-th is then found among those.
            c.denseMax();
            float bound = ScalarKernels.INSTANCE.kthLargest(c.chunkMax, c.chunkMax.length, k, c.heap);
            if (bound != Float.NEGATIVE_INFINITY) {
                c.keepAtLeast(bound * c.scale);
            }
        }
        float kth = kthLargestEffective(c, k);
        if (kth == Float.NEGATIVE_INFINITY) {
            return;
        }
        c.keepAtLeast(kth);
        if (exact && c.size > k) {
            c.sortDescending();
            c.truncate(k);
        }
    }

    /** The k-th largest effective logit, counting duplicates. */
    static float kthLargestEffective(Candidates c, int k) {
        if (c.isDense) {
            if (k > c.vocab) {
                return Float.NEGATIVE_INFINITY;
            }
            float[] heap = k <= c.heap.length ? c.heap : c.scratchVals(k);
            return c.kernels.kthLargest(c.dense, c.vocab, k, heap) * c.scale;
        }
        if (k > c.size) {
            return Float.NEGATIVE_INFINITY;
        }
        float[] heap = k <= c.heap.length ? c.heap : c.scratchVals(k);
        return ScalarKernels.INSTANCE.kthLargest(c.logits, c.size, k, heap);
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "top_k(" + k + (exact ? ", exact" : "") + ")";
    }
}
