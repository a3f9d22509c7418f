package dev.tempera.sampling.internal;

/**
 * The full-vocabulary loops of the sampler: the only code that touches every one of ~150k logits
 * per token. Everything else works on the few candidates these loops leave.
 *
 * <p>Two implementations give the same results: {@link ScalarKernels}, plain Java and obviously
 * correct, and {@code VectorKernels}, which uses the incubating Vector API when the JVM was started
 * with {@code --add-modules jdk.incubator.vector}. {@link #best()} picks the vector one when it can
 * be loaded; the system property {@code tempera.kernels=scalar|vector} forces one.
 *
 * <p>Contract shared by every method: arrays are not retained, {@code n} is the number of leading
 * entries to read, {@code -inf} is a masked token, and the caller has already rejected NaN and
 * {@code +inf} (see {@link #max}). Implementations are stateless and thread-safe.
 */
public interface Kernels {

    /** Entries per chunk in {@link #expChunks} and {@link #maxChunks}. */
    int CHUNK = 512;

    /** Number of chunks covering n entries. */
    static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /** A short name for benchmarks and logs: {@code scalar} or {@code vector}. */
    String name();

    /**
     * The largest of {@code a[0..n)}. NaN if any entry is NaN (callers use this to reject NaN
     * logits without a separate pass), {@code -inf} when all are masked.
     */
    float max(float[] a, int n);

    /**
     * Like {@link #max}, also writing the maximum of each chunk into {@code chunkMax} and, when
     * {@code copyTo} is not null, copying {@code src[0..n)} into it in the same pass.
     */
    float maxChunks(float[] src, int n, float[] chunkMax, float[] copyTo);

    /** The first index {@code i} in {@code [from, to)} with {@code a[i] == value}, or -1. */
    int firstIndexOf(float[] a, int from, int to, float value);

    /**
     * {@code dst[i] = exp((src[i] - shift) * scale)} for {@code i < n}, with the exponent clamped
     * below at -104 so masked entries give exactly 0; {@code chunkSums[c]} receives the sum of
     * chunk {@code c} (entries {@code [c*CHUNK, (c+1)*CHUNK)}).
     *
     * @return the sum of all {@code dst[i]}
     */
    double expChunks(float[] src, int n, float shift, float scale, float[] dst, double[] chunkSums);

    /**
     * Like {@link #expChunks} without chunk sums, also returning {@code Σ dst[i]·s[i]} where
     * {@code s[i] = max((src[i] - shift) * scale, -104)}: the entropy of the normalised distribution
     * is {@code log Z - (Σ e·s) / Z}.
     *
     * @param out {@code out[0]} receives Σ e, {@code out[1]} receives Σ e·s
     */
    void expEntropyTerms(float[] src, int n, float shift, float scale, float[] dst, double[] out);

    /**
     * Copies the indices and values of the entries {@code >= threshold} into {@code ids} and
     * {@code vals} in index order. {@code vals} may be {@code a} itself. Slots past the returned
     * count may be overwritten too, so both arrays need room for {@code n} entries.
     *
     * @return how many were copied
     */
    int gatherAtLeast(float[] a, int n, float threshold, int[] ids, float[] vals);

    /**
     * Like {@link #gatherAtLeast} over {@code a[from..to)}, appending after the first {@code count}
     * entries of {@code ids} and {@code vals}; returns the new count.
     */
    int gatherRange(float[] a, int from, int to, float threshold, int[] ids, float[] vals, int count);

    /**
     * The k-th largest value of {@code a[0..n)} counting duplicates ({@code 1 <= k <= n}), found by
     * a bounded min-heap in one pass: {@code heap} needs room for {@code k} floats.
     */
    float kthLargest(float[] a, int n, int k, float[] heap);

    /**
     * {@code dst[i] = -|src[i] * scale - offset|}: minus the distance of each scaled logit from a
     * centre, so that the nearest tokens are the largest values and masked ({@code -inf}) entries
     * stay {@code -inf} (typical sampling gathers them with {@link #gatherAtLeast}).
     */
    void negAbsDistance(float[] src, int n, float scale, float offset, float[] dst);

    /**
     * For each of the {@code m} thresholds, the total weight of the entries whose key reaches it:
     * {@code out[j] = Σ weights[i]·[keys[i] >= thresholds[j]]} over {@code i < n}. Top-p and typical-p
     * use it to find a tight pre-filter in one pass; the vector kernels are fastest with m = 8.
     */
    void massAtLeast(float[] keys, float[] weights, int n, float[] thresholds, int m, double[] out);

    /** The kernels to use: vector when available, unless {@code -Dtempera.kernels=scalar}. */
    static Kernels best() {
        return KernelSelection.BEST;
    }

    /** The plain-Java reference kernels. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }
}
