package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Temperature 0.7, top-p 0.9 and a draw (vLLM order) over the full vocabulary: Tempera's
 * sort-free nucleus (softmax, gather of the tokens that can be in the nucleus, binning, a sort of
 * the crossing bin only). Target: at most 0.3 ms per token. Compare {@link SortReferenceTopPBenchmark}.
 */
public class TopPBenchmark extends SamplerBenchmarkBase {

    @Override
    protected SamplingParams.Builder params() {
        return SamplingParams.builder().temperature(0.7).topP(0.9);
    }

    @Benchmark
    public int topP09() {
        return nextToken();
    }
}
