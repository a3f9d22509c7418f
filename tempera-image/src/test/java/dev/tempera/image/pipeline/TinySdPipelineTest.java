package dev.tempera.image.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.runtime.tokenizer.ClipTokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SD pipeline end to end on a tiny synthetic model in Optimum's layout (tools/conformance/diffusion), against
 * diffusers' pipeline semantics run in PyTorch with diffusers' own schedulers and {@code randn_tensor}: same token ids,
 * same images (within one level: the ONNX graphs and the torch modules agree to ~1e-6, which moves no pixel in the
 * reference's own perturbation test), for PNDM, Euler with a negative prompt, Euler ancestral (per-step noise from the
 * per-image generators), no guidance, a Chinese prompt and lists of seeds; and for {@code __call__}'s eta (DDIM with
 * per-step noise from the seeds; Euler a, which diffusers gives no eta) and given initial latents
 * ({@code goldens/call_options.json}); and for {@code num_images_per_prompt=2} with one generator, PNDM and Euler
 * ancestral ({@code goldens/images_per_prompt.json}).
 */
class TinySdPipelineTest {

    private static Path dir;
    private static StableDiffusion sd;
    private static JsonNode goldens;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() throws IOException, URISyntaxException {
        dir = Path.of(TinySdPipelineTest.class.getResource("/tiny-sd/model_index.json").toURI()).getParent();
        sd = StableDiffusion.open(dir, SessionSettings.defaults().withIntraOpThreads(1));
        goldens = new ObjectMapper().readTree(dir.resolve("goldens/cases.json").toFile());
    }

    @AfterAll
    static void close() {
        sd.close();
    }

    static Stream<JsonNode> cases() throws IOException, URISyntaxException {
        return goldenCases("/tiny-sd", "cases.json");
    }

    static Stream<JsonNode> callOptionCases() throws IOException, URISyntaxException {
        return goldenCases("/tiny-sd", "call_options.json");
    }

    static Stream<JsonNode> goldenCases(String model, String file) throws IOException, URISyntaxException {
        Path d = Path.of(TinySdPipelineTest.class.getResource(model + "/model_index.json").toURI()).getParent();
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(d.resolve("goldens").resolve(file).toFile()).get("cases").forEach(out::add);
        return out.stream();
    }

    static Stream<JsonNode> imagesPerPromptCases() throws IOException, URISyntaxException {
        return goldenCases("/tiny-sd", "images_per_prompt.json");
    }

    /**
     * {@link #request} plus the {@code __call__} options of a call_options.json case: eta, clip_skip, and the given
     * latents (recorded as {@code initial_noise}, the tensor passed as {@code latents=}).
     */
    static ImageRequest callRequest(JsonNode c) {
        ImageRequest r = request(c).withEta(c.get("eta").asDouble());
        if (c.hasNonNull("clip_skip")) {
            r = r.withClipSkip(c.get("clip_skip").asInt());
        }
        if (c.path("given_latents").asBoolean(false)) {
            JsonNode t = c.get("initial_noise");
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            float[] values = new float[t.get("data").size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) t.get("data").get(i).asDouble();
            }
            r = r.withLatents(InitialLatents.of(shape, values));
        }
        return r;
    }

    static ImageRequest request(JsonNode c) {
        List<Long> seeds = new ArrayList<>();
        c.get("seeds").forEach(s -> seeds.add(s.asLong()));
        String negative = c.get("negative_prompt").isNull() ? "" : c.get("negative_prompt").asText();
        String scheduler = c.get("scheduler").asText();
        return new ImageRequest(c.get("prompt").asText(), negative, c.get("width").asInt(), c.get("height").asInt(),
                c.get("num_inference_steps").asInt(), c.get("guidance_scale").asDouble(), 0, seeds,
                scheduler.equals("pndm") ? Optional.empty() : Optional.of(scheduler), 0);
    }

    static void assertSameImage(BufferedImage actual, Path expectedFile, String what) throws IOException {
        BufferedImage expected = ImageIO.read(expectedFile.toFile());
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        int worst = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int a = actual.getRGB(x, y);
                int e = expected.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    worst = Math.max(worst, Math.abs(((a >> shift) & 0xFF) - ((e >> shift) & 0xFF)));
                }
            }
        }
        assertThat(worst).as("largest pixel difference of %s", what).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void imagesMatchTheDiffusersReference(JsonNode c) throws IOException {
        List<GeneratedImage> images = sd.generate(request(c), StepListener.NONE);
        assertThat(images).hasSize(c.get("images").size());
        for (int i = 0; i < images.size(); i++) {
            assertSameImage(images.get(i).image(), dir.resolve("goldens").resolve(c.get("images").get(i).asText()),
                    c.get("name").asText() + " image " + i);
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("callOptionCases")
    void etaAndGivenLatentsMatchTheDiffusersReference(JsonNode c) throws IOException {
        List<String> warnings = new ArrayList<>();
        List<GeneratedImage> images;
        try (StableDiffusion s = StableDiffusion.open(dir, SessionSettings.defaults().withIntraOpThreads(1))) {
            images = s.onWarning(warnings::add).generate(callRequest(c), StepListener.NONE);
        }
        assertThat(images).hasSize(c.get("images").size());
        for (int i = 0; i < images.size(); i++) {
            assertSameImage(images.get(i).image(), dir.resolve("goldens").resolve(c.get("images").get(i).asText()),
                    c.get("name").asText() + " image " + i);
        }
        // the parameters say what was in effect: eta only where the scheduler took it, and given latents
        String params = images.get(0).info().parameters();
        boolean etaUsed = c.get("eta_passed_to_step").asBoolean() && c.get("eta").asDouble() != 0;
        if (etaUsed) {
            assertThat(params).contains(", Eta: 0.5");
            assertThat(warnings).isEmpty();
        } else {
            assertThat(params).doesNotContain("Eta");
        }
        if (c.get("eta").asDouble() != 0 && !etaUsed) {
            assertThat(warnings).containsExactly("eta 0.5 is ignored: scheduler '" + c.get("scheduler").asText()
                    + "' takes no eta (only ddim does; diffusers drops it the same way)");
        }
        assertThat(params.contains(", Latents: given")).isEqualTo(c.get("given_latents").asBoolean());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("imagesPerPromptCases")
    void imagesPerPromptFromOneGeneratorMatchTheDiffusersReference(JsonNode c) throws IOException {
        int count = c.get("num_images_per_prompt").asInt();
        List<GeneratedImage> images = sd.generate(request(c).withImagesPerPrompt(count), StepListener.NONE);
        assertThat(images).hasSize(count).hasSize(c.get("images").size());
        long seed = c.get("seeds").get(0).asLong();
        for (int i = 0; i < images.size(); i++) {
            assertSameImage(images.get(i).image(), dir.resolve("goldens").resolve(c.get("images").get(i).asText()),
                    c.get("name").asText() + " image " + i);
            // every image names the one seed and its place in the batch, as the web UIs write it
            assertThat(images.get(i).seed()).isEqualTo(seed);
            assertThat(images.get(i).info().parameters()).contains(", Seed: " + seed + ", ")
                    .contains(", Batch size: " + count + ", Batch pos: " + i + ", ");
        }
    }

    @Test
    void withEulerAncestralImageZeroOfABatchFromOneSeedIsNotThatSeedAlone() throws Exception {
        // Euler a draws one [2, ...] noise tensor per step from the shared generator, so image 0's per-step noise
        // is not what seed 2 alone draws; PNDM draws nothing per step and randn([2, ...]) starts with randn([1, ...]),
        // so there image 0 is the seed alone (diffusers agrees: images_per_prompt.json's image_0_same_as_single_seed)
        for (JsonNode c : imagesPerPromptCases().toList()) {
            ImageRequest alone = request(c);
            int[] single = pixels(sd.generate(alone, StepListener.NONE).get(0).image());
            GeneratedImage first = sd.generate(alone.withImagesPerPrompt(2), StepListener.NONE).get(0);
            boolean stochastic = c.get("scheduler").asText().equals("euler_a");
            assertThat(c.get("image_0_same_as_single_seed").get("same").asBoolean()).isEqualTo(!stochastic);
            if (stochastic) {
                assertThat(pixels(first.image())).as(c.get("name").asText()).isNotEqualTo(single);
            } else {
                assertThat(pixels(first.image())).as(c.get("name").asText()).isEqualTo(single);
            }
            // a seed list is not a batch: seeds [2, 2] are two generators, each image the seed alone
            List<GeneratedImage> list = sd.generate(alone.withSeeds(List.of(alone.seeds().get(0),
                    alone.seeds().get(0))), StepListener.NONE);
            assertThat(pixels(list.get(0).image())).isEqualTo(single);
            assertThat(pixels(list.get(1).image())).isEqualTo(single);
            assertThat(list.get(0).info().parameters()).doesNotContain("Batch");
        }
    }

    @Test
    void givenLatentsReplaceTheSeedsNoiseButTheSeedsStillDriveTheAncestralNoise() throws Exception {
        // the same latents with other seeds: Euler a draws other per-step noise, so the image changes; PNDM draws
        // none, so the seeds no longer matter at all
        JsonNode eulerA = callOptionCases().filter(c -> c.get("name").asText().endsWith("seeds_2_0_latents"))
                .findFirst().orElseThrow();
        ImageRequest r = callRequest(eulerA);
        BufferedImage a = sd.generate(r, StepListener.NONE).get(0).image();
        BufferedImage b = sd.generate(r.withSeeds(List.of(7L, 0L)), StepListener.NONE).get(0).image();
        assertThat(pixels(a)).isNotEqualTo(pixels(b));
        ImageRequest pndm = r.withScheduler("pndm").withSteps(10);
        assertThat(pixels(sd.generate(pndm, StepListener.NONE).get(0).image()))
                .isEqualTo(pixels(sd.generate(pndm.withSeeds(List.of(7L, 8L)), StepListener.NONE).get(0).image()));
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void clipSkipIsRefusedNamingTheFolderAndTheMissingOutputs() {
        ImageRequest r = request(goldens.get("cases").get(0)).withClipSkip(1);
        assertThatThrownBy(() -> sd.generate(r, StepListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clip skip must be 0 for the Stable Diffusion folder " + dir + ", but is: 1.")
                .hasMessageContaining("it exports no hidden_states.N outputs and no final_layer_norm of its own")
                .hasMessageContaining("[last_hidden_state, pooler_output]")
                .hasMessageContaining("num_hidden_layers reduced by N");
        // 0 is diffusers' final_layer_norm(hidden_states[-1]), i.e. last_hidden_state: the default image
        sd.checkClipSkip(0);
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void promptsTokeniseAsTheReference(JsonNode c) {
        ClipTokenizer tok = ClipTokenizer.load(dir.resolve("tokenizer"));
        List<Integer> expected = new ArrayList<>();
        c.get("prompt_ids").forEach(n -> expected.add(n.asInt()));
        int[] ids = tok.encode(c.get("prompt").asText()).ids();
        assertThat(ids).hasSize(expected.size());
        for (int i = 0; i < ids.length; i++) {
            assertThat(ids[i]).as("token %d of %s", i, c.get("prompt")).isEqualTo(expected.get(i));
        }
    }

    @Test
    void aFloatScalarTimestepUnetGivesTheSameImages() throws Exception {
        Path variant = Path.of(TinySdPipelineTest.class.getResource("/tiny-sd-float-timestep/model_index.json").toURI())
                .getParent();
        JsonNode c = goldens.get("cases").get(3); // Euler with a negative prompt
        try (StableDiffusion f = StableDiffusion.open(variant, SessionSettings.defaults().withIntraOpThreads(1))) {
            List<GeneratedImage> images = f.generate(request(c), StepListener.NONE);
            assertSameImage(images.get(0).image(), dir.resolve("goldens").resolve(c.get("images").get(0).asText()),
                    "float-timestep variant");
        }
    }

    @Test
    void theSameSeedGivesTheSameImageAloneOrInABatch() {
        ImageRequest one = request(goldens.get("cases").get(0));
        BufferedImage alone = sd.generate(one, StepListener.NONE).get(0).image();
        List<GeneratedImage> batch = sd.generate(one.withSeeds(List.of(5L, 0L)), StepListener.NONE);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertThat(batch.get(1).image().getRGB(x, y)).isEqualTo(alone.getRGB(x, y));
            }
        }
    }

    @Test
    void theStepListenerSeesEveryStepAndCanStopTheRun() {
        ImageRequest r = request(goldens.get("cases").get(0));
        List<Integer> seen = new ArrayList<>();
        sd.generate(r, (step, steps, t) -> seen.add(step));
        assertThat(seen).hasSize(goldens.get("cases").get(0).get("unet_calls").asInt());
        assertThatThrownBy(() -> sd.generate(r, (step, steps, t) -> step < 2))
                .isInstanceOf(CancellationException.class).hasMessageContaining("after step 2");
    }

    @Test
    void anUnknownSchedulerListsTheKnownOnes() {
        ImageRequest r = request(goldens.get("cases").get(0)).withScheduler("eulr");
        assertThatThrownBy(() -> sd.generate(r, StepListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown scheduler 'eulr'").hasMessageContaining("euler_a");
    }

    @Test
    void aMissingPartIsNamed() throws IOException {
        Path copy = Files.createDirectory(tmp.resolve("no-unet"));
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("unet")) {
                    Files.createSymbolicLink(copy.resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
        }
        assertThatThrownBy(() -> StableDiffusion.open(copy, SessionSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lacks unet/model.onnx");
    }
}
