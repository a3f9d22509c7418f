package dev.tempera.sampling.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels (AVX2 / AVX-512 / NEON through the JIT). Loaded reflectively by
 * {@link KernelSelection} only when {@code jdk.incubator.vector} is in the boot layer; the tails
 * that do not fill a vector run the same code as {@link ScalarKernels}.
 *
 * <p>Each vector loop sits in a small static method of its own, called once per chunk: on JDK 17 C2
 * then compiles it as one fully inlined unit, which keeps the vectors in registers (a loop nested
 * in a large method can miss the intrinsics and fall back to boxed vectors).
 */
final class VectorKernels implements Kernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public float max(float[] a, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int start = 0; start < n; start += CHUNK) {
            float cm = maxRange(a, start, Math.min(n, start + CHUNK));
            m = (cm != cm || m != m) ? Float.NaN : Math.max(m, cm);
        }
        return m;
    }

    @Override
    public float maxChunks(float[] src, int n, float[] chunkMax, float[] copyTo) {
        float m = Float.NEGATIVE_INFINITY;
        for (int start = 0, c = 0; start < n; start += CHUNK, c++) {
            int end = Math.min(n, start + CHUNK);
            float cm = copyTo == null ? maxRange(src, start, end) : maxCopyRange(src, start, end, copyTo);
            chunkMax[c] = cm;
            m = (cm != cm || m != m) ? Float.NaN : Math.max(m, cm);
        }
        return m;
    }

    /** The largest of {@code a[from..to)}; NaN propagates through {@code max}. */
    private static float maxRange(float[] a, int from, int to) {
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = from;
        for (int bound = to - 4 * L; i <= bound; i += 4 * L) {
            m0 = m0.max(FloatVector.fromArray(S, a, i));
            m1 = m1.max(FloatVector.fromArray(S, a, i + L));
            m2 = m2.max(FloatVector.fromArray(S, a, i + 2 * L));
            m3 = m3.max(FloatVector.fromArray(S, a, i + 3 * L));
        }
        for (; i <= to - L; i += L) {
            m0 = m0.max(FloatVector.fromArray(S, a, i));
        }
        float m = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }

    private static float maxCopyRange(float[] a, int from, int to, float[] dst) {
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = from;
        for (int bound = to - 2 * L; i <= bound; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(S, a, i);
            FloatVector v1 = FloatVector.fromArray(S, a, i + L);
            v0.intoArray(dst, i);
            v1.intoArray(dst, i + L);
            m0 = m0.max(v0);
            m1 = m1.max(v1);
        }
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (; i < to; i++) {
            dst[i] = a[i];
            m = Math.max(m, a[i]);
        }
        return m;
    }

    @Override
    public int firstIndexOf(float[] a, int from, int to, float value) {
        int i = from;
        for (; i <= to - L; i += L) {
            VectorMask<Float> eq = FloatVector.fromArray(S, a, i).compare(VectorOperators.EQ, value);
            if (eq.anyTrue()) {
                return i + eq.firstTrue();
            }
        }
        return ScalarKernels.INSTANCE.firstIndexOf(a, i, to, value);
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

    private static float expRange(float[] src, int from, int to, float shift, float scale, float[] dst) {
        FloatVector acc = FloatVector.zero(S);
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector e = FloatVector.fromArray(S, src, i).sub(shift).mul(scale)
                    .max(ScalarKernels.MIN_EXPONENT).lanewise(VectorOperators.EXP);
            e.intoArray(dst, i);
            acc = acc.add(e);
        }
        return acc.reduceLanes(VectorOperators.ADD) + ScalarKernels.expRange(src, i, to, shift, scale, dst);
    }

    @Override
    public void expEntropyTerms(float[] src, int n, float shift, float scale, float[] dst, double[] out) {
        double z = 0;
        double zs = 0;
        for (int start = 0; start < n; start += CHUNK) {
            z += expEntropyRange(src, start, Math.min(n, start + CHUNK), shift, scale, dst, out);
            zs += out[1];
        }
        out[0] = z;
        out[1] = zs;
    }

    /** Fills {@code dst} over the range and returns Σ e; Σ e·s goes to {@code out[1]}. */
    private static double expEntropyRange(float[] src, int from, int to, float shift, float scale, float[] dst,
            double[] out) {
        FloatVector accE = FloatVector.zero(S);
        FloatVector accES = FloatVector.zero(S);
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector s = FloatVector.fromArray(S, src, i).sub(shift).mul(scale).max(ScalarKernels.MIN_EXPONENT);
            FloatVector e = s.lanewise(VectorOperators.EXP);
            e.intoArray(dst, i);
            accE = accE.add(e);
            accES = e.fma(s, accES);
        }
        double sumE = accE.reduceLanes(VectorOperators.ADD);
        double sumES = accES.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            float s = Math.max((src[i] - shift) * scale, ScalarKernels.MIN_EXPONENT);
            float e = (float) Math.exp(s);
            dst[i] = e;
            sumE += e;
            sumES += (double) e * s;
        }
        out[1] = sumES;
        return sumE;
    }

    @Override
    public int gatherAtLeast(float[] a, int n, float threshold, int[] ids, float[] vals) {
        int count = 0;
        for (int start = 0; start < n; start += CHUNK) {
            count = gatherChunk(a, start, Math.min(n, start + CHUNK), threshold, ids, vals, count);
        }
        return count;
    }

    @Override
    public int gatherRange(float[] a, int from, int to, float threshold, int[] ids, float[] vals, int count) {
        for (int start = from; start < to; start += CHUNK) {
            count = gatherChunk(a, start, Math.min(to, start + CHUNK), threshold, ids, vals, count);
        }
        return count;
    }

    private static int gatherChunk(float[] a, int from, int to, float threshold, int[] ids, float[] vals, int count) {
        int i = from;
        for (; i <= to - L; i += L) {
            if (FloatVector.fromArray(S, a, i).compare(VectorOperators.GE, threshold).anyTrue()) {
                count = ScalarKernels.gather(a, i, i + L, threshold, ids, vals, count);
            }
        }
        return ScalarKernels.gather(a, i, to, threshold, ids, vals, count);
    }

    @Override
    public float kthLargest(float[] a, int n, int k, float[] heap) {
        float root = ScalarKernels.startHeap(a, n, k, heap);
        int i = k;
        for (; i < n && i % L != 0; i++) {
            root = MinHeap.offer(heap, k, root, a[i]);
        }
        for (; i <= n - L; i += L) {
            if (FloatVector.fromArray(S, a, i).compare(VectorOperators.GT, root).anyTrue()) {
                for (int j = i; j < i + L; j++) {
                    root = MinHeap.offer(heap, k, root, a[j]);
                }
            }
        }
        for (; i < n; i++) {
            root = MinHeap.offer(heap, k, root, a[i]);
        }
        return root;
    }

    @Override
    public void negAbsDistance(float[] src, int n, float scale, float offset, float[] dst) {
        for (int start = 0; start < n; start += CHUNK) {
            negAbsDistanceRange(src, start, Math.min(n, start + CHUNK), scale, offset, dst);
        }
    }

    private static void negAbsDistanceRange(float[] src, int from, int to, float scale, float offset, float[] dst) {
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector.fromArray(S, src, i).mul(scale).sub(offset).abs().neg().intoArray(dst, i);
        }
        ScalarKernels.negAbsDistanceRange(src, i, to, scale, offset, dst);
    }

    @Override
    public void massAtLeast(float[] keys, float[] weights, int n, float[] thresholds, int m, double[] out) {
        if (m != 8) {
            ScalarKernels.INSTANCE.massAtLeast(keys, weights, n, thresholds, m, out);
            return;
        }
        for (int j = 0; j < m; j++) {
            out[j] = 0;
        }
        for (int start = 0; start < n; start += CHUNK) {
            massAtLeast8(keys, weights, start, Math.min(n, start + CHUNK), thresholds, out);
        }
    }

    /** Adds to {@code out[j]} the weight of {@code [from, to)} whose key reaches {@code t[j]}, for 8 thresholds. */
    private static void massAtLeast8(float[] keys, float[] w, int from, int to, float[] t, double[] out) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        int i = from;
        for (; i <= to - L; i += L) {
            FloatVector k = FloatVector.fromArray(S, keys, i);
            FloatVector x = FloatVector.fromArray(S, w, i);
            a0 = a0.add(x, k.compare(VectorOperators.GE, t[0]));
            a1 = a1.add(x, k.compare(VectorOperators.GE, t[1]));
            a2 = a2.add(x, k.compare(VectorOperators.GE, t[2]));
            a3 = a3.add(x, k.compare(VectorOperators.GE, t[3]));
            a4 = a4.add(x, k.compare(VectorOperators.GE, t[4]));
            a5 = a5.add(x, k.compare(VectorOperators.GE, t[5]));
            a6 = a6.add(x, k.compare(VectorOperators.GE, t[6]));
            a7 = a7.add(x, k.compare(VectorOperators.GE, t[7]));
        }
        out[0] += a0.reduceLanes(VectorOperators.ADD);
        out[1] += a1.reduceLanes(VectorOperators.ADD);
        out[2] += a2.reduceLanes(VectorOperators.ADD);
        out[3] += a3.reduceLanes(VectorOperators.ADD);
        out[4] += a4.reduceLanes(VectorOperators.ADD);
        out[5] += a5.reduceLanes(VectorOperators.ADD);
        out[6] += a6.reduceLanes(VectorOperators.ADD);
        out[7] += a7.reduceLanes(VectorOperators.ADD);
        ScalarKernels.massAtLeastRange(keys, w, i, to, t, 8, out);
    }
}
