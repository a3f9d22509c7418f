package dev.tempera.eval.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.shapes.SceneSampler;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transformers.js layout on real ONNX Runtime with the bundled shapes-clip. */
class ClipModelTest {

    private final ClipModel clip = ShapesClip.model();

    @Test
    void detectsTheTransformersJsLayout() {
        assertThat(clip.layout()).isEqualTo(ClipLayout.TRANSFORMERS_JS);
        assertThat(clip.tokenizer().maxLength()).isEqualTo(77);
        assertThat(clip.imageProcessor().config().cropHeight()).isEqualTo(64);
    }

    @Test
    void textEmbeddingsMatchPyTorchThroughTheWholeJavaPath() {
        // tools/sample-models/golden/shapes-clip/text_model-batch{1-20,2-77}: PyTorch's text_embeds at export time for
        // these three texts (ids from the training tokenizer, padded to 20 / 77), L2-normalised with numpy. Here the
        // text goes through ClipTokenizer (unpadded) and ORT: components 0..3 and 127 must agree to 1e-4.
        float[][] e = clip.embedTexts(List.of("绿色的圆形、红色的菱形", "green circle, red diamond",
                "an orange star and a white triangle on a blue background"));
        assertThat(e[0][0]).isCloseTo(0.1731720f, within(1e-4f));
        assertThat(e[0][1]).isCloseTo(0.1064521f, within(1e-4f));
        assertThat(e[0][2]).isCloseTo(-0.1073283f, within(1e-4f));
        assertThat(e[0][3]).isCloseTo(0.0993618f, within(1e-4f));
        assertThat(e[0][127]).isCloseTo(0.1017808f, within(1e-4f));
        assertThat(e[1][0]).isCloseTo(0.1819429f, within(1e-4f));
        assertThat(e[1][3]).isCloseTo(0.0929804f, within(1e-4f));
        assertThat(e[1][127]).isCloseTo(0.1069520f, within(1e-4f));
        assertThat(e[2][0]).isCloseTo(0.0117927f, within(1e-4f));
        assertThat(e[2][1]).isCloseTo(-0.0686380f, within(1e-4f));
        assertThat(e[2][2]).isCloseTo(0.1579261f, within(1e-4f));
        assertThat(e[2][127]).isCloseTo(0.0812573f, within(1e-4f));
    }

    @Test
    void embeddingsAreUnitLengthAndIndependentOfBatchingAndPadding() {
        List<String> texts = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            texts.add(ShapesClip.caption(SceneSampler.sample(5, i), i % 2 == 0 ? dev.tempera.shapes.Language.EN
                    : dev.tempera.shapes.Language.ZH));
            images.add(ShapesClip.render(SceneSampler.sample(5, i)));
        }
        texts.add("");
        float[][] big = clip.embedTexts(texts);
        float[][] imgBig = clip.embedImages(images);
        try (ClipModel small = ClipModel.load(ShapesClip.dir(), 1, 3)) {
            float[][] t = small.embedTexts(texts);
            float[][] im = small.embedImages(images);
            for (int i = 0; i < texts.size(); i++) {
                // batches of 3 pad to a different length than one batch of 8
                assertThat(t[i]).as("text %d", i).containsExactly(big[i], within(1e-5f));
            }
            for (int i = 0; i < images.size(); i++) {
                assertThat(im[i]).as("image %d", i).containsExactly(imgBig[i], within(1e-5f));
            }
        }
        for (float[] row : big) {
            double n = 0;
            for (float v : row) {
                n += v * v;
            }
            assertThat(Math.sqrt(n)).isCloseTo(1.0, within(1e-5));
            assertThat(row).hasSize(128);
        }
    }

    @Test
    void pngFilesEmbedLikeTheImagesTheyHold(@TempDir Path dir) throws IOException {
        BufferedImage img = ShapesClip.render(SceneSampler.sample(9, 1));
        Path f = dir.resolve("a.png");
        ImageIO.write(img, "png", f.toFile());
        assertThat(clip.embedImageFiles(List.of(f))[0]).containsExactly(clip.embedImages(List.of(img))[0], within(0f));
    }

    @Test
    void badFoldersAndFilesAreNamed(@TempDir Path dir) throws IOException {
        // Tried: a missing folder, a folder without graphs, a corrupt text graph, the towers swapped (wrong contract),
        // batch size 0, an empty list, a null text, a missing image file, a file that is not an image.
        assertThatThrownBy(() -> ClipModel.load(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an existing directory")
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> ClipModel.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("onnx/text_model.onnx + onnx/vision_model.onnx").hasMessageContaining("holds none");
        Path broken = copyTokenizerAndProcessor(dir.resolve("broken"));
        Files.createDirectories(broken.resolve("onnx"));
        Files.write(broken.resolve("onnx/text_model.onnx"), new byte[] {1, 2, 3, 4});
        Files.copy(ShapesClip.dir().resolve("onnx/vision_model.onnx"), broken.resolve("onnx/vision_model.onnx"));
        assertThatThrownBy(() -> ClipModel.load(broken))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("text_model.onnx");
        Path swapped = copyTokenizerAndProcessor(dir.resolve("swapped"));
        Files.createDirectories(swapped.resolve("onnx"));
        Files.copy(ShapesClip.dir().resolve("onnx/vision_model.onnx"), swapped.resolve("onnx/text_model.onnx"));
        Files.copy(ShapesClip.dir().resolve("onnx/text_model.onnx"), swapped.resolve("onnx/vision_model.onnx"));
        assertThatThrownBy(() -> ClipModel.load(swapped))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("text_model.onnx")
                .hasMessageContaining("no input 'input_ids'");
        assertThatThrownBy(() -> ClipModel.load(ShapesClip.dir(), 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be in [1, 4096], but is: 0");
        assertThatThrownBy(() -> clip.embedTexts(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 text, but holds: 0");
        assertThatThrownBy(() -> clip.embedTexts(java.util.Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1] must be a string, but is: null");
        assertThatThrownBy(() -> clip.embedImageFiles(List.of(dir.resolve("missing.png"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.png");
        Path text = dir.resolve("not-an-image.png");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> clip.embedImageFiles(List.of(text)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-an-image.png")
                .hasMessageContaining("no format ImageIO reads");
    }

    static Path copyTokenizerAndProcessor(Path target) throws IOException {
        Files.createDirectories(target);
        for (String f : List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json",
                "preprocessor_config.json")) {
            Files.copy(ShapesClip.dir().resolve(f), target.resolve(f));
        }
        return target;
    }
}
