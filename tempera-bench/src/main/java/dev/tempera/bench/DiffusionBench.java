package dev.tempera.bench;

import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.LoopTimings;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.pipeline.StableDiffusion;
import dev.tempera.image.pipeline.StableDiffusionXL;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.runtime.onnx.SessionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * One SD or SDXL image (issue 4's performance points): 30 steps at guidance 7.5 (UNet batch 2 for classifier-free
 * guidance), 64x64, one seed, with the model's own scheduler (model_index.json decides SD or SDXL). A JMH operation is the whole {@code generate}: text encoding, the loop, the VAE decode. The aux
 * counters split the loop: {@code unetNs} inside ONNX Runtime's UNet run, {@code javaNs} the rest of the loop
 * (scheduler, guidance, tensors and copies) — the bound is javaNs ≤ 2 % of unetNs.
 *
 * <p>{@code model} is a folder relative to the repository root: the bundled {@code models/shapes-sd} and
 * {@code models/shapes-sdxl}, or the tiny synthetic SD of tempera-image's tests (a UNet of a few kilobytes, so the
 * Java side shows as much as it ever can).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx1g"})
public class DiffusionBench {

    @Param({"models/shapes-sd", "models/shapes-sdxl", "tempera-image/src/test/resources/tiny-sd"})
    String model;

    @Param({"0"})
    int threads;

    private StableDiffusion sd;
    private StableDiffusionXL xl;
    private ImageRequest request;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public long javaNs;
        public long unetNs;
        public long steps;

        @Setup(Level.Iteration)
        public void reset() {
            javaNs = 0;
            unetNs = 0;
            steps = 0;
        }
    }

    @Setup
    public void setUp() {
        Path root = TextGenerationBench.models().getParent();
        Path dir = root.resolve(model);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no model folder " + dir);
        }
        SessionSettings settings = SessionSettings.defaults().withIntraOpThreads(threads);
        try {
            if (Files.readString(dir.resolve("model_index.json")).contains("StableDiffusionXLPipeline")) {
                xl = StableDiffusionXL.open(dir, settings);
            } else {
                sd = StableDiffusion.open(dir, settings);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        request = ImageRequest.of("a red circle on a blue background").withSize(64, 64).withSteps(30)
                .withSeeds(List.of(0L));
    }

    @TearDown
    public void tearDown() {
        if (sd != null) {
            sd.close();
        }
        if (xl != null) {
            xl.close();
        }
    }

    @Benchmark
    public GeneratedImage image(Split split) {
        GeneratedImage img = sd != null ? sd.generate(request, StepListener.NONE).get(0)
                : xl.generate(request, SdxlOptions.defaults(), StepListener.NONE).get(0);
        LoopTimings t = sd != null ? sd.lastTimings() : xl.lastTimings();
        split.unetNs += t.unetNanos();
        split.javaNs += t.loopNanos() - t.unetNanos();
        split.steps += t.steps();
        return img;
    }
}
