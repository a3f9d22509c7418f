package dev.tempera.bench;

import dev.tempera.sampling.SamplingWorkspace;
import java.util.Random;

/**
 * Shared inputs of the sampling benchmarks: the vocabulary size, fixed-seed logits rows and
 * token histories, and the kernel selection.
 *
 * <p>The logits are drawn from N(0, 3²) with a fixed seed, the shape used by the targets.
 * Each benchmark rotates through {@link #ROWS} different rows so that branch predictors and caches
 * do not see a single row over and over.
 */
final class BenchData {

    /** Qwen2.5's vocabulary. */
    static final int VOCAB = 151_936;

    /** How many different logits rows a single-sequence benchmark rotates through (a power of two). */
    static final int ROWS = 8;

    /** Standard deviation of the logits. */
    static final double SIGMA = 3.0;

    /** Seed of everything random in the inputs. */
    static final long SEED = 20_240_601L;

    /**
     * max_tokens of the benchmarked samplers: as large as SamplingParams allows, so a sampler never
     * finishes during a benchmark. (The history array starts small and grows by doubling.)
     */
    static final int MAX_TOKENS = Integer.MAX_VALUE;

    /** The JMH fork arguments of every benchmark: the Vector API module and a fixed heap. */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private BenchData() {}

    /** {@code rows} logits rows of {@link #VOCAB} entries, N(0, σ²), deterministic in {@code seed}. */
    static float[][] logitsRows(int rows, long seed) {
        Random r = new Random(seed);
        float[][] out = new float[rows][VOCAB];
        for (float[] row : out) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (r.nextGaussian() * SIGMA);
            }
        }
        return out;
    }

    /** {@code n} uniform token ids in the vocabulary, deterministic in {@code seed}. */
    static int[] history(int n, long seed) {
        Random r = new Random(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(VOCAB);
        }
        return out;
    }

    /**
     * Selects the kernels for this JVM through {@code -Dtempera.kernels} and checks the choice took
     * effect. Tempera reads the property once, when the kernels are first needed, so this must run
     * before any sampler or workspace is created in the JVM: JMH forks a fresh JVM for every
     * benchmark and parameter combination, and each benchmark calls this first in its trial setup.
     *
     * @throws IllegalStateException if the JVM already chose other kernels (e.g. when run with
     *     {@code -f 0}), or the vector kernels are asked for without the incubator module
     */
    static void selectKernels(String kernels) {
        System.setProperty("tempera.kernels", kernels);
        String actual = new SamplingWorkspace(16).kernels();
        if (!actual.equals(kernels)) {
            throw new IllegalStateException("asked for the " + kernels + " kernels, but this JVM uses the "
                    + actual + " ones: run each kernel setting in its own fork (do not use -f 0)");
        }
    }
}
