package dev.tempera.eval.align;

import static dev.tempera.eval.align.OnnxGraphWriter.FLOAT;
import static dev.tempera.eval.align.OnnxGraphWriter.INT64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Optimum layout: one {@code model.onnx} that takes {@code input_ids}, {@code pixel_values} and
 * {@code attention_mask} together. No real export can be downloaded here, so the test builds a tiny graph with that
 * exact contract whose embeddings can be computed by hand:
 * <ul>
 *   <li>{@code text_embeds} = L2-normalised counts of (id mod 3) over the positions the attention mask keeps — so a
 *       mask that is not fed, or padding that is not masked, changes the result;</li>
 *   <li>{@code image_embeds} = L2-normalised per-channel means of {@code pixel_values};</li>
 *   <li>{@code logits_per_image} = 100 · image_embeds · text_embedsᵀ, {@code logits_per_text} its transpose.</li>
 * </ul>
 * It runs on real ONNX Runtime through {@link ClipModel}'s joint-graph path (dummy image for texts, dummy text for
 * images). Tokenizer and preprocessor files are shapes-clip's.
 */
class ClipModelOptimumLayoutTest {

    static byte[] fixture(boolean extraInput) {
        OnnxGraphWriter g = new OnnxGraphWriter()
                .input("input_ids", INT64, "text_batch_size", "sequence_length")
                .input("pixel_values", FLOAT, "image_batch_size", 3, "height", "width")
                .input("attention_mask", INT64, "text_batch_size", "sequence_length");
        if (extraInput) {
            g.input("position_ids", INT64, "text_batch_size", "sequence_length");
        }
        return g.int64Initializer("three", new long[] {}, 3)
                .int64Initializer("depth", new long[] {1}, 3)
                .floatInitializer("off_on", new long[] {2}, 0f, 1f)
                .floatInitializer("logit_scale", new long[] {}, 100f)
                .node("Mod", new String[] {"input_ids", "three"}, new String[] {"residue"})
                .node("OneHot", new String[] {"residue", "depth", "off_on"}, new String[] {"onehot"}, "axis", -1)
                .node("Cast", new String[] {"attention_mask"}, new String[] {"mask_f"}, "to", 1)
                .node("Unsqueeze", new String[] {"mask_f"}, new String[] {"mask_3d"}, "axes", new long[] {2})
                .node("Mul", new String[] {"onehot", "mask_3d"}, new String[] {"masked"})
                .node("ReduceSum", new String[] {"masked"}, new String[] {"counts"}, "axes", new long[] {1}, "keepdims", 0)
                .node("LpNormalization", new String[] {"counts"}, new String[] {"text_embeds"}, "axis", 1, "p", 2)
                .node("ReduceMean", new String[] {"pixel_values"}, new String[] {"means"}, "axes", new long[] {2, 3},
                        "keepdims", 0)
                .node("LpNormalization", new String[] {"means"}, new String[] {"image_embeds"}, "axis", 1, "p", 2)
                .node("Transpose", new String[] {"text_embeds"}, new String[] {"text_t"}, "perm", new long[] {1, 0})
                .node("MatMul", new String[] {"image_embeds", "text_t"}, new String[] {"cosines"})
                .node("Mul", new String[] {"cosines", "logit_scale"}, new String[] {"logits_per_image"})
                .node("Transpose", new String[] {"logits_per_image"}, new String[] {"logits_per_text"}, "perm",
                        new long[] {1, 0})
                .output("logits_per_image", FLOAT, "image_batch_size", "text_batch_size")
                .output("logits_per_text", FLOAT, "text_batch_size", "image_batch_size")
                .output("text_embeds", FLOAT, "text_batch_size", 3)
                .output("image_embeds", FLOAT, "image_batch_size", 3)
                .build(12);
    }

    private static Path folder(Path dir, String modelPath, boolean extraInput) throws IOException {
        Path f = ClipModelTest.copyTokenizerAndProcessor(dir);
        Files.createDirectories(f.resolve(modelPath).getParent());
        Files.write(f.resolve(modelPath), fixture(extraInput));
        return f;
    }

    private static BufferedImage solid(int rgb) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void embedsTextsWithTheMaskAndImagesWithDummyPartners(@TempDir Path dir) throws IOException {
        try (ClipModel clip = ClipModel.load(folder(dir, "model.onnx", false))) {
            assertThat(clip.layout()).isEqualTo(ClipLayout.OPTIMUM);
            // "a red circle" = 1712 320 663 604 1713; mod 3 = 2 2 0 1 0 → counts (2, 1, 2), norm 3. In one batch with a
            // longer text it is padded with 1713 (mod 3 = 0): only a fed attention mask keeps the counts at (2, 1, 2).
            float[][] t = clip.embedTexts(List.of("a red circle", "a red circle and a yellow square on the left"));
            assertThat(t[0]).containsExactly(new float[] {2 / 3f, 1 / 3f, 2 / 3f}, within(1e-6f));
            // Solid colour: every pixel value per channel is the normalised value, so the means are those values:
            // R 220 → 1.4193913, G 30 → -1.3018641, B 0 → -1.4802198 (numpy float32, see ClipImageProcessorTest).
            float[] img = clip.embedImages(List.of(solid(0xDC1E00)))[0];
            double[] v = {1.4193913, -1.3018641, -1.4802198};
            double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            assertThat(img).containsExactly(new float[] {(float) (v[0] / n), (float) (v[1] / n), (float) (v[2] / n)},
                    within(1e-5f));
            // CLIP-S = 2.5 · max(cos, 0): cos = (2·0.5788 − 0.5308 − 2·0.6036) / 3 < 0 → 0 for this pair
            double cos = (2 * v[0] + v[1] + 2 * v[2]) / (3 * n);
            assertThat(cos).isNegative();
            TextImageScore s = new ClipScore(clip).score(solid(0xDC1E00), "a red circle");
            assertThat(s.score()).isZero();
            // a bright image: all channels positive, cosine with (2, 1, 2)/3 positive
            TextImageScore white = new ClipScore(clip).score(solid(0xFFFFFF), "a red circle");
            double[] w = {(1 - 0.48145466) / 0.26862954, (1 - 0.4578275) / 0.26130258, (1 - 0.40821073) / 0.27577711};
            double wn = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
            assertThat(white.score()).isCloseTo(2.5 * (2 * w[0] + w[1] + 2 * w[2]) / (3 * wn), within(1e-5));
        }
    }

    @Test
    void findsTheJointGraphUnderOnnxToo(@TempDir Path dir) throws IOException {
        try (ClipModel clip = ClipModel.load(folder(dir, "onnx/model.onnx", false))) {
            assertThat(clip.layout()).isEqualTo(ClipLayout.OPTIMUM);
            assertThat(clip.embedTexts(List.of("red"))[0]).hasSize(3);
        }
    }

    @Test
    void refusesAGraphWithAnInputItCannotFeed(@TempDir Path dir) throws IOException {
        Path f = folder(dir, "model.onnx", true);
        assertThatThrownBy(() -> ClipModel.load(f))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("model.onnx")
                .hasMessageContaining("has input 'position_ids'");
    }
}
