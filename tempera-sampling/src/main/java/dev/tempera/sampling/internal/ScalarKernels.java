package dev.tempera.sampling.internal;

/** Plain-Java kernels: the reference the vector kernels are tested against, and the fallback. */
final class ScalarKernels implements Kernels {

    static final ScalarKernels INSTANCE = new ScalarKernels();

    static final float MIN_EXPONENT = -104f;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float max(float[] a, int n) {
        return maxRange(a, 0, n);
    }

    /** The largest of {@code a[from..to)}, NaN if any is NaN. */
    static float maxRange(float[] a, int from, int to) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            float x = a[i];
            if (x != x) {
                return Float.NaN;
            }
            if (x > m) {
                m = x;
            }
        }
        return m;
    }

    @Override
    public float maxChunks(float[] src, int n, float[] chunkMax, float[] copyTo) {
        float m = Float.NEGATIVE_INFINITY;
        for (int start = 0, c = 0; start < n; start += CHUNK, c++) {
            float cm = maxRange(src, start, Math.min(n, start + CHUNK));
            chunkMax[c] = cm;
            m = (cm != cm || m != m) ? Float.NaN : Math.max(m, cm);
        }
        if (copyTo != null) {
            System.arraycopy(src, 0, copyTo, 0, n);
        }
        return m;
    }

    @Override
    public int firstIndexOf(float[] a, int from, int to, float value) {
        for (int i = from; i < to; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public double expChunks(float[] src, int n, float shift, float scale, float[] dst, double[] chunkSums) {
        double total = 0;
        for (int start = 0, c = 0; start < n; start += CHUNK, c++) {
            float sum = expRange(src, start, Math.min(n, start + CHUNK), shift, scale, dst);
            chunkSums[c] = sum;
            total += sum;
        }
        return total;
    }

    /** {@code dst[i] = exp(max((src[i] - shift) * scale, -104))} over {@code [from, to)}; returns their sum. */
    static float expRange(float[] src, int from, int to, float shift, float scale, float[] dst) {
        float sum = 0;
        for (int i = from; i < to; i++) {
            float e = (float) Math.exp(Math.max((src[i] - shift) * scale, MIN_EXPONENT));
            dst[i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void expEntropyTerms(float[] src, int n, float shift, float scale, float[] dst, double[] out) {
        double z = 0;
        double zs = 0;
        for (int i = 0; i < n; i++) {
            float s = Math.max((src[i] - shift) * scale, MIN_EXPONENT);
            float e = (float) Math.exp(s);
            dst[i] = e;
            z += e;
            zs += (double) e * s;
        }
        out[0] = z;
        out[1] = zs;
    }

    @Override
    public int gatherAtLeast(float[] a, int n, float threshold, int[] ids, float[] vals) {
        return gather(a, 0, n, threshold, ids, vals, 0);
    }

    @Override
    public int gatherRange(float[] a, int from, int to, float threshold, int[] ids, float[] vals, int count) {
        return gather(a, from, to, threshold, ids, vals, count);
    }

    /** Appends the entries of {@code a[from..to)} that are {@code >= threshold}; returns the new count. */
    static int gather(float[] a, int from, int to, float threshold, int[] ids, float[] vals, int count) {
        // Branch-free: always write at the next free slot, advance only when the entry passes. When many
        // pass (nuclei of thousands) this is several times faster than a mispredicted branch.
        for (int i = from; i < to; i++) {
            float x = a[i];
            ids[count] = i;
            vals[count] = x;
            count += x >= threshold ? 1 : 0;
        }
        return count;
    }

    @Override
    public float kthLargest(float[] a, int n, int k, float[] heap) {
        float root = startHeap(a, n, k, heap);
        for (int i = k; i < n; i++) {
            root = MinHeap.offer(heap, k, root, a[i]);
        }
        return root;
    }

    /** Fills the heap with the first k entries; returns its minimum. */
    static float startHeap(float[] a, int n, int k, float[] heap) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], but is: " + k);
        }
        System.arraycopy(a, 0, heap, 0, k);
        MinHeap.heapify(heap, k);
        return heap[0];
    }

    @Override
    public void negAbsDistance(float[] src, int n, float scale, float offset, float[] dst) {
        negAbsDistanceRange(src, 0, n, scale, offset, dst);
    }

    static void negAbsDistanceRange(float[] src, int from, int to, float scale, float offset, float[] dst) {
        for (int i = from; i < to; i++) {
            dst[i] = -Math.abs(src[i] * scale - offset);
        }
    }

    @Override
    public void massAtLeast(float[] keys, float[] weights, int n, float[] thresholds, int m, double[] out) {
        for (int j = 0; j < m; j++) {
            out[j] = 0;
        }
        massAtLeastRange(keys, weights, 0, n, thresholds, m, out);
    }

    static void massAtLeastRange(float[] keys, float[] weights, int from, int to, float[] thresholds, int m,
            double[] out) {
        for (int i = from; i < to; i++) {
            float k = keys[i];
            for (int j = 0; j < m; j++) {
                if (k >= thresholds[j]) {
                    out[j] += weights[i];
                }
            }
        }
    }
}
