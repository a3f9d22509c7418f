package dev.tempera.image.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempera.runtime.hub.FileSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A diffusion repo's download takes what text-to-image needs and nothing else. */
class DiffusionFilesTest {

    static final List<String> SDXL_REPO = List.of("model_index.json", "README.md", "scheduler/scheduler_config.json",
            "tokenizer/vocab.json", "tokenizer/merges.txt", "tokenizer_2/vocab.json", "text_encoder/model.onnx",
            "text_encoder/config.json", "text_encoder_2/model.onnx", "text_encoder_2/model.onnx_data",
            "unet/model.onnx", "unet/model.onnx_data", "unet/config.json", "vae_decoder/model.onnx",
            "vae_decoder/config.json", "vae_encoder/model.onnx", "feature_extractor/preprocessor_config.json");

    @Test
    void selectsTheGraphsConfigsAndExternalDataOfTextToImage() {
        FileSelector s = DiffusionFiles.selector();
        assertThat(s.select(SDXL_REPO)).contains("model_index.json", "scheduler/scheduler_config.json",
                "tokenizer/merges.txt", "tokenizer_2/vocab.json", "text_encoder_2/model.onnx_data",
                "unet/model.onnx_data", "vae_decoder/config.json")
                .doesNotContain("README.md", "vae_encoder/model.onnx", "feature_extractor/preprocessor_config.json");
    }

    @Test
    void aFolderWithoutItsUnetIsIncomplete() {
        List<String> present = SDXL_REPO.stream().filter(f -> !f.startsWith("unet/")).toList();
        assertThat(DiffusionFiles.selector().missing(present)).containsExactly("unet/model.onnx");
        assertThat(DiffusionFiles.selector().missing(SDXL_REPO)).isEmpty();
    }
}
