package dev.tempera.bench;

import dev.tempera.eval.embed.EmbedderOptions;
import dev.tempera.eval.embed.OnnxSentenceEmbedder;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model call that {@link EvalTextBench} leaves out: sentence embeddings of the workload (64 outputs of 256
 * words, cut at all-MiniLM-L6-v2's 256 tokens) with the bundled model on ONNX Runtime, one text per call against
 * batches (issue 5: "embeddings computed in batches").
 *
 * <p>{@code batchSize} is {@link EmbedderOptions#batchSize()}: texts per ORT call ({@code 32} is the default that
 * {@code tempera eval text} uses). One intra-op thread, so the numbers compare across machines with more cores and do
 * not fight the JMH thread; a JMH operation is one {@code embed} of all 64 texts (seconds), so iterations are single
 * operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class EvalEmbedBench {

    @Param({"1", "32"})
    int batchSize;

    private List<String> outputs;
    private OnnxSentenceEmbedder embedder;

    @Setup
    public void setUp() {
        outputs = EvalTextBench.outputs();
        embedder = OnnxSentenceEmbedder.allMiniLmL6V2(
                EmbedderOptions.defaults().withBatchSize(batchSize).withIntraOpThreads(1));
    }

    @TearDown
    public void tearDown() {
        embedder.close();
    }

    @Benchmark
    public float[][] embed64() {
        return embedder.embed(outputs);
    }
}
