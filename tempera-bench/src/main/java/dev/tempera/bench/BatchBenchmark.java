package dev.tempera.bench;

import dev.tempera.sampling.BatchSampler;
import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.sampling.SamplingWorkspace;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link BatchSampler#next} call over a batch of {@link #BATCH} rows, each with its own logits
 * row and its own {@link Sampler} (own history and seed), split over {@code threads} slices: the
 * calling thread takes the first, a fixed pool the others. The score is the time of the whole batch
 * (64 tokens); the target is {@code time(threads=1) / time(threads=2) >= 1.8}.
 *
 * <p>{@code chain} picks the parameters of every row: {@code top_p} is temperature 0.7 + top-p 0.9
 * (the heavy full-vocabulary path), {@code llama_cpp} is llama.cpp's default chain with
 * repetition_penalty 1.1 and a 64-token prompt. Kernels are selected as in
 * {@link SamplerBenchmarkBase}. The 64 rows (39 MB of logits) do not fit in the caches, so the batch
 * also measures how the two cores share memory bandwidth.
 *
 * <p>Samplers are created once per trial: each row gets one token per batch, a few thousand per
 * trial, so the histories stay short.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchData.VECTOR_MODULE, "-Xms2g", "-Xmx2g"})
public class BatchBenchmark {

    static final int BATCH = 64;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    @Param({"top_p", "llama_cpp"})
    public String chain;

    private ExecutorService pool;
    private BatchSampler batch;
    private Sampler[] samplers;
    private float[][] logits;
    private int[] out;

    @Setup(Level.Trial)
    public void setUp() {
        BenchData.selectKernels(kernels);
        logits = BenchData.logitsRows(BATCH, BenchData.SEED);
        pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "batch-worker");
            t.setDaemon(true);
            return t;
        }) : null;
        batch = new BatchSampler(BenchData.VOCAB, pool, threads);
        out = new int[BATCH];
        newSamplers();
        batch.next(samplers, logits, out);
    }

    private void newSamplers() {
        SamplingParams.Builder b = switch (chain) {
            case "top_p" -> SamplingParams.builder().temperature(0.7).topP(0.9);
            case "llama_cpp" -> SamplingParams.llamaCppDefaults().toBuilder().repetitionPenalty(1.1);
            default -> throw new IllegalArgumentException("unknown chain " + chain);
        };
        // BatchSampler brings its own per-thread workspaces; the samplers share one they never use.
        SamplingWorkspace unused = new SamplingWorkspace(BenchData.VOCAB);
        samplers = new Sampler[BATCH];
        for (int i = 0; i < BATCH; i++) {
            SamplingParams p = b.maxTokens(BenchData.MAX_TOKENS).seed(BenchData.SEED + i).build();
            samplers[i] = Sampler.builder(p, BenchData.VOCAB)
                    .prompt(BenchData.history(64, BenchData.SEED + 1000 + i))
                    .workspace(unused)
                    .build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** 64 tokens, one per row. */
    @Benchmark
    public int[] batch64() {
        batch.next(samplers, logits, out);
        return out;
    }
}
