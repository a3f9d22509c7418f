package dev.tempera.lab.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.image.output.PngText;
import dev.tempera.image.output.PngWriter;
import dev.tempera.lab.cli.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tempera image} on the tiny synthetic SD fixture of tempera-image's tests: one PNG per seed and guidance with
 * the parameters embedded, a contact sheet for several guidance scales, JSON output; bad inputs exit 2 (tried: size
 * not a multiple of 8, malformed size, steps 0, negative guidance, a descending seed range, non-numeric seeds, an
 * unknown scheduler, a --model that is neither a folder nor an id). {@code --eta}, {@code --latents} and
 * {@code --clip-skip} give diffusers' images (the goldens of tools/conformance/diffusion, within one level), and their
 * bad values exit 2 naming the option, the allowed range and the value.
 *
 * <p>Batch mode ({@code --in}): a file of prompts gives the bytes of one single-prompt run per line, per-line keys
 * override the flags (checked against diffusers' goldens), results.jsonl lists every image as it is written (also
 * when a run fails part-way), and a bad file, line, key or value exits 2 naming it and writes nothing.
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
    void withoutSizeTheModelsOwnSizeIsMadeAsDiffusersDoes() throws IOException {
        // tiny-sd's unet/config.json has sample_size 4: 4 x 8 = 32 pixels, not a fixed 512
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "0",
                "--steps", "4", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(out.resolve("seed-0.png").toFile());
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);
        assertThat(PngText.read(out.resolve("seed-0.png")).get(PngWriter.PARAMETERS_KEY)).contains("Size: 32x32");
    }

    @Test
    void withoutSizeAModelWithoutSampleSizeIsAUsageErrorNamingTheFile() throws IOException {
        Path copy = Files.createDirectories(out.resolve("no-sample-size"));
        try (var files = Files.walk(fixture())) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(fixture().relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path config = copy.resolve("unet/config.json");
        Files.writeString(config, Files.readString(config).replaceAll("\"sample_size\":\\s*\\d+,?", ""));
        Cli r = Cli.run("image", "--model", copy.toString(), "--prompt", "x", "--seeds", "0", "--steps", "2",
                "--out", out.resolve("images").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--size is not given").contains(config.toString()).contains("sample_size");
        assertThat(out.resolve("images")).doesNotExist();
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

    /**
     * A copy of the fixture under {@code out/model} whose UNet takes batch 1 only: guidance 1 runs, any guidance
     * above 1 (batch 2 for classifier-free guidance) fails inside ONNX Runtime.
     */
    private Path batch1Model() throws Exception {
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
        return model;
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
        Path model = batch1Model();
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
    void imagesPerPromptDrawsTheBatchFromOneGeneratorAsDiffusersDoes() throws IOException {
        Cli r = Cli.run("image", "--model", fixture().toString(), "--prompt", "a red circle", "--seeds", "2",
                "--images-per-prompt", "2", "--steps", "6", "--scheduler", "euler_a", "--size", "32x32",
                "--guidance", "7.5,1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertSameImage(out.resolve("seed-2-0-g7.5.png"), golden("tiny-sd", "euler_a_6_g7.5_seed2_x2_0.png"));
        assertSameImage(out.resolve("seed-2-1-g7.5.png"), golden("tiny-sd", "euler_a_6_g7.5_seed2_x2_1.png"));
        assertThat(out.resolve("seed-2-1-g1.png")).exists();
        assertThat(parameters(out.resolve("seed-2-1-g7.5.png"))).contains("Seed: 2", "Batch size: 2, Batch pos: 1");
        assertThat(out.resolve(PromptImages.CONTACT_SHEET)).exists();
    }

    @Test
    void badImagesPerPromptExitTwoNamingTheOption() {
        for (String[] bad : new String[][] {{"--images-per-prompt", "0", "--seeds", "0"},
                {"--images-per-prompt", "2", "--seeds", "0,1"}}) {
            List<String> args = new ArrayList<>(List.of("image", "--model", fixture().toString(), "--prompt", "x",
                    "--size", "32x32", "--out", out.resolve("never").toString()));
            args.addAll(List.of(bad));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--images-per-prompt " + (bad[1].equals("0") ? "must be >= 1, but is: 0"
                    : "2 draws every image from one generator"));
            assertThat(out.resolve("never")).doesNotExist();
        }
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

    // ---- batch mode (--in) ----

    /** Writes {@code lines} to in.jsonl beside the outputs (not under them) and returns it. */
    private Path prompts(String... lines) throws IOException {
        return Files.writeString(out.resolve("in.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static Cli image(String... args) {
        List<String> all = new ArrayList<>(List.of("image", "--model", fixture().toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }

    /** The files of {@code dir}, sorted by name. */
    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every file of {@code expected} exists in {@code actual} with the same bytes, and nothing else does. */
    private static void assertSameFiles(Path actual, Path expected) throws IOException {
        assertThat(names(actual)).isEqualTo(names(expected));
        for (String name : names(expected)) {
            assertThat(Files.readAllBytes(actual.resolve(name))).as(name)
                    .isEqualTo(Files.readAllBytes(expected.resolve(name)));
        }
    }

    @Test
    void aBatchOfThreeLinesWritesTheBytesOfThreeSinglePromptRuns() throws IOException {
        // line 2 overrides seeds, guidance (two scales: a contact sheet), scheduler, negative prompt and names its
        // folder; line 3 is blank (skipped, still counted); line 4 overrides steps, size, scheduler, eta, seeds
        Path in = prompts(
                "{\"prompt\": \"a red circle\"}",
                "{\"prompt\": \"a blue square\", \"negative_prompt\": \"blurry\", \"seeds\": [3], \"guidance\": [1, 7.5], "
                        + "\"scheduler\": \"euler_a\", \"id\": \"square\"}",
                "",
                "{\"prompt\": \"a green star\", \"steps\": 4, \"size\": \"32x16\", \"scheduler\": \"ddim\", \"eta\": 0.5, "
                        + "\"seeds\": \"5-6\"}");
        Path batch = out.resolve("batch");
        Cli r = image("--in", in.toString(), "--seeds", "0-1", "--guidance", "7.5", "--steps", "6", "--size", "32x32",
                "--out", batch.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(names(batch)).containsExactly("line-0001", "line-0004", "results.jsonl", "square");

        Cli s1 = image("--prompt", "a red circle", "--seeds", "0-1", "--guidance", "7.5", "--steps", "6", "--size",
                "32x32", "--out", out.resolve("s1").toString());
        Cli s2 = image("--prompt", "a blue square", "--negative-prompt", "blurry", "--seeds", "3", "--guidance", "1,7.5",
                "--scheduler", "euler_a", "--steps", "6", "--size", "32x32", "--out", out.resolve("s2").toString());
        Cli s3 = image("--prompt", "a green star", "--seeds", "5-6", "--guidance", "7.5", "--steps", "4", "--size",
                "32x16", "--scheduler", "ddim", "--eta", "0.5", "--out", out.resolve("s3").toString());
        assertThat(List.of(s1.code(), s2.code(), s3.code())).as(s1.err() + s2.err() + s3.err()).containsOnly(0);
        assertSameFiles(batch.resolve("line-0001"), out.resolve("s1"));
        assertSameFiles(batch.resolve("square"), out.resolve("s2"));
        assertSameFiles(batch.resolve("line-0004"), out.resolve("s3"));
        assertThat(names(batch.resolve("square"))).containsExactly("contact-sheet.png", "seed-3-g1.png",
                "seed-3-g7.5.png");
    }

    @Test
    void perLineKeysOverrideTheFlagsAndAbsentKeysTakeThemAsDiffusersWould() throws IOException {
        // flags: seed 0, 10 steps, guidance 7.5, the model's PNDM. Line 1 changes all of them and adds a negative
        // prompt (diffusers' euler_8_g5_seed3_negative case); line 2 keeps them all (pndm_10_g7.5_seed0_zh); line 3
        // changes the scheduler, eta and seeds only (ddim_10_g7.5_eta0.5_seeds_0_1)
        Path in = prompts(
                "{\"prompt\": \"a red circle\", \"negative_prompt\": \"a blue square, blurry\", \"seeds\": 3, "
                        + "\"guidance\": 5, \"steps\": 8, \"scheduler\": \"euler\", \"id\": \"negative\"}",
                "{\"prompt\": \"一个美丽的日落海滩\"}",
                "{\"prompt\": \"a red circle\", \"scheduler\": \"ddim\", \"eta\": 0.5, \"seeds\": \"0-1\", \"id\": 7}");
        Path batch = out.resolve("batch");
        Cli r = image("--in", in.toString(), "--steps", "10", "--size", "32x32", "--out", batch.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertSameImage(batch.resolve("negative/seed-3.png"), golden("tiny-sd", "euler_8_g5_seed3_negative_0.png"));
        assertSameImage(batch.resolve("line-0002/seed-0.png"), golden("tiny-sd", "pndm_10_g7.5_seed0_zh_0.png"));
        assertSameImage(batch.resolve("7/seed-0.png"), golden("tiny-sd", "ddim_10_g7.5_eta0.5_seeds_0_1_0.png"));
        assertSameImage(batch.resolve("7/seed-1.png"), golden("tiny-sd", "ddim_10_g7.5_eta0.5_seeds_0_1_1.png"));
        assertThat(parameters(batch.resolve("negative/seed-3.png"))).isEqualTo("a red circle\nNegative prompt: a blue "
                + "square, blurry\nSteps: 8, Sampler: Euler, CFG scale: 5, Seed: 3, Size: 32x32, Model: tiny-sd, "
                + "Scheduler: euler");
        assertThat(parameters(batch.resolve("line-0002/seed-0.png"))).startsWith("一个美丽的日落海滩\nSteps: 10, "
                + "Sampler: PNDM, CFG scale: 7.5, Seed: 0,");
    }

    @Test
    void resultsListEveryImageInOrderAndJsonSummarisesTheRun() throws IOException {
        Path in = prompts(
                "{\"prompt\": \"a red circle\", \"id\": \"red\"}",
                "{\"prompt\": \"a blue square\", \"guidance\": [1, 7.5], \"seeds\": [4]}",
                "{\"prompt\": \"a green star\", \"seeds\": \"8-9\"}");
        Path batch = out.resolve("batch");
        Cli r = image("--in", in.toString(), "--seeds", "0-1", "--steps", "4", "--size", "32x32", "--out",
                batch.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(batch.resolve("results.jsonl"))) {
            rows.add(m.readTree(line));
        }
        // 2 + 2 + 2 images, line by line, seeds before guidance scales as the generate calls finish
        assertThat(rows).extracting(o -> o.get("line").asInt() + "/" + o.get("seed").asLong() + "/"
                + o.get("guidance").asDouble()).containsExactly("1/0/7.5", "1/1/7.5", "2/4/1.0", "2/4/7.5",
                "3/8/7.5", "3/9/7.5");
        JsonNode first = rows.get(0);
        assertThat(first.get("id").asText()).isEqualTo("red");
        assertThat(rows.get(2).get("id").isNull()).isTrue();
        assertThat(first.get("prompt").asText()).isEqualTo("a red circle");
        assertThat(rows.get(3).get("file").asText()).isEqualTo("line-0002/seed-4-g7.5.png");
        for (JsonNode row : rows) {
            // each file exists, relative to results.jsonl, and the parameters are those embedded in it
            Path png = batch.resolve(row.get("file").asText());
            assertThat(m.readTree(PngText.read(png).get(PngWriter.JSON_KEY))).isEqualTo(row.get("parameters"));
        }
        assertThat(rows.get(4).get("parameters").get("prompt").asText()).isEqualTo("a green star");
        JsonNode summary = m.readTree(r.out());
        assertThat(summary.get("lines").asInt()).isEqualTo(3);
        assertThat(summary.get("images").asInt()).isEqualTo(6);
        assertThat(summary.get("results").asText()).isEqualTo(batch.resolve("results.jsonl").toString());
        assertThat(summary.get("contact_sheets")).extracting(JsonNode::asText)
                .containsExactly(batch.resolve("line-0002/contact-sheet.png").toString());
        // progress: the whole batch, a line per generate call here (each is a third of the images), no step lines
        assertThat(r.err()).contains("tempera image: line 1/3, images 2/6 (33%)")
                .contains("tempera image: line 2/3, images 4/6 (66%)")
                .contains("tempera image: line 3/3, images 6/6 (100%)")
                .contains("[3 lines, 6 images in ").doesNotContain("step");
    }

    @Test
    void anSdxlBatchTakesEachLinesSecondPromptLikeThePromptTwoFlag() throws IOException {
        Path xl = fixture().resolveSibling("tiny-sdxl");
        Path in = prompts("{\"prompt\": \"a red circle\", \"prompt_2\": \"a blue square\", \"id\": \"two\"}",
                "{\"prompt\": \"a red circle\", \"id\": \"one\"}");
        Path batch = out.resolve("batch");
        Cli r = Cli.run("image", "--model", xl.toString(), "--in", in.toString(), "--steps", "4", "--guidance", "5",
                "--size", "32x32", "--out", batch.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Cli two = Cli.run("image", "--model", xl.toString(), "--prompt", "a red circle", "--prompt-2", "a blue square",
                "--steps", "4", "--guidance", "5", "--size", "32x32", "--out", out.resolve("two").toString());
        assertThat(two.code()).as(two.err()).isZero();
        assertSameFiles(batch.resolve("two"), out.resolve("two"));
        // the second prompt reaches text_encoder_2: without it the image differs
        assertThat(pixels(batch.resolve("one/seed-0.png"))).isNotEqualTo(pixels(batch.resolve("two/seed-0.png")));
    }

    @Test
    void latentsStartEveryLineAndMustFitEachLinesSeeds() throws IOException {
        Path latents = golden("tiny-sd", "latents_2x4x4x4.npy");
        Path in = prompts("{\"prompt\": \"a red circle\", \"scheduler\": \"euler_a\", \"steps\": 6}");
        Path batch = out.resolve("batch");
        Cli r = image("--in", in.toString(), "--seeds", "2,0", "--size", "32x32", "--latents", latents.toString(),
                "--out", batch.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertSameImage(batch.resolve("line-0001/seed-2.png"), golden("tiny-sd", "euler_a_6_g7.5_seeds_2_0_latents_0.png"));
        assertSameImage(batch.resolve("line-0001/seed-0.png"), golden("tiny-sd", "euler_a_6_g7.5_seeds_2_0_latents_1.png"));
        assertThat(parameters(batch.resolve("line-0001/seed-0.png"))).endsWith("Latents: latents_2x4x4x4.npy[1]");

        Path bad = prompts("{\"prompt\": \"a\"}", "{\"prompt\": \"b\", \"seeds\": [0]}");
        Path none = out.resolve("none");
        assertUsage(image("--in", bad.toString(), "--seeds", "2,0", "--size", "32x32", "--latents", latents.toString(),
                "--out", none.toString()), "--in " + bad + ", line 2: --latents " + latents + " must hold one latent "
                + "per seed, 1 for seeds [0], but holds 2 (shape (2, 4, 4, 4))");
        assertThat(none).doesNotExist();
    }

    @Test
    void aFailureMidBatchNamesTheLineAndResultsListTheImagesFinishedBeforeIt() throws Exception {
        // the UNet of this copy takes batch 1 only: line 1 (guidance 1) runs, line 2 (guidance 7.5, batch 2) fails
        Path model = batch1Model();
        Path in = prompts("{\"prompt\": \"a red circle\", \"guidance\": 1}", "{\"prompt\": \"a blue square\"}",
                "{\"prompt\": \"a green star\", \"guidance\": 1}");
        Path batch = out.resolve("batch");
        Cli r = Cli.run("image", "--model", model.toString(), "--in", in.toString(), "--steps", "4", "--size", "32x32",
                "--out", batch.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.err()).contains("--in " + in + ", line 2: ").contains("unet").contains("model.onnx")
                .contains("lists the 1 image(s) finished before it");
        List<String> results = Files.readAllLines(batch.resolve("results.jsonl"));
        assertThat(results).hasSize(1);
        JsonNode row = new ObjectMapper().readTree(results.get(0));
        assertThat(row.get("line").asInt()).isEqualTo(1);
        assertThat(javax.imageio.ImageIO.read(batch.resolve(row.get("file").asText()).toFile())).isNotNull();
        assertThat(batch.resolve("line-0003")).doesNotExist();
    }

    static Stream<Arguments> badBatches() {
        String good = "{\"prompt\": \"a red circle\"}";
        return Stream.of(
                Arguments.of("bad JSON on line 2", List.of(good, "{\"prompt\": \"x\",}"), List.of(),
                        List.of(", line 2: not valid JSON (column ", "each line must be one JSON object")),
                Arguments.of("an unknown key", List.of(good, good, "{\"prompt\": \"x\", \"guidance_scale\": 5}"),
                        List.of(), List.of(", line 3: unknown key \"guidance_scale\" (did you mean \"guidance\"?); a "
                                + "line may have: [prompt, negative_prompt, prompt_2, negative_prompt_2, seeds, "
                                + "guidance, steps, scheduler, size, eta, id]")),
                Arguments.of("a size not a multiple of 8", List.of(good, "{\"prompt\": \"x\", \"size\": \"30x32\"}"),
                        List.of(), List.of(", line 2: \"size\" must be \"WIDTHxHEIGHT\", both positive multiples of 8 "
                                + "(e.g. \"512x512\"), but is: \"30x32\"")),
                Arguments.of("a size that is not WxH", List.of("{\"prompt\": \"x\", \"size\": 512}"), List.of(),
                        List.of(", line 1: \"size\" must be a string, but is: 512")),
                Arguments.of("no prompt", List.of("{\"negative_prompt\": \"x\"}"), List.of(),
                        List.of(", line 1: \"prompt\" is required (a string), but the line has none")),
                Arguments.of("an unknown scheduler", List.of("{\"prompt\": \"x\", \"scheduler\": \"eulr\"}"),
                        List.of(), List.of(", line 1: \"scheduler\" must be one of [ddim, dpmpp_2m, ", "but is: \"eulr\"")),
                Arguments.of("a descending seed range", List.of("{\"prompt\": \"x\", \"seeds\": \"5-2\"}"), List.of(),
                        List.of(", line 1: \"seeds\": a range must go up and hold at most 1000 seeds, but is: 5-2")),
                Arguments.of("fractional seeds", List.of("{\"prompt\": \"x\", \"seeds\": [1, 2.5]}"), List.of(),
                        List.of(", line 1: \"seeds\" must be a list of integers ([0, 7, 42]), a string of seeds and "
                                + "ranges (\"0-3\", \"0,7,42\") or one integer, but is: [1,2.5] (2.5 is not")),
                Arguments.of("negative guidance", List.of("{\"prompt\": \"x\", \"guidance\": [7.5, -1]}"), List.of(),
                        List.of(", line 1: \"guidance\" must be a number >= 0 or a list of them (1 or less turns "
                                + "guidance off), but is: [7.5,-1]")),
                Arguments.of("zero steps", List.of("{\"prompt\": \"x\", \"steps\": 0}"), List.of(),
                        List.of(", line 1: \"steps\" must be an integer >= 1, but is: 0")),
                Arguments.of("a negative eta", List.of("{\"prompt\": \"x\", \"eta\": -0.5}"), List.of(),
                        List.of(", line 1: \"eta\" must be a finite number >= 0 (0 = deterministic DDIM), but is: -0.5")),
                Arguments.of("an id that is a path", List.of("{\"prompt\": \"x\", \"id\": \"../up\"}"), List.of(),
                        List.of(", line 1: \"id\" must be 1 to 100 letters, digits, '.', '_' or '-', starting with a "
                                + "letter or digit (it names the line's folder under --out), but is: \"../up\"")),
                Arguments.of("two lines with one folder", List.of("{\"prompt\": \"x\", \"id\": \"Cat\"}", good,
                        "{\"prompt\": \"y\", \"id\": \"cat\"}"), List.of(), List.of(", line 3: its output folder \"cat\" "
                                + "is already line 1's (folder names are compared ignoring case)")),
                Arguments.of("a key given twice", List.of("{\"prompt\": \"x\", \"prompt\": \"y\"}"), List.of(),
                        List.of(", line 1: not valid JSON", "Duplicate field 'prompt'")),
                Arguments.of("more steps than the model's scheduler has (found once the model is loaded)",
                        List.of(good, "{\"prompt\": \"x\", \"steps\": 1001}"), List.of(),
                        List.of(", line 2: numInferenceSteps must be in [1, num_train_timesteps = 1000], but is: "
                                + "1001")),
                Arguments.of("an empty file", List.of("", "  "), List.of(),
                        List.of(" must hold at least one prompt (one JSON object per line, e.g. {\"prompt\": \"a red "
                                + "circle\"}), but holds none")),
                Arguments.of("--force without --in", List.of(), List.of("--prompt", "x", "--force"),
                        List.of("--force belongs to batch mode (--in FILE)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBatches")
    void aBadBatchExitsTwoNamingTheLineAndWritesNothing(String what, List<String> lines, List<String> flags,
                                                        List<String> fragments) throws IOException {
        Path in = prompts(lines.toArray(String[]::new));
        Path batch = out.resolve("batch");
        List<String> args = new ArrayList<>(flags.isEmpty() ? List.of("--in", in.toString()) : flags);
        args.addAll(List.of("--size", "32x32", "--steps", "4", "--out", batch.toString()));
        Cli r = image(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        for (String f : fragments) {
            assertThat(r.err()).contains(flags.isEmpty() && f.startsWith(", line") ? "--in " + in + f : f);
        }
        assertThat(batch).doesNotExist();
    }

    @Test
    void promptAndInTogetherOrNeitherExitTwoNamingBoth() throws IOException {
        Path in = prompts("{\"prompt\": \"a red circle\"}");
        Path batch = out.resolve("batch");
        Cli both = image("--prompt", "x", "--in", in.toString(), "--out", batch.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--prompt=TEXT, --in=FILE are mutually exclusive");
        Cli neither = image("--out", batch.toString());
        assertThat(neither.code()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument (specify one of these): (--prompt=TEXT | "
                + "--in=FILE)");
        assertThat(batch).doesNotExist();
    }

    @Test
    void aMissingPromptsFileExitsTwoNamingIt() {
        Path missing = out.resolve("nope.jsonl");
        Path batch = out.resolve("batch");
        assertUsage(image("--in", missing.toString(), "--out", batch.toString()),
                "--in: the prompts file must exist, but does not: " + missing);
        assertThat(batch).doesNotExist();
    }

    @Test
    void anEarlierRunsResultsAreKeptUnlessForceIsGiven() throws IOException {
        Path in = prompts("{\"prompt\": \"a red circle\"}");
        Path batch = Files.createDirectory(out.resolve("batch"));
        Files.writeString(batch.resolve("results.jsonl"), "{\"earlier\": true}\n");
        assertUsage(image("--in", in.toString(), "--steps", "4", "--size", "32x32", "--out", batch.toString()),
                "--out already holds " + batch.resolve("results.jsonl") + " from an earlier run; pass --force");
        assertThat(names(batch)).containsExactly("results.jsonl");
        assertThat(Files.readString(batch.resolve("results.jsonl"))).isEqualTo("{\"earlier\": true}\n");
        Cli forced = image("--in", in.toString(), "--steps", "4", "--size", "32x32", "--out", batch.toString(),
                "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readAllLines(batch.resolve("results.jsonl"))).hasSize(1).first().asString()
                .startsWith("{\"line\":1,");
    }
}
