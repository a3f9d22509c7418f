package dev.tempera.bench;

import dev.tempera.sampling.internal.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one pass of a full-vocabulary kernel over a logits row, the unit every sampler
 * benchmark is made of: {@link #maxPass()} reads a row that is not in the core's L2 cache (the
 * {@link BenchData#ROWS} rows rotated through take 4.9 MB), {@link #maxPassHot()} reads the same row
 * again (L2-resident), {@link #expPass()} is the softmax pass (read a row, write the exponentials).
 * Not a target of the issue: it is the yardstick for how many passes a chain can afford.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchData.VECTOR_MODULE, "-Xms2g", "-Xmx2g"})
public class KernelPassBenchmark {

    @Param({"vector", "scalar"})
    public String kernels;

    private Kernels k;
    private float[][] rows;
    private int row;
    private float[] exps;
    private double[] chunkSums;

    @Setup
    public void setUp() {
        BenchData.selectKernels(kernels);
        k = Kernels.best();
        rows = BenchData.logitsRows(BenchData.ROWS, BenchData.SEED);
        exps = new float[BenchData.VOCAB];
        chunkSums = new double[(BenchData.VOCAB + Kernels.CHUNK - 1) / Kernels.CHUNK];
    }

    private float[] nextRow() {
        float[] logits = rows[row];
        row = (row + 1) & (BenchData.ROWS - 1);
        return logits;
    }

    /** One max pass over the next row in rotation (comes from L3). */
    @Benchmark
    public float maxPass() {
        return k.max(nextRow(), BenchData.VOCAB);
    }

    /** One max pass over the same row every time (stays in L2). */
    @Benchmark
    public float maxPassHot() {
        return k.max(rows[0], BenchData.VOCAB);
    }

    /** One softmax pass (exp of every entry, chunk sums) over the next row in rotation. */
    @Benchmark
    public double expPass() {
        float[] logits = nextRow();
        return k.expChunks(logits, BenchData.VOCAB, 10f, 1f / 0.7f, exps, chunkSums);
    }
}
