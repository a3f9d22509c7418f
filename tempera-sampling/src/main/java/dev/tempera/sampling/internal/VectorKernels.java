package dev.tempera.sampling.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels (AVX2 / AVX-512 / NEON through the JIT). Loaded reflectively by
 * {@link KernelSelection} only when {@code jdk.incubator.vector} is in the boot layer; the tail that
 * does not fill a vector is handled by the same code as {@link ScalarKernels}.
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
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            m0 = m0.max(FloatVector.fromArray(S, a, i));
            m1 = m1.max(FloatVector.fromArray(S, a, i + L));
            m2 = m2.max(FloatVector.fromArray(S, a, i + 2 * L));
            m3 = m3.max(FloatVector.fromArray(S, a, i + 3 * L));
        }
        float m = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }

    @Override
    public int firstIndexOf(float[] a, int n, float value) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> eq = FloatVector.fromArray(S, a, i).compare(VectorOperators.EQ, value);
            if (eq.anyTrue()) {
                return i + eq.firstTrue();
            }
        }
        for (; i < n; i++) {
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
            int end = Math.min(n, start + CHUNK);
            FloatVector acc = FloatVector.zero(S);
            int i = start;
            for (int bound = start + S.loopBound(end - start); i < bound; i += L) {
                FloatVector e = FloatVector.fromArray(S, src, i).sub(shift).mul(scale)
                        .max(ScalarKernels.MIN_EXPONENT).lanewise(VectorOperators.EXP);
                e.intoArray(dst, i);
                acc = acc.add(e);
            }
            float sum = acc.reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) {
                float e = (float) Math.exp(Math.max((src[i] - shift) * scale, ScalarKernels.MIN_EXPONENT));
                dst[i] = e;
                sum += e;
            }
            chunkSums[c] = sum;
            total += sum;
        }
        return total;
    }

    @Override
    public void expEntropyTerms(float[] src, int n, float shift, float scale, float[] dst, double[] out) {
        double z = 0;
        double zs = 0;
        int i = 0;
        // Accumulate in float lanes per block of CHUNK entries, then in double across blocks.
        while (i < n) {
            int end = Math.min(n, i + CHUNK);
            FloatVector accE = FloatVector.zero(S);
            FloatVector accES = FloatVector.zero(S);
            for (int bound = i + S.loopBound(end - i); i < bound; i += L) {
                FloatVector s = FloatVector.fromArray(S, src, i).sub(shift).mul(scale).max(ScalarKernels.MIN_EXPONENT);
                FloatVector e = s.lanewise(VectorOperators.EXP);
                e.intoArray(dst, i);
                accE = accE.add(e);
                accES = e.fma(s, accES);
            }
            double blockE = accE.reduceLanes(VectorOperators.ADD);
            double blockES = accES.reduceLanes(VectorOperators.ADD);
            for (; i < end; i++) {
                float s = Math.max((src[i] - shift) * scale, ScalarKernels.MIN_EXPONENT);
                float e = (float) Math.exp(s);
                dst[i] = e;
                blockE += e;
                blockES += (double) e * s;
            }
            z += blockE;
            zs += blockES;
        }
        out[0] = z;
        out[1] = zs;
    }

    @Override
    public int gatherAtLeast(float[] a, int n, float threshold, int[] ids, float[] vals) {
        int count = 0;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            if (FloatVector.fromArray(S, a, i).compare(VectorOperators.GE, threshold).anyTrue()) {
                count = ScalarKernels.gather(a, i, i + L, threshold, ids, vals, count);
            }
        }
        return ScalarKernels.gather(a, i, n, threshold, ids, vals, count);
    }

    @Override
    public float kthLargest(float[] a, int n, int k, float[] heap) {
        float root = ScalarKernels.startHeap(a, n, k, heap);
        int i = k;
        for (; i < n && i % L != 0; i++) {
            root = MinHeap.offer(heap, k, root, a[i]);
        }
        for (int bound = i + S.loopBound(n - i); i < bound; i += L) {
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
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, src, i).mul(scale).sub(offset).abs().neg().intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = -Math.abs(src[i] * scale - offset);
        }
    }
}
