package dev.tempera.bench;

import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.sampling.SamplingWorkspace;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Common set-up of the single-sequence benchmarks: one {@link Sampler} over a
 * {@link BenchData#VOCAB}-token vocabulary, fed {@link BenchData#ROWS} pre-generated logits rows in
 * rotation, on one thread. A subclass supplies the parameters and a {@code @Benchmark} method that
 * calls {@link #nextToken()}; the score is the average time of one {@link Sampler#next(float[])}.
 *
 * <p><b>Kernels.</b> {@code kernels=vector} runs Tempera's Vector API kernels, {@code kernels=scalar}
 * its plain-Java fallback; every fork has {@code --add-modules jdk.incubator.vector}, and the choice
 * is made with {@code -Dtempera.kernels} in the trial set-up (JMH forks a JVM per parameter set).
 *
 * <p><b>History.</b> A sampler's history grows by one token per call, so a fresh sampler (same
 * parameters and seed, {@code max_tokens} = {@link BenchData#MAX_TOKENS} so it never finishes) is
 * created before every iteration; the vocabulary-sized {@link SamplingWorkspace} is created once per
 * trial and shared, as a server would. None of the benchmarked processors reads more than the last
 * 64 tokens, so the cost per token does not depend on the history's length. What the GC profiler
 * reports per operation therefore includes, besides JMH's own few kilobytes per iteration, the new
 * sampler and the doubling of its history array within the iteration (amortised a few bytes per
 * token); {@link AllocationCheck} measures {@code next} alone, exactly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchData.VECTOR_MODULE, "-Xms2g", "-Xmx2g"})
public abstract class SamplerBenchmarkBase {

    @Param({"vector", "scalar"})
    public String kernels;

    private float[][] rows;
    private int row;
    private SamplingWorkspace workspace;
    private Sampler sampler;

    /** The parameters under test; {@code max_tokens} and the seed are set by the base class. */
    protected abstract SamplingParams.Builder params();

    /** The prompt the sampler starts with (penalties see it); empty by default. */
    protected int[] prompt() {
        return new int[0];
    }

    @Setup(Level.Trial)
    public void setUpTrial() {
        BenchData.selectKernels(kernels);
        rows = BenchData.logitsRows(BenchData.ROWS, BenchData.SEED);
        workspace = new SamplingWorkspace(BenchData.VOCAB);
        // A first token outside the measurement: fails fast on a broken chain.
        newSampler().next(rows[0]);
    }

    @Setup(Level.Iteration)
    public void setUpIteration() {
        sampler = newSampler();
        row = 0;
    }

    private Sampler newSampler() {
        SamplingParams p = params().maxTokens(BenchData.MAX_TOKENS).seed(BenchData.SEED).build();
        return Sampler.builder(p, BenchData.VOCAB).prompt(prompt()).workspace(workspace).build();
    }

    /** One token from the next logits row in rotation. */
    protected final int nextToken() {
        float[] logits = rows[row];
        row = (row + 1) & (BenchData.ROWS - 1);
        return sampler.next(logits);
    }
}
