package dev.tempera.sampling.internal;

import java.util.Arrays;

/**
 * The working set of one sampling step, owned by a {@code SamplingWorkspace} and reused from step to
 * step without allocation.
 *
 * <p>It starts <em>dense</em>: {@link #dense} holds a copy of the logits of the whole vocabulary,
 * masked tokens are {@code -inf}, and the effective logit of token {@code i} is
 * {@code dense[i] * scale} (temperature is applied lazily, by changing {@code scale}). The first
 * truncating processor makes it <em>sparse</em>: {@code ids[0..size)} and {@code logits[0..size)}
 * (already scaled) hold the surviving tokens, in id order or, once {@link #sortDescending()} ran,
 * by logit descending with ties by id ascending. Processors never see NaN or {@code +inf}: the
 * sampler rejects them on entry.
 *
 * <p>Not thread-safe.
 */
public final class Candidates {

    final Kernels kernels;
    final int vocab;

    /** Dense working logits (the own buffer, or the caller's array when nothing writes it). */
    float[] dense;
    private final float[] owned;
    float scale = 1f;
    boolean isDense = true;

    /** Sparse survivors. */
    final int[] ids;
    final float[] logits;
    int size;
    boolean sorted;

    /** Scratch: exp values (dense or sparse), chunk sums, heap, sort keys, bins. */
    final float[] exps;
    final double[] chunkSums;
    /** Per-chunk maxima of the raw dense logits, and their overall maximum, valid while nothing wrote them. */
    final float[] chunkMax;
    float denseMaxRaw;
    boolean maxCacheValid;
    final float[] heap;
    final double[] pair = new double[2];
    final float[] thresholds = new float[8];
    final double[] massAtLeast = new double[8];
    private int[] binIndex;
    long[] sortKeys = new long[1024];
    double[] binMass = new double[TopP.BINS];
    int[] binCount = new int[TopP.BINS + 1];
    public int[] scratchIds;

    /** Scratch for counting tokens of the history (penalties, DRY): stamped, so never cleared. */
    final int[] counts;
    final int[] stamp;
    int stampValue;
    int[] touched = new int[256];
    float[] scratchVals;

    public Candidates(int vocab, Kernels kernels) {
        if (vocab < 1) {
            throw new IllegalArgumentException("vocabSize must be >= 1, but is: " + vocab);
        }
        this.vocab = vocab;
        this.kernels = kernels;
        this.owned = new float[vocab];
        this.dense = owned;
        this.ids = new int[vocab];
        this.logits = new float[vocab];
        this.exps = new float[vocab];
        this.chunkSums = new double[Kernels.chunks(vocab)];
        this.chunkMax = new float[Kernels.chunks(vocab)];
        this.heap = new float[Math.min(vocab, 4096)];
        this.counts = new int[vocab];
        this.stamp = new int[vocab];
    }

    private double[] typicalMass;
    private int[] typicalCount;

    /** Zeroed bin arrays for typical sampling. */
    double[] typicalBinMass() {
        if (typicalMass == null) {
            typicalMass = new double[TypicalP.BINS];
            typicalCount = new int[TypicalP.BINS];
        }
        Arrays.fill(typicalMass, 0.0);
        Arrays.fill(typicalCount, 0);
        return typicalMass;
    }

    int[] typicalBinCount() {
        return typicalCount;
    }

    /** Starts a new counting round over {@link #counts}; returns the stamp that marks this round. */
    int newStamp() {
        if (++stampValue == Integer.MAX_VALUE) {
            Arrays.fill(stamp, 0);
            stampValue = 1;
        }
        return stampValue;
    }

    int[] touched(int n) {
        if (touched.length < n) {
            touched = new int[Math.max(n, touched.length * 2)];
        }
        return touched;
    }

    public int vocab() {
        return vocab;
    }

    public String kernelsName() {
        return kernels.name();
    }

    public boolean isDense() {
        return isDense;
    }

    /**
     * Loads the logits of a new step and checks them. The caller's array is never written: it is
     * copied when {@code copy} (some processor writes the dense logits), else only read.
     *
     * @throws IllegalArgumentException on a wrong length, NaN, +inf, or when every logit is -inf
     */
    public void reset(float[] input, boolean copy) {
        if (input.length != vocab) {
            throw new IllegalArgumentException("logits length must be the vocabulary size " + vocab
                    + ", but is: " + input.length);
        }
        float max = kernels.maxChunks(input, vocab, chunkMax, copy ? owned : null);
        if (max != max || max == Float.POSITIVE_INFINITY) {
            int at = firstInvalid(input);
            throw new IllegalArgumentException("logits must be finite or -inf, but logits[" + at + "] is: " + input[at]);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("logits must have at least one finite value, but all "
                    + vocab + " are -inf");
        }
        dense = copy ? owned : input;
        denseMaxRaw = max;
        maxCacheValid = true;
        scale = 1f;
        isDense = true;
        size = 0;
        sorted = false;
    }

    private int firstInvalid(float[] a) {
        for (int i = 0; i < vocab; i++) {
            if (Float.isNaN(a[i]) || a[i] == Float.POSITIVE_INFINITY) {
                return i;
            }
        }
        return 0;
    }

    /** Number of candidates with a finite logit. */
    int liveCount() {
        if (!isDense) {
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (logits[i] != Float.NEGATIVE_INFINITY) {
                    n++;
                }
            }
            return n;
        }
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            if (dense[i] != Float.NEGATIVE_INFINITY) {
                n++;
            }
        }
        return n;
    }

    /** Forgets the cached maximum: called whenever the dense logits are written. */
    void denseWritten() {
        maxCacheValid = false;
    }

    /** The largest raw dense logit (cached from {@link #reset} until the logits are written). */
    float denseMax() {
        if (!maxCacheValid) {
            denseMaxRaw = kernels.maxChunks(dense, vocab, chunkMax, null);
            maxCacheValid = true;
        }
        return denseMaxRaw;
    }

    /** The largest effective logit. */
    public float maxLogit() {
        if (isDense) {
            return denseMax() * scale;
        }
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, logits[i]);
        }
        return m;
    }

    /** The token with the largest effective logit, the lowest id among ties. */
    public int argmax() {
        if (isDense) {
            float m = denseMax();
            if (m == Float.NEGATIVE_INFINITY) {
                throw new IllegalStateException("every token is masked");
            }
            // Only the first chunk that reached the maximum needs scanning.
            for (int c = 0; c < chunkMax.length; c++) {
                if (chunkMax[c] == m) {
                    int from = c * Kernels.CHUNK;
                    return kernels.firstIndexOf(dense, from, Math.min(vocab, from + Kernels.CHUNK), m);
                }
            }
            throw new IllegalStateException("maximum " + m + " not found in any chunk");
        }
        int best = -1;
        float bestLogit = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            float x = logits[i];
            if (best < 0 || x > bestLogit || (x == bestLogit && ids[i] < ids[best])) {
                best = i;
                bestLogit = x;
            }
        }
        if (best < 0 || bestLogit == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is masked");
        }
        return ids[best];
    }

    /** Multiplies every effective logit by {@code factor} (temperature is {@code 1/T}). */
    void scaleBy(float factor) {
        if (isDense) {
            scale *= factor;
        } else {
            for (int i = 0; i < size; i++) {
                logits[i] *= factor;
            }
        }
    }

    /**
     * Fills {@link #exps} with {@code exp(logit - max)} for every candidate and returns their sum
     * (dense: indexed by token; sparse: by position). {@code max} must be {@link #maxLogit()}.
     */
    double expSum(float max) {
        if (isDense) {
            return kernels.expChunks(dense, vocab, max / scale, scale, exps, chunkSums);
        }
        return kernels.expChunks(logits, size, max, 1f, exps, chunkSums);
    }

    /**
     * Like {@link #expSum} and also returns the entropy (nats) of the normalised distribution in
     * {@code pair[1]}; {@code pair[0]} receives the sum.
     */
    void expEntropy(float max) {
        double z;
        double zs;
        if (isDense) {
            kernels.expEntropyTerms(dense, vocab, max / scale, scale, exps, pair);
            z = pair[0];
            zs = pair[1];
        } else {
            kernels.expEntropyTerms(logits, size, max, 1f, exps, pair);
            z = pair[0];
            zs = pair[1];
        }
        pair[0] = z;
        pair[1] = Math.log(z) - zs / z;
    }

    /** Keeps the candidates whose effective logit is {@code >= threshold}; dense becomes sparse. */
    void keepAtLeast(float threshold) {
        if (isDense) {
            float raw = threshold / scale;
            // Rounding in the division must never drop a token that passes in scaled space.
            raw = Math.nextDown(raw);
            // Chunks whose maximum is below the threshold hold nothing to keep.
            int n = gatherByChunk(dense, raw, raw);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                float x = logits[i] * scale;
                if (x >= threshold) {
                    ids[kept] = ids[i];
                    logits[kept] = x;
                    kept++;
                }
            }
            size = kept;
            isDense = false;
            sorted = false;
            return;
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (logits[i] >= threshold) {
                ids[kept] = ids[i];
                logits[kept] = logits[i];
                kept++;
            }
        }
        size = kept;
    }

    /**
     * Dense to sparse, first half: gathers the tokens whose {@link #exps} value (filled by
     * {@link #expSum}) is at least {@code minExp} into {@link #ids}, their exps into {@link #logits},
     * and returns the sum of those exps. May be called again with a lower cut; then
     * {@link #finishExpGather()} turns the gathered exps into effective logits.
     */
    double gatherExpAtLeast(float minExp) {
        // A chunk whose largest logit gives an exponential clearly below the cut holds nothing to
        // gather (the 1e-3 margin covers the exponential's rounding).
        float rawCut = denseMaxRaw + (float) ((Math.log(minExp) - 1e-3) / scale);
        int n = gatherByChunk(exps, minExp, rawCut);
        double mass = 0;
        for (int i = 0; i < n; i++) {
            mass += logits[i];
        }
        size = n;
        return mass;
    }

    /** Dense to sparse, second half: the gathered tokens get their effective logits. */
    void finishExpGather() {
        for (int i = 0; i < size; i++) {
            logits[i] = dense[ids[i]] * scale;
        }
        isDense = false;
        sorted = false;
    }

    /**
     * Gathers the entries of {@code src} (dense-indexed) that are {@code >= threshold} into
     * {@link #ids} / {@link #logits}, visiting only the chunks whose raw maximum logit reaches
     * {@code rawChunkCut} when the chunk maxima are valid (every chunk otherwise).
     */
    private int gatherByChunk(float[] src, float threshold, float rawChunkCut) {
        if (!maxCacheValid) {
            return kernels.gatherAtLeast(src, vocab, threshold, ids, logits);
        }
        int n = 0;
        for (int ch = 0; ch < chunkMax.length; ch++) {
            if (chunkMax[ch] >= rawChunkCut) {
                int from = ch * Kernels.CHUNK;
                n = kernels.gatherRange(src, from, Math.min(vocab, from + Kernels.CHUNK), threshold, ids, logits, n);
            }
        }
        return n;
    }

    /** An int scratch array of at least {@code n} entries (typical-p's bin of each token). */
    int[] binIndex(int n) {
        if (binIndex == null || binIndex.length < n) {
            binIndex = new int[Math.max(n, vocab)];
        }
        return binIndex;
    }

    /** Makes the set sparse with every live token (slow on a large vocabulary: O(V)). */
    void toSparse() {
        if (isDense) {
            keepAtLeast(-Float.MAX_VALUE);
        }
    }

    /** Keeps the first {@code n} candidates of a sorted sparse set. */
    void truncate(int n) {
        if (isDense || !sorted) {
            throw new IllegalStateException("truncate needs a sorted sparse set");
        }
        size = Math.min(size, n);
    }

    /** Sorts a sparse set by logit descending, ties by id ascending. */
    void sortDescending() {
        toSparse();
        if (sorted) {
            return;
        }
        if (sortKeys.length < size) {
            sortKeys = new long[Math.max(size, sortKeys.length * 2)];
        }
        for (int i = 0; i < size; i++) {
            sortKeys[i] = descendingKey(logits[i], ids[i]);
        }
        Arrays.sort(sortKeys, 0, size);
        for (int i = 0; i < size; i++) {
            long k = sortKeys[i];
            ids[i] = (int) k;
            logits[i] = keyValue(k);
        }
        sorted = true;
    }

    /** A long that sorts ascending by (value descending, id ascending). */
    static long descendingKey(float value, int id) {
        int bits = Float.floatToRawIntBits(value);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ((long) ~ordered << 32) | (id & 0xFFFFFFFFL);
    }

    static float keyValue(long key) {
        int ordered = ~(int) (key >>> 32);
        int bits = ordered ^ ((ordered >> 31) & 0x7FFFFFFF);
        return Float.intBitsToFloat(bits);
    }

    /** Sets one token's logit to -inf (dense phase or sparse). */
    void mask(int token) {
        if (isDense) {
            dense[token] = Float.NEGATIVE_INFINITY;
            maxCacheValid = false;
            return;
        }
        for (int i = 0; i < size; i++) {
            if (ids[i] == token) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The effective logit of {@code token} in the dense phase. */
    float denseLogit(int token) {
        return dense[token] * scale;
    }

    /** Sets the effective logit of {@code token} in the dense phase. */
    void setDenseLogit(int token, float value) {
        dense[token] = value / scale;
        maxCacheValid = false;
    }

    void requireDense(String processor) {
        if (!isDense) {
            throw new IllegalStateException(processor + " must run before any truncation");
        }
    }

    public float[] scratchVals(int n) {
        if (scratchVals == null || scratchVals.length < n) {
            scratchVals = new float[Math.max(n, vocab)];
            scratchIds = new int[Math.max(n, vocab)];
        }
        return scratchVals;
    }

    /**
     * Writes the normalised probability of every token into {@code out} (length vocab), zero for
     * tokens that are not candidates.
     */
    public void distribution(double[] out) {
        Arrays.fill(out, 0, vocab, 0.0);
        float max = maxLogit();
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is masked");
        }
        if (isDense) {
            double z = 0;
            double inv = scale;
            for (int i = 0; i < vocab; i++) {
                double e = Math.exp(dense[i] * inv - max);
                out[i] = e;
                z += e;
            }
            for (int i = 0; i < vocab; i++) {
                out[i] /= z;
            }
            return;
        }
        double z = 0;
        for (int i = 0; i < size; i++) {
            z += Math.exp((double) logits[i] - max);
        }
        for (int i = 0; i < size; i++) {
            out[ids[i]] += Math.exp((double) logits[i] - max) / z;
        }
    }

    /**
     * Draws a token by inverse CDF with the uniform {@code u} in [0, 1): one pass over the
     * exponentials, skipping whole chunks in the dense case.
     */
    public int sample(double u) {
        float max = maxLogit();
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is masked");
        }
        double z = expSum(max);
        double target = u * z;
        if (isDense) {
            double cum = 0;
            int chunks = chunkSums.length;
            int c = 0;
            while (c < chunks - 1 && cum + chunkSums[c] <= target) {
                cum += chunkSums[c];
                c++;
            }
            int last = -1;
            for (int i = c * Kernels.CHUNK, end = Math.min(vocab, i + Kernels.CHUNK); i < end; i++) {
                float e = exps[i];
                if (e > 0) {
                    last = i;
                    cum += e;
                    if (cum > target) {
                        return i;
                    }
                }
            }
            // Rounding left the target just past the end of this chunk: take the last live token.
            return last >= 0 ? last : lastLiveDense();
        }
        double cum = 0;
        int last = -1;
        for (int i = 0; i < size; i++) {
            float e = exps[i];
            if (e > 0) {
                last = i;
                cum += e;
                if (cum > target) {
                    return ids[i];
                }
            }
        }
        return ids[last];
    }

    private int lastLiveDense() {
        for (int i = vocab - 1; i >= 0; i--) {
            if (dense[i] != Float.NEGATIVE_INFINITY) {
                return i;
            }
        }
        throw new IllegalStateException("every token is masked");
    }

    /** The normalised probability of {@code token} in the current set, 0 if it is not a candidate. */
    public double probabilityOf(int token) {
        float max = maxLogit();
        double z = expSum(max);
        if (isDense) {
            return exps[token] / z;
        }
        double p = 0;
        for (int i = 0; i < size; i++) {
            if (ids[i] == token) {
                p += exps[i];
            }
        }
        return p / z;
    }
}
