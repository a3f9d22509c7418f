package dev.tempera.eval.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.eval.diversity.PairwiseCosine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real all-MiniLM-L6-v2 from the langchain4j jar on ONNX Runtime, offline.
 *
 * <p>Bad inputs tried: a null text, a folder that does not exist, a folder without model.onnx, a folder without
 * tokenizer.json, batch size 0, maxTokens 1 and -3, intraOpThreads -1.
 */
class OnnxSentenceEmbedderTest {

    private static OnnxSentenceEmbedder miniLm;

    @BeforeAll
    static void load() {
        miniLm = OnnxSentenceEmbedder.allMiniLmL6V2();
    }

    @AfterAll
    static void close() {
        miniLm.close();
    }

    private static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(cos(a, a));
    }

    @Test
    void knownSentenceIsAUnitVectorOf384() {
        float[][] e = miniLm.embed(List.of("A large red circle on a blue background."));
        assertThat(miniLm.dimension()).isEqualTo(384);
        assertThat(e).hasDimensions(1, 384);
        assertThat(norm(e[0])).isCloseTo(1.0, within(1e-5));
        assertThat(miniLm.options().maxTokens()).isEqualTo(256);
        assertThat(miniLm.name()).isEqualTo("all-MiniLM-L6-v2 (mean, L2)");
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        float[][] e = miniLm.embed(List.of("A man is playing a guitar.", "Someone is strumming a guitar.",
                "The stock market fell sharply today.", "A red circle sits on the left of the picture.",
                "On the left side of the image there is a red disc."));
        assertThat(cos(e[0], e[1])).isGreaterThan(cos(e[0], e[2]) + 0.3);
        assertThat(cos(e[3], e[4])).isGreaterThan(cos(e[3], e[2]) + 0.3);
        assertThat(cos(e[3], e[4])).isGreaterThan(cos(e[3], e[0]));
    }

    @Test
    void rowsDoNotDependOnTheBatch() {
        List<String> texts = List.of("a small yellow square at the bottom",
                "A much longer description: a large red circle on the left, a small yellow square at the bottom, and a"
                        + " plain blue background behind both of them.",
                "星形");
        float[][] together = miniLm.embed(texts);
        try (OnnxSentenceEmbedder ones = OnnxSentenceEmbedder.allMiniLmL6V2(EmbedderOptions.defaults().withBatchSize(1))) {
            float[][] single = ones.embed(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int k = 0; k < 384; k++) {
                    assertThat(together[i][k]).as("row %d component %d", i, k).isCloseTo(single[i][k], within(1e-5f));
                }
            }
        }
        // and each row of the batch equals that text embedded alone by the same embedder
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = miniLm.embed(List.of(texts.get(i)))[0];
            assertThat(cos(alone, together[i])).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void keepsInputOrderWhenBatchesAreSortedByLength() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            texts.add("description number " + i + " " + "word ".repeat(i % 13));
        }
        float[][] all = miniLm.embed(texts);
        for (int i : new int[] {0, 12, 33, 69}) {
            assertThat(cos(all[i], miniLm.embed(List.of(texts.get(i)))[0])).as("row %d", i).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void edgeCaseTextsGiveFiniteUnitVectors() {
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            longText.append("circle").append(i % 7).append(' ');
        }
        float[][] e = miniLm.embed(List.of("", "一个红色的圆形在蓝色背景的左边。", "mixed 中文 and English 😀", longText.toString()));
        for (float[] row : e) {
            for (float x : row) {
                assertThat(x).isFinite();
            }
            assertThat(norm(row)).isCloseTo(1.0, within(1e-5));
        }
        assertThat(miniLm.embed(List.of())).isEmpty();
    }

    @Test
    void identicalTextsHaveZeroPairwiseDistance() {
        float[][] e = miniLm.embed(List.of("a blue star", "a blue star", "a blue star"));
        assertThat(PairwiseCosine.meanDistance(e)).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void loadsTheSameModelFromAFolder(@TempDir Path dir) throws IOException {
        Path onnx = Files.createDirectories(dir.resolve("onnx"));
        // the transformers.js layout: onnx/model.onnx; a link to the copy the bundled embedder made
        Files.createSymbolicLink(onnx.resolve("model.onnx"), bundledModelCopy());
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(OnnxSentenceEmbedder.BUNDLED_TOKENIZER)) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128, \"do_lower_case\": false}");
        try (OnnxSentenceEmbedder folder = OnnxSentenceEmbedder.fromFolder(dir)) {
            assertThat(folder.options().maxTokens()).isEqualTo(128);
            assertThat(folder.dimension()).isEqualTo(384);
            String text = "a green triangle at the top";
            assertThat(cos(folder.embed(List.of(text))[0], miniLm.embed(List.of(text))[0])).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void rejectsBadArguments(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> miniLm.embed(Arrays.asList("a", null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("texts[1] must be a string, but is: null");
        assertThatThrownBy(() -> OnnxSentenceEmbedder.fromFolder(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("embedding model folder must be an existing directory, but is: ");
        assertThatThrownBy(() -> OnnxSentenceEmbedder.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(" must hold model.onnx or onnx/model.onnx, but holds neither");
        Files.createSymbolicLink(dir.resolve("model.onnx"), bundledModelCopy());
        assertThatThrownBy(() -> OnnxSentenceEmbedder.fromFolder(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(" must hold tokenizer.json, but does not");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withBatchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1, but is: 0");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withMaxTokens(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTokens must be >= 2 (room for the special tokens) or 0 for the model's own limit, but is: 1");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withMaxTokens(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but is: -3");
        assertThatThrownBy(() -> EmbedderOptions.defaults().withIntraOpThreads(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: -1");
    }

    /** The temporary copy of the bundled model that {@link OnnxSentenceEmbedder#allMiniLmL6V2()} made. */
    private static Path bundledModelCopy() {
        return miniLm.modelFile();
    }
}
