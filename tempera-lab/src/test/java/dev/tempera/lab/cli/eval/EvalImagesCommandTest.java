package dev.tempera.lab.cli.eval;

import static dev.tempera.shapes.Position.BOTTOM;
import static dev.tempera.shapes.Position.LEFT;
import static dev.tempera.shapes.Position.RIGHT;
import static dev.tempera.shapes.Position.TOP;
import static dev.tempera.shapes.ShapeColor.BLUE;
import static dev.tempera.shapes.ShapeColor.GREEN;
import static dev.tempera.shapes.ShapeColor.RED;
import static dev.tempera.shapes.ShapeColor.WHITE;
import static dev.tempera.shapes.ShapeKind.CIRCLE;
import static dev.tempera.shapes.ShapeKind.STAR;
import static dev.tempera.shapes.Size.LARGE;
import static dev.tempera.shapes.Size.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempera.eval.Creativity;
import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ClipScore;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.image.ImageDiversity;
import dev.tempera.eval.image.ImageDiversityReport;
import dev.tempera.shapes.AttributeScorer;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.ImageChecker;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.TextParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempera eval images} on PNGs written by the Shapes renderer: the numbers (table and JSON) are the library's
 * for the same images and the bundled {@code models/shapes-clip}, and the Shapes checker's rates are those of
 * {@link ImageChecker} and {@link AttributeScorer} called directly. Bad inputs are in {@link EvalUsageErrorsTest}.
 */
class EvalImagesCommandTest {

    static final String PROMPT = "a red circle on a blue background";

    /** Three scenes that satisfy the prompt (one red circle on blue, any size and place) and one that does not. */
    static final List<Scene> SCENES = List.of(
            Scene.of(BLUE, new Shape(CIRCLE, RED, LARGE, LEFT)),
            Scene.of(BLUE, new Shape(CIRCLE, RED, SMALL, RIGHT)),
            Scene.of(BLUE, new Shape(CIRCLE, RED, LARGE, TOP)),
            Scene.of(WHITE, new Shape(STAR, GREEN, SMALL, BOTTOM)));

    @TempDir Path dir;

    /** Writes the scenes as seed-1.png .. seed-4.png and a parameters file the command must skip. */
    private List<BufferedImage> writeImages() throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < SCENES.size(); i++) {
            BufferedImage img = Renderer.render(SCENES.get(i));
            ImageIO.write(img, "png", dir.resolve("seed-" + (i + 1) + ".png").toFile());
            images.add(ImageIO.read(dir.resolve("seed-" + (i + 1) + ".png").toFile()));
        }
        TestFiles.write(dir.resolve("params.json"), "{\"guidance\": 7.5}");
        return images;
    }

    @Test
    void tableAndJsonHoldTheLibrarysNumbersForTheSameImages() throws IOException {
        List<BufferedImage> images = writeImages();
        TestFiles.Run json = TestFiles.run("eval", "images", "--dir", dir.toString(), "--prompt", PROMPT, "--json");
        TestFiles.Run table = TestFiles.run("eval", "images", "--dir", dir.toString(), "--prompt", PROMPT);
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(table.code()).as(table.err()).isZero();
        JsonNode root = json.json();

        try (ClipModel clip = ClipModel.load(TestFiles.shapesClip())) {
            ClipScores alignment = new ClipScore(clip).imagesAgainstPrompt(images, PROMPT);
            ImageDiversityReport diversity = ImageDiversity.measure(clip, images);
            Creativity creativity = Creativity.ofImages(alignment, diversity);

            assertThat(root.get("images").size()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                JsonNode img = root.get("images").get(i);
                assertThat(img.get("file").asText()).isEqualTo("seed-" + (i + 1) + ".png");
                assertThat(img.get("clipScore").asDouble()).isCloseTo(alignment.pairs().get(i).score(), within(1e-6));
                // the table's row for the image shows the same score
                assertThat(table.row("seed-" + (i + 1) + ".png").get(1)).isEqualTo(EvalTextCommandTest.f3(img.get("clipScore")));
            }
            assertThat(root.get("clipScore").asDouble()).isCloseTo(alignment.mean(), within(1e-6));
            assertThat(root.get("mda").asDouble()).isCloseTo(alignment.meanAlignment(), within(1e-6));
            assertThat(root.get("clipMeanCosineDistance").asDouble())
                    .isCloseTo(diversity.clipMeanCosineDistance(), within(1e-6));
            assertThat(root.get("clipVendi").asDouble()).isCloseTo(diversity.clipVendi(), within(1e-6));
            // MS-SSIM is computed from the pixels alone: exactly the library's value; 64x64 allows 3 scales
            assertThat(root.get("msSsim").get("diversity").asDouble()).isEqualTo(diversity.pixel().diversity());
            assertThat(root.get("msSsim").get("scales").asInt()).isEqualTo(3);
            assertThat(root.get("msSsim").get("pairs").asInt()).isEqualTo(6);
            assertThat(root.get("creativity").get("score").asDouble()).isCloseTo(creativity.score(), within(1e-6));
            assertThat(root.get("creativity").get("meanAlignment").asDouble()).isEqualTo(root.get("mda").asDouble());
            assertThat(root.get("creativity").get("vendi").asDouble()).isEqualTo(root.get("clipVendi").asDouble());
        }
        // the checker called directly: 3 of the 4 images satisfy the prompt and have its kind and colour
        Description prompt = TextParser.parse(PROMPT);
        long satisfied = images.stream().filter(i -> AttributeScorer.promptSatisfied(prompt, ImageChecker.check(i))).count();
        assertThat(satisfied).isEqualTo(3);
        assertThat(root.get("shapes").get("satisfiedRate").asDouble()).isEqualTo(0.75);
        assertThat(root.get("shapes").get("kindColourRate").asDouble()).isEqualTo(0.75);
        assertThat(root.get("images").get(3).get("shapes").get("satisfied").asBoolean()).isFalse();
        assertThat(root.get("skipped").get(0).asText()).isEqualTo("params.json");

        assertThat(table.row("modal alignment: MDA (CLIPScore / 2.5)").get(1)).isEqualTo(EvalTextCommandTest.f3(root.get("mda")));
        assertThat(table.row("Vendi, CLIP image embeddings").get(1)).isEqualTo(EvalTextCommandTest.f3(root.get("clipVendi")));
        assertThat(table.row("MS-SSIM diversity (1 - mean MS-SSIM)").get(1))
                .isEqualTo(EvalTextCommandTest.f3(root.get("msSsim").get("diversity")));
        assertThat(table.row("creativity = MDA x Vendi").get(1))
                .isEqualTo(EvalTextCommandTest.f3(root.get("creativity").get("score")));
        assertThat(table.row("Shapes: prompt satisfied").get(1)).isEqualTo("0.750");
        assertThat(table.out()).contains("skipped 1 other file: params.json");
    }

    @Test
    void aPromptOutsideTheShapesWorldSkipsTheChecker() throws IOException {
        writeImages();
        TestFiles.Run json = TestFiles.run("eval", "images", "--dir", dir.toString(), "--prompt", "a lighthouse at dusk",
                "--json");
        TestFiles.Run table = TestFiles.run("eval", "images", "--dir", dir.toString(), "--prompt", "a lighthouse at dusk");

        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.json().get("shapes").isNull()).isTrue();
        assertThat(table.out()).contains("Shapes checker: skipped, the prompt names no Shapes-world shape.")
                .doesNotContain("Shapes: prompt satisfied");
    }

    @Test
    void oneImageHasNoDiversity() throws IOException {
        ImageIO.write(Renderer.render(SCENES.get(0)), "png", dir.resolve("only.png").toFile());
        TestFiles.Run r = TestFiles.run("eval", "images", "--dir", dir.toString(), "--prompt", PROMPT, "--json");

        assertThat(r.code()).as(r.err()).isZero();
        // no pair: distance 0, Vendi 1, MS-SSIM diversity 0, never NaN
        assertThat(r.json().get("clipMeanCosineDistance").asDouble()).isZero();
        assertThat(r.json().get("clipVendi").asDouble()).isEqualTo(1.0);
        assertThat(r.json().get("msSsim").get("diversity").asDouble()).isZero();
    }

    @Test
    void helpShowsExamples() {
        TestFiles.Run r = TestFiles.run("eval", "images", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Examples:", "tempera eval images --dir out/ --prompt");
    }
}
