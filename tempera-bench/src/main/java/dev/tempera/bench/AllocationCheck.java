package dev.tempera.bench;

import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exact, noise-free check that {@link Sampler#next(float[])} does not allocate in steady state:
 * for each benchmarked chain, warms the code up with 10,000 tokens of one sampler, then counts the
 * bytes the calling thread allocates ({@code com.sun.management.ThreadMXBean}) over 3,000 tokens
 * of a second sampler (a fresh history has room for 4,096 tokens, so its growth is not counted:
 * that is the history, not the sampling). JMH's {@code -prof gc}
 * reports the same thing per iteration, but its {@code gc.alloc.rate.norm} also carries a fixed few
 * kilobytes per iteration of JMH's own bookkeeping divided by the iteration's operation count.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector [-Dtempera.kernels=scalar] \
 *      -cp tempera-bench/target/benchmarks.jar dev.tempera.bench.AllocationCheck
 * </pre>
 *
 * Exits with status 1 if any chain allocates per token, i.e. 1 byte per token or more (an object per
 * token is at least 16 bytes). A few hundred bytes in the whole window are not per-token allocation:
 * they come from the JIT still settling (deoptimisation, a late recompilation) and are reported as
 * measured.
 */
public final class AllocationCheck {

    private static final int WARMUP = 10_000;
    private static final int TOKENS = 3_000;

    private AllocationCheck() {}

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[][] rows = BenchData.logitsRows(BenchData.ROWS, BenchData.SEED);
        int[] prompt = BenchData.history(64, BenchData.SEED + 1);
        Map<String, SamplingParams.Builder> chains = new LinkedHashMap<>();
        chains.put("greedy", SamplingParams.greedy().toBuilder());
        chains.put("temperature 0.7 + top_k 50", SamplingParams.builder().temperature(0.7).topK(50));
        chains.put("temperature 0.7", SamplingParams.builder().temperature(0.7));
        chains.put("temperature 0.7 + top_p 0.9", SamplingParams.builder().temperature(0.7).topP(0.9));
        chains.put("llama.cpp defaults + repetition 1.1",
                SamplingParams.llamaCppDefaults().toBuilder().repetitionPenalty(1.1));
        chains.put("typical_p 0.9", SamplingParams.builder().typicalP(0.9));
        boolean ok = true;
        long thread = Thread.currentThread().getId();
        for (Map.Entry<String, SamplingParams.Builder> e : chains.entrySet()) {
            SamplingParams p = e.getValue().maxTokens(BenchData.MAX_TOKENS).seed(BenchData.SEED).build();
            Sampler warm = Sampler.builder(p, BenchData.VOCAB).prompt(prompt).build();
            for (int i = 0; i < WARMUP; i++) {
                warm.next(rows[i & (BenchData.ROWS - 1)]);
            }
            Sampler s = Sampler.builder(p, BenchData.VOCAB).prompt(prompt).build();
            s.next(rows[0]);
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < TOKENS; i++) {
                s.next(rows[i & (BenchData.ROWS - 1)]);
            }
            long after = mx.getThreadAllocatedBytes(thread);
            long probe = mx.getThreadAllocatedBytes(thread) - after;
            long bytes = after - before - probe;
            ok &= bytes < TOKENS;
            System.out.printf("%-38s %,d tokens: %,d bytes allocated (%.3f B/token)%n",
                    e.getKey(), TOKENS, bytes, bytes / (double) TOKENS);
        }
        String kernels = new dev.tempera.sampling.SamplingWorkspace(16).kernels();
        System.out.println("kernels: " + kernels + (ok ? "; no allocation per token" : "; ALLOCATES"));
        if (!ok) {
            System.exit(1);
        }
    }
}
