package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Greedy decoding ({@link SamplingParams#greedy()}): the argmax of the vocabulary, i.e. the
 * validation pass over the logits plus the argmax. Target: at most 0.04 ms per token.
 */
public class GreedyBenchmark extends SamplerBenchmarkBase {

    @Override
    protected SamplingParams.Builder params() {
        return SamplingParams.greedy().toBuilder();
    }

    @Benchmark
    public int greedy() {
        return nextToken();
    }
}
