package dev.tempera.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.image.ImageLoader;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.sampling.SamplingParams;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole local pipeline on the bundled models — image file → Tempera's Qwen2-VL image processor → placeholder
 * expansion → tokenizer → vision encoder, prefill, decode — and the engine's bad-input errors.
 */
class LocalEngineTest {

    private static LocalEngine vl;
    private static LocalEngine lm;
    private static JsonNode goldens;

    @BeforeAll
    static void open() throws IOException {
        vl = LocalEngine.open(TestModels.shapesVl(), LocalEngine.Options.defaults());
        lm = LocalEngine.open(TestModels.shapesLm(), LocalEngine.Options.defaults());
        try (InputStream in = LocalEngineTest.class.getResourceAsStream("/conformance/shapes-vl.json")) {
            goldens = new ObjectMapper().readTree(in);
        }
    }

    @AfterAll
    static void close() {
        vl.close();
        lm.close();
    }

    private static RgbPixels image(String relative) {
        try {
            Path p = Path.of(LocalEngineTest.class.getResource("/conformance/" + relative).toURI());
            return ImageLoader.withDefaults().load(p);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static GenerationRequest greedy(int max) {
        return GenerationRequest.of(SamplingParams.builder().temperature(0).maxTokens(max).build());
    }

    private static JsonNode golden(String name) {
        for (JsonNode c : goldens.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException("no golden " + name);
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static String unexpanded(JsonNode c) {
        return c.get("prompt_text").asText();
    }

    @Test
    void anImageThatNeedsNoResamplingGivesTransformersJsTokensEndToEnd() {
        // 112 x 112 is already a smart_resize size for shapes-vl, so Java (Pillow) and transformers.js (sharp)
        // preprocess it identically (to 2.4e-7) and the whole pipeline must give the golden tokens
        for (String name : List.of("en-two-shapes-112-no-resample", "zh-two-shapes-112-no-resample")) {
            JsonNode c = golden(name);
            Prompt p = vl.prepare(unexpanded(c), List.of(image("images/diamond-circle-112.png")));
            assertThat(p.ids()).containsExactly(ints(c.get("input_ids")));
            GenerationResult r = vl.generate(p, greedy(48), StreamListener.NONE);
            assertThat(r.completions().get(0).tokens()).as(name).containsExactly(ints(c.get("generated_ids")));
        }
    }

    static java.util.stream.Stream<JsonNode> imageCases() throws IOException {
        try (InputStream in = LocalEngineTest.class.getResourceAsStream("/conformance/shapes-vl.json")) {
            List<JsonNode> out = new java.util.ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(c -> {
                if (c.has("with_pillow_pixel_values")) {
                    out.add(c);
                }
            });
            return out.stream();
        }
    }

    /**
     * The whole Java pipeline from the PNG files gives the tokens of the Python reference's preprocessing (Pillow
     * resize; goldens' {@code with_pillow_pixel_values}, decoded by transformers.js from Pillow's pixel values).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{index}: {0}")
    @org.junit.jupiter.params.provider.MethodSource("imageCases")
    void javaPreprocessingGivesThePythonReferenceTokens(JsonNode c) {
        List<RgbPixels> pictures = new java.util.ArrayList<>();
        for (JsonNode im : c.get("images")) {
            pictures.add(image(im.get("image").asText()));
        }
        Prompt p = vl.prepare(unexpanded(c), pictures);
        assertThat(p.ids()).containsExactly(ints(c.get("input_ids")));
        GenerationResult r = vl.generate(p, greedy(48), StreamListener.NONE);
        assertThat(r.completions().get(0).tokens()).as(c.get("name").asText())
                .containsExactly(ints(c.get("with_pillow_pixel_values").get("generated_ids")));
        assertThat(r.text()).isEqualTo(c.get("with_pillow_pixel_values").get("text").asText());
    }

    @Test
    void aShapesImageIsDescribedWithItsTrueKindAndColour() {
        // 64 x 64 images are upsampled with Pillow's bicubic (as in Python); the description must name the scene
        Prompt en = vl.prepare(unexpanded(golden("en-one-shape-64")), List.of(image("images/red-circle-64.png")));
        String text = vl.generate(en, greedy(48), StreamListener.NONE).text();
        assertThat(text).contains("red circle").contains("blue background");
        Prompt zh = vl.prepare(unexpanded(golden("zh-one-shape-64")), List.of(image("images/red-circle-64.png")));
        assertThat(vl.generate(zh, greedy(48), StreamListener.NONE).text()).contains("红色圆形").contains("蓝色");
    }

    @Test
    void twoImagesInOneMessageAreBothSeen() {
        JsonNode c = golden("two-images-one-message");
        Prompt p = vl.prepare(unexpanded(c), List.of(image("images/red-circle-64.png"),
                image("images/star-square-64.png")));
        assertThat(p.images()).isEqualTo(2);
        assertThat(p.ids()).containsExactly(ints(c.get("input_ids")));
    }

    @Test
    void textOnlyPromptsRunOnTheVisionLanguageModel() {
        JsonNode c = golden("text-only-expand-instruction");
        Prompt p = vl.prepare(unexpanded(c), List.of());
        GenerationResult r = vl.generate(p, greedy(48), StreamListener.NONE);
        assertThat(r.completions().get(0).tokens()).containsExactly(ints(c.get("python_rule").get("generated_ids")));
    }

    @Test
    void imagesForATextOnlyModelAreRefused() {
        assertThatThrownBy(() -> lm.prepare("hello", List.of(image("images/red-circle-64.png"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text-only model and takes no images, but 1 were given");
    }

    @Test
    void moreImagesThanAllowedAreRefused() {
        try (LocalEngine one = LocalEngine.open(TestModels.shapesVl(),
                LocalEngine.Options.defaults().withMaxImagesPerPrompt(1))) {
            String text = "<|vision_start|><|image_pad|><|vision_end|><|vision_start|><|image_pad|><|vision_end|>";
            RgbPixels img = image("images/red-circle-64.png");
            assertThatThrownBy(() -> one.prepare(text, List.of(img, img)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 1 images (limit_mm_per_prompt), but holds: 2");
        }
    }

    @Test
    void placeholdersAndImagesMustAgree() {
        assertThatThrownBy(() -> vl.prepare("Describe this image.", List.of(image("images/red-circle-64.png"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the prompt has 0 image placeholders (<|image_pad|>) but 1 images were given");
        assertThatThrownBy(() -> vl.generate(vl.prepare("<|vision_start|><|image_pad|><|vision_end|>x", List.of()),
                greedy(4), StreamListener.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPromptLongerThanTheContextIsRefused() {
        String longText = "red star ".repeat(1500);
        assertThatThrownBy(() -> lm.prepare(longText, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the model's context is 2048 tokens, so it must hold at most 2047");
    }

    @Test
    void missingModelFilesAreNamed() {
        assertThatThrownBy(() -> LocalEngine.open(Path.of("no/such/folder"), LocalEngine.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model folder does not exist");
    }
}
