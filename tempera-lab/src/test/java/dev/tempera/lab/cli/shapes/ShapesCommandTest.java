package dev.tempera.lab.cli.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.shapes.ImageChecker;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.SceneSampler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ShapesCommandTest {

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs the command wired as TemperaCli wires its subcommands (one-line usage errors, exit 2). */
    private int run(String... args) {
        CommandLine cl = new CommandLine(new ShapesCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("tempera: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    @Test
    void renderThenCheckSatisfiesThePrompt() {
        Path png = dir.resolve("x.png");
        assertThat(run("render", "--prompt", "a large red circle on a blue background", "--out", png.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("large red circle").contains("wrote " + png);
        out.getBuffer().setLength(0);

        assertThat(run("check", png.toString(), "--prompt", "a large red circle on a blue background")).isZero();
        assertThat(out.toString())
                .contains("scene: blue background with large red circle at")
                .containsPattern("all\\s+1\\.00")
                .contains("hallucinated: none")
                .contains("prompt satisfied: yes");
    }

    @Test
    void checkJsonReportsHallucinatedAttributes() throws IOException {
        Path png = dir.resolve("y.png");
        assertThat(run("render", "--prompt", "蓝色背景上左边有一个大的红色圆形", "--out", png.toString(), "--size", "128"))
                .isZero();
        out.getBuffer().setLength(0);
        assertThat(run("check", png.toString(), "--prompt", "a green circle on the left", "--json")).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("known").asBoolean()).isTrue();
        assertThat(json.at("/scene/background").asText()).isEqualTo("blue");
        assertThat(json.at("/prompt/satisfied").asBoolean()).isFalse();
        // Kind and position hold, colour does not: 2 of 3 stated attributes are true.
        assertThat(json.at("/prompt/all/precision").asDouble()).isEqualTo(2.0 / 3);
        assertThat(json.at("/prompt/hallucinated/0/value").asText()).isEqualTo("green");
    }

    @Test
    void checkSaysUnknownForNonScenes() throws IOException {
        Path noise = dir.resolve("noise.png");
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        javax.imageio.ImageIO.write(img, "png", noise.toFile());
        assertThat(run("check", noise.toString(), "--prompt", "a red circle")).isZero();
        assertThat(out.toString()).contains("scene: unknown (background is not uniform")
                .contains("prompt satisfied: no (the image is not a recognised scene)");
    }

    @Test
    void datasetWritesImagesJsonlAndProgress() throws IOException {
        Path data = dir.resolve("data");
        assertThat(run("dataset", "--count", "40", "--seed", "3", "--size", "32", "--out", data.toString())).isZero();
        List<String> lines = Files.readAllLines(data.resolve("scenes.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(40);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("image").asText()).isEqualTo("images/000000.png");
        assertThat(first.at("/captions/zh/detailed").asText()).isNotBlank();
        assertThat(ImageChecker.check(data.resolve("images/000039.png")).scene())
                .hasValueSatisfying(s -> assertThat(s.sameAs(SceneSampler.sample(3, 39))).isTrue());
        assertThat(err.toString()).contains("dataset: 10%").contains("dataset: 100% (40/40)");
        assertThat(out.toString()).startsWith("wrote 40 scenes (");
    }

    @Test
    void datasetRefusesToOverwriteAnExistingDataset() {
        Path data = dir.resolve("data");
        assertThat(run("dataset", "--count", "2", "--out", data.toString())).isZero();
        assertThat(run("dataset", "--count", "2", "--out", data.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out: output directory must not already hold a dataset");
    }

    @Test
    void usageErrorsExit2NamingTheOptionAndValue() {
        assertThat(run("dataset", "--count", "0", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--count must be in [1, 10000000], but is: 0");
        assertThat(run("render", "--prompt", "a red circle", "--size", "8", "--out", dir.resolve("a.png").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--size must be in [16, 4096], but is: 8");
        assertThat(run("render", "--prompt", "  ", "--out", dir.resolve("a.png").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--prompt: description text must contain at least one non-blank character");
        assertThat(run("render", "--prompt", "a red circle on a red background", "--out", dir.resolve("a.png").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--prompt describes no valid scene");
        assertThat(run("check", dir.resolve("missing.png").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("IMAGE: image file must be an existing, readable").contains("missing.png");
    }

    @Test
    void helpListsDefaultsAndExamples() {
        assertThat(run("dataset", "--help")).isZero();
        assertThat(out.toString()).contains("Default: 20000").contains("Examples:");
    }

    @Test
    void renderedSceneIsReproducibleFromTheSeed() throws IOException {
        Path a = dir.resolve("a.png");
        Path b = dir.resolve("b.png");
        run("render", "--prompt", "a star", "--seed", "5", "--out", a.toString());
        run("render", "--prompt", "a star", "--seed", "5", "--out", b.toString());
        Scene sa = ImageChecker.check(a).scene().orElseThrow();
        assertThat(ImageChecker.check(b).scene()).contains(sa);
    }
}
