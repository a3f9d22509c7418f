package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Locally typical sampling, typical-p 0.9 at temperature 1 (vLLM order) over the full
 * vocabulary: entropy, distances to it, binning and a draw. Target: at most 1 ms per token.
 */
public class TypicalPBenchmark extends SamplerBenchmarkBase {

    @Override
    protected SamplingParams.Builder params() {
        return SamplingParams.builder().temperature(1.0).typicalP(0.9);
    }

    @Benchmark
    public int typicalP09() {
        return nextToken();
    }
}
