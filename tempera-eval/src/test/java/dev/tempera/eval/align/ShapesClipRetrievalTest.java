package dev.tempera.eval.align;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempera.shapes.DatasetSpec;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.SceneSampler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bundled shapes-clip's quality target (≥ 95 % top-1 when picking an image's caption among 10) measured through
 * Tempera's Java path: ClipTokenizer, ClipImageProcessor and the two ONNX graphs on ONNX Runtime.
 *
 * <p>The items are those of {@code tools/sample-models/measure_clip.py} ("random"): the first 1,000 test-split scenes of
 * the training dataset ({@code tempera shapes dataset --count 30000 --seed 1 --size 64}, rebuilt here scene by scene
 * with {@link DatasetWriter#entry}, so nothing held out was trained on), image n against its own caption at level n mod
 * 4 (en short, en detailed, zh short, zh detailed) and 9 captions of the same level of other test scenes. The 9 are
 * drawn with a Java random stream, not Python's, so the distractors differ from the Python measurement's.
 */
class ShapesClipRetrievalTest {

    private static final DatasetSpec TRAINING_DATASET = new DatasetSpec(30_000, 1, 64);
    private static final int IMAGES = 1_000;
    private static final String[] LEVELS = {"en short", "en detailed", "zh short", "zh detailed"};

    @Test
    void picksTheRightCaptionAmongTenForAtLeast95PercentOfHeldOutScenes() {
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < TRAINING_DATASET.count() && test.size() < IMAGES; i++) {
            if (DatasetWriter.isTest(TRAINING_DATASET.seed(), i)) {
                test.add(i);
            }
        }
        List<BufferedImage> images = new ArrayList<>();
        List<String[]> captions = new ArrayList<>();
        for (int index : test) {
            images.add(Renderer.render(SceneSampler.sample(TRAINING_DATASET.seed(), index), TRAINING_DATASET.size()));
            JsonNode c = DatasetWriter.entry(TRAINING_DATASET, index).get("captions");
            captions.add(new String[] {c.get("en").get("short").asText(), c.get("en").get("detailed").asText(),
                c.get("zh").get("short").asText(), c.get("zh").get("detailed").asText()});
        }
        ClipModel clip = ShapesClip.model();
        float[][] imageEmbeds = clip.embedImages(images);

        SplittableRandom random = new SplittableRandom(5);
        int[] hits = new int[LEVELS.length];
        int[] trials = new int[LEVELS.length];
        for (int n = 0; n < test.size(); n++) {
            int level = n % LEVELS.length;
            List<String> candidates = new ArrayList<>(List.of(captions.get(n)[level]));
            while (candidates.size() < 10) {
                int other = random.nextInt(test.size());
                String text = captions.get(other)[level];
                if (other != n && !candidates.contains(text)) {
                    candidates.add(text);
                }
            }
            float[][] textEmbeds = clip.embedTexts(candidates);
            int best = 0;
            for (int k = 1; k < textEmbeds.length; k++) {
                if (dot(imageEmbeds[n], textEmbeds[k]) > dot(imageEmbeds[n], textEmbeds[best])) {
                    best = k;
                }
            }
            hits[level] += best == 0 ? 1 : 0;
            trials[level]++;
        }
        int total = 0;
        StringBuilder byLevel = new StringBuilder();
        for (int level = 0; level < LEVELS.length; level++) {
            total += hits[level];
            byLevel.append(String.format("  %s %.3f", LEVELS[level], hits[level] / (double) trials[level]));
        }
        double top1 = total / (double) test.size();
        System.out.printf("shapes-clip through Java: top-1 among 10 captions %.3f over %d held-out scenes;%s%n",
                top1, test.size(), byLevel);
        assertThat(test).hasSize(IMAGES);
        assertThat(top1).as("top-1 among 10 captions over %d held-out scenes (%s)", IMAGES, byLevel)
                .isGreaterThanOrEqualTo(0.95);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
