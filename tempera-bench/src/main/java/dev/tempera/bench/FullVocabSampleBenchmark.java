package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Temperature 0.7 and a draw from the whole vocabulary (no truncation): the softmax of all
 * 151,936 logits and an inverse-CDF draw. Target: at most 0.3 ms per token.
 */
public class FullVocabSampleBenchmark extends SamplerBenchmarkBase {

    @Override
    protected SamplingParams.Builder params() {
        return SamplingParams.builder().temperature(0.7);
    }

    @Benchmark
    public int temperatureSample() {
        return nextToken();
    }
}
