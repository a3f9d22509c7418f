package dev.tempera.image.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.runtime.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SDXL pipeline end to end on a tiny synthetic SDXL in Optimum's layout (tools/conformance/diffusion), against
 * diffusers' StableDiffusionXLPipeline semantics with its real schedulers and {@code randn_tensor}: both tokenizers'
 * ids, and the images within one level — zero negative embeddings without a negative prompt, an encoded negative
 * prompt, Euler ancestral, no guidance, size and crop conditioning, a list of seeds; and {@code __call__}'s clip_skip
 * (the prompt from {@code hidden_states[-3]}, the negative prompt still from {@code hidden_states[-2]}) and DDIM's eta
 * ({@code goldens/call_options.json}).
 */
class TinySdxlPipelineTest {

    private static Path dir;
    private static StableDiffusionXL sdxl;

    @BeforeAll
    static void open() throws URISyntaxException {
        dir = Path.of(TinySdxlPipelineTest.class.getResource("/tiny-sdxl/model_index.json").toURI()).getParent();
        sdxl = StableDiffusionXL.open(dir, SessionSettings.defaults().withIntraOpThreads(1));
    }

    @AfterAll
    static void close() {
        sdxl.close();
    }

    static Stream<JsonNode> cases() throws IOException, URISyntaxException {
        Path d = Path.of(TinySdxlPipelineTest.class.getResource("/tiny-sdxl/model_index.json").toURI()).getParent();
        List<JsonNode> out = new ArrayList<>();
        new ObjectMapper().readTree(d.resolve("goldens/cases.json").toFile()).get("cases").forEach(out::add);
        return out.stream();
    }

    private static Optional<int[]> pair(JsonNode c, String field) {
        JsonNode v = c.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(new int[] {v.get(0).asInt(), v.get(1).asInt()});
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void imagesMatchTheDiffusersReference(JsonNode c) throws IOException {
        SdxlOptions options = new SdxlOptions(Optional.empty(), Optional.empty(), pair(c, "original_size"),
                pair(c, "crops_coords_top_left").orElse(new int[] {0, 0}), pair(c, "target_size"));
        List<GeneratedImage> images = sdxl.generate(TinySdPipelineTest.request(c), options, StepListener.NONE);
        assertThat(images).hasSize(c.get("images").size());
        for (int i = 0; i < images.size(); i++) {
            TinySdPipelineTest.assertSameImage(images.get(i).image(),
                    dir.resolve("goldens").resolve(c.get("images").get(i).asText()), c.get("name").asText());
        }
    }

    static Stream<JsonNode> callOptionCases() throws IOException, URISyntaxException {
        return TinySdPipelineTest.goldenCases("/tiny-sdxl", "call_options.json");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("callOptionCases")
    void clipSkipAndEtaMatchTheDiffusersReference(JsonNode c) throws IOException {
        List<GeneratedImage> images = sdxl.generate(TinySdPipelineTest.callRequest(c), SdxlOptions.defaults(),
                StepListener.NONE);
        assertThat(images).hasSize(c.get("images").size());
        for (int i = 0; i < images.size(); i++) {
            TinySdPipelineTest.assertSameImage(images.get(i).image(),
                    dir.resolve("goldens").resolve(c.get("images").get(i).asText()), c.get("name").asText());
        }
        String params = images.get(0).info().parameters();
        assertThat(params.contains(", Clip skip: 1")).isEqualTo(c.get("clip_skip").asInt(0) == 1);
        assertThat(params.contains(", Eta: 0.5")).isEqualTo(c.get("eta").asDouble() == 0.5);
    }

    @Test
    void clipSkipMustLeaveALayerInBothEncoders() {
        // two layers per tiny encoder: hidden_states.0..2, and hidden_states[-(clip_skip + 2)] exists for 0 and 1
        assertThat(sdxl.maxClipSkip()).isEqualTo(1);
        ImageRequest r = ImageRequest.of("a red circle").withSize(32, 32).withSteps(2).withClipSkip(2);
        assertThatThrownBy(() -> sdxl.generate(r, SdxlOptions.defaults(), StepListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clip skip must be in [0, 1] for " + dir + " (text_encoder has 2 layers, text_encoder_2 2;"
                        + " SDXL encodes the prompt from hidden_states[-(clip_skip + 2)] of both), but is: 2");
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void bothTokenizersGiveTheReferenceIds(JsonNode c) {
        for (String[] t : new String[][] {{"tokenizer", "prompt_ids"}, {"tokenizer_2", "prompt_ids_2"}}) {
            if (!c.has(t[1])) {
                continue;
            }
            int[] ids = ClipTokenizer.load(dir.resolve(t[0])).encode(c.get("prompt").asText()).ids();
            List<Integer> expected = new ArrayList<>();
            c.get(t[1]).forEach(n -> expected.add(n.asInt()));
            assertThat(ids).as("%s of %s", t[0], c.get("name")).hasSize(expected.size());
            for (int i = 0; i < ids.length; i++) {
                assertThat(ids[i]).as("%s token %d", t[0], i).isEqualTo(expected.get(i));
            }
        }
    }

    @Test
    void anSdFolderIsRefusedByTheSdxlPipeline() throws URISyntaxException {
        Path sd = Path.of(TinySdxlPipelineTest.class.getResource("/tiny-sd/model_index.json").toURI()).getParent();
        assertThatThrownBy(() -> StableDiffusionXL.open(sd, SessionSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StableDiffusionPipeline");
        assertThatThrownBy(() -> StableDiffusion.open(dir, SessionSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StableDiffusionXLPipeline");
    }
}
