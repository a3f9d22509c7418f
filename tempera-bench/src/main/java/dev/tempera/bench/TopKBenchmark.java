package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Temperature 0.7, top-k 50 and a draw (vLLM order): a bounded-heap pass over the vocabulary, a
 * gather of the 50 survivors and a draw among them. Target: at most 0.06 ms per token.
 */
public class TopKBenchmark extends SamplerBenchmarkBase {

    @Override
    protected SamplingParams.Builder params() {
        return SamplingParams.builder().temperature(0.7).topK(50);
    }

    @Benchmark
    public int topK50() {
        return nextToken();
    }
}
