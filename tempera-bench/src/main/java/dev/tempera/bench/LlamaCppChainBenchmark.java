package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * llama.cpp's default chain, {@link SamplingParams#llamaCppDefaults()} with repetition_penalty 1.1:
 * penalties over the last 64 tokens (penalty_last_n 64, a 64-token prompt so the window is full
 * from the first token), top-k 40, top-p 0.95, min-p 0.05, temperature 0.8, draw. Target: at most
 * 0.12 ms per token.
 */
public class LlamaCppChainBenchmark extends SamplerBenchmarkBase {

    @Override
    protected SamplingParams.Builder params() {
        return SamplingParams.llamaCppDefaults().toBuilder().repetitionPenalty(1.1);
    }

    @Override
    protected int[] prompt() {
        return BenchData.history(64, BenchData.SEED + 1);
    }

    @Benchmark
    public int llamaCppDefaults() {
        return nextToken();
    }
}
