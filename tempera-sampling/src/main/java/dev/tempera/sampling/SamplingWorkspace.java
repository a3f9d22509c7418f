package dev.tempera.sampling;

import dev.tempera.sampling.internal.Candidates;
import dev.tempera.sampling.internal.Kernels;

/**
 * The scratch memory of sampling one token over a vocabulary: a few arrays of the vocabulary's size,
 * allocated once and reused for every token, so the sampling loop does not allocate.
 *
 * <p>Not thread-safe: one workspace per thread. Many {@link Sampler}s (one per sequence) may share
 * a workspace as long as they sample on the same thread; {@link BatchSampler} keeps one per worker.
 */
public final class SamplingWorkspace {

    final Candidates candidates;

    /** A workspace with the fastest kernels this JVM offers. */
    public SamplingWorkspace(int vocabSize) {
        this(vocabSize, Kernels.best());
    }

    /** A workspace with the given kernels (tests compare the scalar and vector ones). */
    public SamplingWorkspace(int vocabSize, Kernels kernels) {
        this.candidates = new Candidates(vocabSize, kernels);
    }

    public int vocabSize() {
        return candidates.vocab();
    }

    /** {@code scalar} or {@code vector}. */
    public String kernels() {
        return candidates.kernelsName();
    }
}
