package dev.tempera.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.hub.DownloadProgress;
import dev.tempera.runtime.hub.HfEnvironment;
import dev.tempera.runtime.hub.HfHub;
import dev.tempera.runtime.hub.HfHubException;
import dev.tempera.runtime.hub.ModelResolver;
import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.sampling.SamplingParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face ids resolved through a loopback hub that serves the bundled model folders: only the files the engine
 * needs are downloaded (configs and tokenizer first, then the graphs config.json calls for), into the hub cache
 * layout, and the model generates from there exactly as from the bundled folder.
 */
class ModelFoldersTest {

    @TempDir
    Path tmp;

    private FolderHub hub;

    @BeforeEach
    void start() throws IOException {
        hub = new FolderHub();
        hub.add("tempera/shapes-vl", TestModels.shapesVl());
        hub.add("tempera/shapes-lm", TestModels.shapesLm());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ModelResolver resolver(boolean offline) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", hub.endpoint());
        env.put("HF_HUB_CACHE", tmp.resolve("cache").toString());
        if (offline) {
            env.put("HF_HUB_OFFLINE", "1");
        }
        return new ModelResolver(new HfHub(HfEnvironment.from(env, tmp.resolve("home"))), DownloadProgress.silent());
    }

    private static String greedy(Path dir, String prompt) {
        try (LocalEngine e = LocalEngine.open(dir, LocalEngine.Options.defaults())) {
            Prompt p = e.prepare(TestModels.chatPrompt(prompt), List.of());
            return e.generate(p, GenerationRequest.of(SamplingParams.builder().temperature(0).maxTokens(32).build()),
                    StreamListener.NONE).text();
        }
    }

    @Test
    void aVisionLanguageModelIdDownloadsItsConfigsAndThreeGraphsOnly() {
        Path dir = ModelFolders.resolve(resolver(false), "tempera/shapes-vl", OnnxDtype.FP32);
        assertThat(dir.toString()).contains("models--tempera--shapes-vl").contains("snapshots").contains(FolderHub.COMMIT);
        assertThat(hub.fetched).contains("config.json", "tokenizer.json", "tokenizer_config.json",
                "preprocessor_config.json", "generation_config.json", "onnx/vision_encoder.onnx",
                "onnx/embed_tokens.onnx", "onnx/decoder_model_merged.onnx").doesNotContain("MODEL_CARD.md");
        assertThat(greedy(dir, "Describe a scene with red star.")).isEqualTo(greedy(TestModels.shapesVl(),
                "Describe a scene with red star."));
        int before = hub.fetched.size();
        ModelFolders.resolve(resolver(false), "tempera/shapes-vl", OnnxDtype.FP32);
        assertThat(hub.fetched).as("a second resolve downloads nothing").hasSize(before);
    }

    @Test
    void aDecoderOnlyIdDownloadsItsModelOnnx() {
        Path dir = ModelFolders.resolve(resolver(false), "tempera/shapes-lm", OnnxDtype.FP32);
        assertThat(hub.fetched).contains("model.onnx", "config.json", "tokenizer.json");
        assertThat(greedy(dir, "Describe a scene with red star.")).isEqualTo(greedy(TestModels.shapesLm(),
                "Describe a scene with red star."));
        resolverOffline(dir);
    }

    private void resolverOffline(Path expected) {
        assertThat(ModelFolders.resolve(resolver(true), "tempera/shapes-lm", OnnxDtype.FP32)).isEqualTo(expected);
    }

    @Test
    void aMissingVariantIsNamedWithTheVariantsThereAre() {
        assertThatThrownBy(() -> ModelFolders.resolve(resolver(false), "tempera/shapes-lm", OnnxDtype.FP16))
                .isInstanceOf(HfHubException.class)
                .hasMessageContaining("tempera/shapes-lm").hasMessageContaining("fp16").hasMessageContaining("fp32");
    }

    @Test
    void anIdThatIsNeitherCachedNorDownloadableFailsClearly() {
        assertThatThrownBy(() -> ModelFolders.resolve(resolver(false), "nobody/nothing"))
                .isInstanceOf(HfHubException.class).hasMessageContaining("nobody/nothing");
        assertThatThrownBy(() -> ModelFolders.resolve(resolver(true), "tempera/shapes-vl"))
                .isInstanceOf(HfHubException.class).hasMessageContaining("HF_HUB_OFFLINE=1");
        assertThatThrownBy(() -> ModelFolders.resolve(resolver(false), "no-such-folder"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is neither a folder nor a Hugging Face id");
    }
}
