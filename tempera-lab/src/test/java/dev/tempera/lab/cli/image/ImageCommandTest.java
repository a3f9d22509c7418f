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
 * unknown scheduler, a --model that is neither a folder nor an id). {@code --eta}, {@code --latents} and
 * {@code --clip-skip} give diffusers' images (the goldens of tools/conformance/diffusion, within one level), and their
 * bad values exit 2 naming the option, the allowed range and the value.
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

    static Path golden(String model, String file) {
        return fixture().resolveSibling(model).resolve("goldens").resolve(file);
    }

    /** Every channel of every pixel within one level (the tolerance of the pipeline tests). */
    static void assertSameImage(Path actual, Path expected) throws IOException {
        var a = javax.imageio.ImageIO.read(actual.toFile());
        var e = javax.imageio.ImageIO.read(expected.toFile());
        assertThat(a.getWidth()).isEqualTo(e.getWidth());
        int worst = 0;
        for (int y = 0; y < e.getHeight(); y++) {
            for (int x = 0; x < e.getWidth(); x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    worst = Math.max(worst, Math.abs(((a.getRGB(x, y) >> shift) & 0xFF)
                            - ((e.getRGB(x, y) >> shift) & 0xFF)));
                }
            }
        }
        assertThat(worst).as("largest pixel difference of %s vs %s", actual, expected).isLessThanOrEqualTo(1);
    }

    private static String parameters(Path png) {
        return PngText.read(png).get(PngWriter.PARAMETERS_KEY);
    }

    @Test
    void etaReachesDdimAndIsRecorded() throws IOException {
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "0",
                "--steps", "10", "--scheduler", "ddim", "--eta", "0.5", "--size", "32x32", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertSameImage(out.resolve("seed-0.png"), golden("tiny-sd", "ddim_10_g7.5_eta0.5_seed0_0.png"));
        assertThat(parameters(out.resolve("seed-0.png"))).endsWith("Scheduler: ddim, Eta: 0.5");
        assertThat(r.err()).doesNotContain("ignored");
    }

    @Test
    void etaWithASchedulerWithoutOneIsIgnoredWithAWarningAsDiffusersDoes() throws IOException {
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "2",
                "--steps", "6", "--scheduler", "euler_a", "--eta", "0.5", "--size", "32x32", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("tempera: eta 0.5 is ignored: scheduler 'euler_a' takes no eta");
        assertSameImage(out.resolve("seed-2.png"), golden("tiny-sd", "euler_a_6_g7.5_seed2_0.png"));
        assertThat(parameters(out.resolve("seed-2.png"))).doesNotContain("Eta");
    }

    @Test
    void latentsFromAnNpyFileReplaceTheSeedsNoise() throws IOException {
        // [2, 4, 4, 4] written by numpy, two seeds; the seeds still drive Euler a's per-step noise
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "2,0",
                "--steps", "6", "--scheduler", "euler_a", "--size", "32x32", "--latents",
                golden("tiny-sd", "latents_2x4x4x4.npy").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertSameImage(out.resolve("seed-2.png"), golden("tiny-sd", "euler_a_6_g7.5_seeds_2_0_latents_0.png"));
        assertSameImage(out.resolve("seed-0.png"), golden("tiny-sd", "euler_a_6_g7.5_seeds_2_0_latents_1.png"));
        assertThat(parameters(out.resolve("seed-0.png"))).endsWith("Latents: latents_2x4x4x4.npy[1]");
        // [4, 4, 4]: one seed
        Path one = out.resolve("one");
        Cli s = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "0",
                "--steps", "10", "--size", "32x32", "--latents", golden("tiny-sd", "latents_4x4x4.npy").toString(),
                "--out", one.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertSameImage(one.resolve("seed-0.png"), golden("tiny-sd", "pndm_10_g7.5_seed0_latents_0.png"));
        assertThat(parameters(one.resolve("seed-0.png"))).endsWith("Latents: latents_4x4x4.npy");
    }

    @Test
    void badLatentsFilesExitTwoNamingTheShapeTheyNeed() throws IOException {
        String m = fixture().toString();
        Path two = golden("tiny-sd", "latents_2x4x4x4.npy");
        Path three = golden("tiny-sd", "latents_4x4x4.npy");
        // wrong count: two latents for one seed
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--seeds", "0", "--size", "32x32", "--latents",
                two.toString(), "--out", out.toString()), "--latents " + two + " must hold one latent per seed, 1 for "
                + "--seeds 0, but holds 2 (shape (2, 4, 4, 4))");
        // wrong shape: 4x4 latents for 64x64 pixels (8x8 latents)
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--seeds", "0", "--size", "64x64", "--latents",
                three.toString(), "--out", out.toString()), "--latents " + three + " must have shape [1, 4, 8, 8] or "
                + "[4, 8, 8] (one latent per seed, 4 channels, height/8, width/8 for --size 64x64), but has shape "
                + "(4, 4, 4)");
        // missing file
        Path missing = out.resolve("nope.npy");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--size", "32x32", "--latents",
                missing.toString(), "--out", out.toString()), "--latents " + missing + ": no such file");
        // float64 would be rounded: refused
        Path f8 = out.resolve("f8.npy");
        byte[] header = ("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 4, 4), }" + " ".repeat(10) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length + 64 * 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length).put(header);
        Files.write(f8, b.array());
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--size", "32x32", "--latents", f8.toString(),
                "--out", out.toString()), "--latents " + f8 + " is not a readable float32 .npy array: its dtype is "
                + "'<f8'; it must be '<f4'");
    }

    @Test
    void clipSkipRunsOnSdxlAndIsRecorded() throws IOException {
        Path xl = fixture().resolveSibling("tiny-sdxl");
        Cli r = Cli.run("image", "--model", xl.toString(), "--prompt", "a red circle", "--seeds", "0", "--steps", "8",
                "--guidance", "5", "--size", "32x32", "--clip-skip", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertSameImage(out.resolve("seed-0.png"), golden("tiny-sdxl", "euler_8_g5_seed0_clip_skip1_0.png"));
        assertThat(parameters(out.resolve("seed-0.png"))).endsWith("Clip skip: 1");
    }

    @Test
    void badClipSkipsExitTwoNamingTheRange() {
        Path xl = fixture().resolveSibling("tiny-sdxl");
        assertUsage(Cli.run("image", "--model", xl.toString(), "--prompt", "x", "--size", "32x32", "--clip-skip", "2",
                "--out", out.toString()), "--clip-skip 2: clip skip must be in [0, 1] for " + xl + " (text_encoder "
                + "has 2 layers, text_encoder_2 2;");
        assertUsage(Cli.run("image", "--model", xl.toString(), "--prompt", "x", "--size", "32x32", "--clip-skip", "-1",
                "--out", out.toString()), "--clip-skip must be >= 0 (0 = off), but is: -1");
        // SD 1.x: the Optimum text encoder exports no hidden states (nor the final layer norm diffusers applies)
        Cli sd = Cli.run("image", "--model", fixture().toString(), "--prompt", "x", "--size", "32x32", "--clip-skip",
                "1", "--out", out.toString());
        assertUsage(sd, "--clip-skip 1: clip skip must be 0 for the Stable Diffusion folder " + fixture()
                + ", but is: 1.");
        assertThat(sd.err()).contains("no hidden_states.N outputs").contains("final_layer_norm");
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
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--eta", "-1", "--out", out.toString()),
                "--eta must be a finite number >= 0 (0 = deterministic DDIM), but is: -1.0");
        assertUsage(Cli.run("image", "--model", m, "--prompt", "x", "--eta", "NaN", "--out", out.toString()),
                "--eta must be a finite number >= 0 (0 = deterministic DDIM), but is: NaN");
    }
}
