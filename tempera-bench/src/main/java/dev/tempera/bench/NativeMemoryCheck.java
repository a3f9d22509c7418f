package dev.tempera.bench;

import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.LocalEngine;
import dev.tempera.text.Prompt;
import dev.tempera.text.StreamListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that a long local generation leaks no native memory (issue 7: "native memory flat over a 2,000-token
 * generation"): on shapes-lm, generates 2,000 tokens (EOS ignored, sampled at temperature 1) five times in a row and
 * reads the process's resident set size ({@code VmRSS} of /proc/self/status) after each run, and every 250 tokens
 * inside the first run through a stream listener. The key/value cache grows with the sequence by design (4 layers ×
 * 2 × 2 heads × 32 × 4 bytes = 2 KiB per token, 4 MiB at 2,000 tokens) and is freed when the sequence ends; what must
 * not grow is the RSS from one whole run to the next. Exits 1 when the last run ends more than 16 MiB above the first
 * (a leak of one tensor per step would be ≥ 2,000 × 2.6 KiB of logits alone, plus the caches: well over that).
 *
 * <pre>
 * java -cp tempera-bench/target/benchmarks.jar dev.tempera.bench.NativeMemoryCheck
 * </pre>
 */
public final class NativeMemoryCheck {

    private static final int TOKENS = 2_000;
    private static final int RUNS = 5;

    private NativeMemoryCheck() {
    }

    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status (Linux only): " + e.getMessage(), e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    public static void main(String[] args) {
        Path dir = TextGenerationBench.models().resolve("shapes-lm");
        List<Long> afterRun = new ArrayList<>();
        try (LocalEngine engine = LocalEngine.open(dir, LocalEngine.Options.defaults())) {
            Prompt prompt = engine.prepare("<|im_start|>user\nDescribe a scene with red star.<|im_end|>\n"
                    + "<|im_start|>assistant\n", List.of());
            System.out.printf("prompt %d tokens, context %d; RSS at start %d KiB%n", prompt.ids().length,
                    engine.model().contextLength(), rssKib());
            for (int run = 0; run < RUNS; run++) {
                SamplingParams params = SamplingParams.builder().temperature(1.0).seed(run).maxTokens(TOKENS).build();
                GenerationRequest request = new GenerationRequest(params, List.of(), false, true, true);
                int[] seen = {0};
                int index = run;
                StreamListener listener = (i, delta) -> {
                    if (index == 0 && ++seen[0] % 250 == 0) {
                        System.out.printf("  run 1, ~%d pieces of text: RSS %d KiB%n", seen[0], rssKib());
                    }
                };
                GenerationResult r = engine.generate(prompt, request, listener);
                System.gc();
                long rss = rssKib();
                afterRun.add(rss);
                System.out.printf("run %d: %d tokens in %.0f ms (%.0f tok/s); RSS after the run %d KiB%n", run + 1,
                        r.completions().get(0).tokens().length, r.decodeNanos() / 1e6, r.decodeTokensPerSecond(), rss);
            }
        }
        long growth = afterRun.get(afterRun.size() - 1) - afterRun.get(0);
        System.out.printf("RSS growth from run 1 to run %d: %d KiB%n", RUNS, growth);
        if (growth > 16 * 1024) {
            System.out.println("FAIL: native memory grows from run to run");
            System.exit(1);
        }
        System.out.println("OK: flat");
    }
}
