package dev.tempera.lab.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.image.output.PngText;
import dev.tempera.image.output.PngWriter;
import dev.tempera.lab.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempera image} on the tiny synthetic SD fixture of tempera-image's tests: one PNG per seed and guidance with
 * the parameters embedded, a contact sheet for several guidance scales, JSON output; bad inputs exit 2 (tried: size
 * not a multiple of 8, malformed size, steps 0, negative guidance, a descending seed range, non-numeric seeds, an
 * unknown scheduler, a --model that is neither a folder nor an id).
 */
class ImageCommandTest {

    static Path fixture() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("tempera-image/src/test/resources/tiny-sd"))) {
            p = p.getParent();
        }
        return p.resolve("tempera-image/src/test/resources/tiny-sd");
    }

    @TempDir
    Path out;

    @Test
    void writesOnePngPerSeedWithItsParameters() {
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "0-1",
                "--steps", "10", "--size", "32x32", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out.resolve("seed-0.png")).exists();
        assertThat(out.resolve("seed-1.png")).exists();
        String params = PngText.read(out.resolve("seed-1.png")).get(PngWriter.PARAMETERS_KEY);
        assertThat(params).isEqualTo("a red circle\nSteps: 10, Sampler: PNDM, CFG scale: 7.5, Seed: 1, Size: 32x32, "
                + "Model: tiny-sd, Scheduler: pndm");
        assertThat(r.err()).contains("s/step");
    }

    @Test
    void severalGuidanceScalesMakeAGridAndJsonListsEveryFile() throws IOException {
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "0,3",
                "--guidance", "1,7.5", "--steps", "6", "--scheduler", "euler_a", "--size", "32x32",
                "--negative-prompt", "blurry", "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = new ObjectMapper().readTree(r.out());
        assertThat(o.get("images")).hasSize(4);
        assertThat(o.get("contact_sheet").asText()).endsWith("contact-sheet.png");
        assertThat(out.resolve("seed-3-g7.5.png")).exists();
        assertThat(out.resolve("seed-0-g1.png")).exists();
        JsonNode p = o.get("images").get(0).get("parameters");
        assertThat(p.get("negative_prompt").asText()).isEqualTo("blurry");
        assertThat(p.get("sampler").asText()).isEqualTo("Euler a");
    }

    @Test
    void anSdxlFolderRunsTheSdxlPipeline() {
        Path xl = fixture().resolveSibling("tiny-sdxl");
        Cli r = Cli.run("image", "--model", xl.toString(), "--prompt", "a red circle", "--seeds", "0", "--steps", "8",
                "--guidance", "5", "--size", "32x32", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(PngText.read(out.resolve("seed-0.png")).get(PngWriter.PARAMETERS_KEY))
                .contains("Sampler: Euler,").contains("Model: tiny-sdxl");
        // size conditioning changes the image (the tiny UNet reads time_ids)
        Path cond = out.resolve("cond");
        Cli c = Cli.run("image", "--model", xl.toString(), "--prompt", "a red circle", "--seeds", "0", "--steps", "8",
                "--guidance", "5", "--size", "32x32", "--original-size", "64x64", "--crop", "4x4", "--out",
                cond.toString());
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(fileBytes(cond.resolve("seed-0.png"))).isNotEqualTo(fileBytes(out.resolve("seed-0.png")));
        Cli bad = Cli.run("image", "--model", xl.toString(), "--prompt", "x", "--crop", "4", "--out", cond.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--crop must be two numbers");
    }

    private static byte[] fileBytes(Path p) {
        try {
            return pixels(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] pixels(Path p) throws IOException {
        int[] rgb = javax.imageio.ImageIO.read(p.toFile()).getRGB(0, 0, 32, 32, null, 0, 32);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(rgb.length * 4);
        b.asIntBuffer().put(rgb);
        return b.array();
    }

    @Test
    void anOnnxRuntimeFailureMidRunIsReportedAndEarlierImagesStayValid() throws Exception {
        // the UNet of this copy takes batch 1 only: guidance 1 runs, guidance 7.5 (batch 2 for CFG) fails in ORT
        Path model = Files.createDirectory(out.resolve("model"));
        try (var files = Files.list(fixture())) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("unet")) {
                    Files.createSymbolicLink(model.resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
        }
        Files.createDirectory(model.resolve("unet"));
        Files.copy(Path.of(ImageCommandTest.class.getResource("/unet-batch1/model.onnx").toURI()),
                model.resolve("unet/model.onnx"));
        Path images = out.resolve("images");
        Cli r = Cli.run("image", "--model", model.toString(), "--prompt", "a red circle", "--seeds", "0",
                "--guidance", "1,7.5", "--steps", "4", "--size", "32x32", "--out", images.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains("unet").contains("model.onnx");
        Path first = images.resolve("seed-0-g1.png");
        assertThat(javax.imageio.ImageIO.read(first.toFile())).isNotNull();
        assertThat(PngText.read(first).get(PngWriter.PARAMETERS_KEY)).contains("CFG scale: 1,");
        try (var left = Files.list(images)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("seed-0-g1.png");
        }
    }

    private static void assertUsage(Cli r, String fragment) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(fragment);
    }

    @Test
    void badInputsExitTwo() {
        String m = fixture().toString();
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--size", "30x32", "--out", out.toString()),
                "multiples of 8");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--size", "big", "--out", out.toString()),
                "--size must be WIDTHxHEIGHT");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--steps", "0", "--out", out.toString()),
                "steps must be >= 1");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--guidance", "-2", "--out", out.toString()),
                "--guidance must be >= 0");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--seeds", "5-2", "--out", out.toString()),
                "a range must go up");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--seeds", "a,b", "--out", out.toString()),
                "--seeds must be seeds and ranges");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--scheduler", "eulr", "--size", "32x32",
                "--out", out.toString()), "Unknown scheduler 'eulr'");
        assertUsage(Cli.run("image", "--model", out.resolve("no-such-model").toString(), "--prompt", "x", "--out",
                out.toString()), "is neither a folder nor a Hugging Face id");
    }
}
