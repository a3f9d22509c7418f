package dev.tempera.bench;

import dev.tempera.eval.diversity.PairwiseCosine;
import dev.tempera.eval.diversity.Vendi;
import dev.tempera.eval.image.MsSsimDiversity;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.SceneSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The model-free image-diversity metrics on the workload: 64 images of 64×64 for one prompt.
 *
 * <ul>
 *   <li>{@code msSsimDiversity}: {@link MsSsimDiversity} over the 2,016 pairs of 64 rendered Shapes-world scenes
 *       (3 MS-SSIM scales at this size), pixels already read;</li>
 *   <li>{@code clipEmbeddingDiversity}: mean pairwise cosine distance and Vendi of 64 × 128 embeddings (the shape
 *       shapes-clip's {@code image_embeds} has; ViT-B/32's is 512), without the model call.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Djava.awt.headless=true"})
public class EvalImageBench {

    static final int IMAGES = 64;
    static final int SIZE = 64;

    private List<RgbPixels> images;
    private float[][] embeddings;

    @Setup
    public void setUp() {
        images = new ArrayList<>(IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            images.add(RgbPixels.of(Renderer.render(SceneSampler.sample(BenchData.SEED, i), SIZE)));
        }
        Random random = new Random(BenchData.SEED);
        embeddings = new float[IMAGES][128];
        for (float[] row : embeddings) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
    }

    @Benchmark
    public double msSsimDiversity() {
        return MsSsimDiversity.ofPixels(images).diversity();
    }

    @Benchmark
    public double clipEmbeddingDiversity() {
        return PairwiseCosine.meanDistance(embeddings) + Vendi.score(embeddings);
    }
}
