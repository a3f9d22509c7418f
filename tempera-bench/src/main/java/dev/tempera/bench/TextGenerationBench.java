package dev.tempera.bench;

import dev.tempera.runtime.image.ImageLoader;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.DecodeState;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.Generator;
import dev.tempera.text.LocalEngine;
import dev.tempera.text.Prompt;
import dev.tempera.text.StreamListener;
import dev.tempera.text.onnx.OnnxCausalLm;
import dev.tempera.text.vlm.Qwen2VlModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Local generation on the bundled models (issue 7's performance points), one JMH operation each:
 * <ul>
 *   <li>{@code prefill} — the prompt pass: for shapes-vl the image (already preprocessed) through the vision encoder,
 *       the prompt embedding, the scatter and the decoder; for shapes-lm the decoder on the prompt. Prompt tokens per
 *       second = {@code promptTokens} / time.</li>
 *   <li>{@code decode64} — 64 decode steps through the whole loop ({@link Generator}: model step, greedy sampler,
 *       detokeniser, stop checks), EOS ignored, starting from the prefilled cache. The aux counters {@code javaNs} and
 *       {@code onnxRuntimeNs} split its time into what Tempera adds per step and what ONNX Runtime's {@code run}
 *       takes; the bound is javaNs ≤ 3 % of the step.</li>
 * </ul>
 * ONNX Runtime's default threads ({@code threads = 0}, as transformers.js on onnxruntime-node), for comparison with
 * tools/conformance/generate/tjs_bench.mjs on the same machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx1g"})
public class TextGenerationBench {

    @Param({"shapes-lm", "shapes-vl"})
    String model;

    @Param({"0"})
    int threads;

    private LocalEngine engine;
    private Prompt prompt;
    private DecodeState prefix;
    private float[] prefixLogits;

    /** Per-iteration split of decode64's time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public long javaNs;
        public long onnxRuntimeNs;
        public long steps;

        @Setup(Level.Iteration)
        public void reset() {
            javaNs = 0;
            onnxRuntimeNs = 0;
            steps = 0;
        }
    }

    static Path models() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("models").resolve("shapes-vl"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("run from the repository: no models/shapes-vl above " + Path.of(""));
        }
        return p.resolve("models");
    }

    @Setup
    public void setUp() {
        Path dir = models().resolve(model);
        engine = LocalEngine.open(dir, LocalEngine.Options.defaults()
                .withSession(SessionSettings.defaults().withIntraOpThreads(threads)));
        String system = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n";
        if (model.equals("shapes-vl")) {
            RgbPixels image = ImageLoader.withDefaults().load(
                    models().getParent().resolve("tempera-text/src/test/resources/conformance/images/star-square-64.png"));
            prompt = engine.prepare(system + "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>"
                    + "描述这张图片中的场景和细节<|im_end|>\n<|im_start|>assistant\n", List.of(image));
        } else {
            prompt = engine.prepare(system + "<|im_start|>user\nWrite a detailed description of a scene with a small "
                    + "red star, a large gray triangle and a blue circle.<|im_end|>\n<|im_start|>assistant\n", List.of());
        }
        prefixLogits = new float[engine.model().vocabSize()];
        prefix = prefill();
    }

    @TearDown
    public void tearDown() {
        prefix.close();
        engine.close();
    }

    private DecodeState prefill() {
        float[] logits = new float[engine.model().vocabSize()];
        DecodeState s;
        if (engine.model() instanceof Qwen2VlModel vl) {
            s = vl.prefill(prompt, logits);
        } else {
            s = ((OnnxCausalLm) engine.model()).prefill(prompt.ids(), logits);
        }
        System.arraycopy(logits, 0, prefixLogits, 0, logits.length);
        return s;
    }

    /** Prompt tokens of the prefill (for tokens/s). */
    public int promptTokens() {
        return prompt.ids().length;
    }

    @Benchmark
    public int prefill(org.openjdk.jmh.infra.Blackhole bh) {
        try (DecodeState s = prefill()) {
            return s.length();
        }
    }

    @Benchmark
    public GenerationResult decode64(Split split) {
        SamplingParams params = SamplingParams.builder().temperature(0).maxTokens(65).build();
        GenerationRequest request = new GenerationRequest(params, List.of(), false, true, true);
        GenerationResult r = Generator.generate(engine.model(), logits -> {
            System.arraycopy(prefixLogits, 0, logits, 0, logits.length);
            return prefix.fork();
        }, prompt.ids(), engine.tokenizer(), List.of(), request, StreamListener.NONE);
        split.onnxRuntimeNs += r.decodeSessionNanos();
        split.javaNs += r.decodeNanos() - r.decodeSessionNanos();
        split.steps += 64;
        return r;
    }
}
