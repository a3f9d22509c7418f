package dev.tempera.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.hub.FileSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a graph's file and its external data in onnx-community and Optimum folders (empty files suffice). */
class OnnxFilesTest {

    @TempDir
    Path dir;

    private void touch(String... paths) throws IOException {
        for (String p : paths) {
            Files.createDirectories(dir.resolve(p).getParent());
            Files.write(dir.resolve(p), new byte[0]);
        }
    }

    @Test
    void prefersTheOnnxSubfolderOverTheRoot() throws IOException {
        touch("onnx/model.onnx", "model.onnx");
        assertThat(OnnxFiles.find(dir, "model", OnnxDtype.FP32).model()).isEqualTo(dir.resolve("onnx/model.onnx"));
    }

    @Test
    void fallsBackToTheRootOptimumLayout() throws IOException {
        touch("decoder_model_merged.onnx", "onnx/vision_encoder.onnx");
        assertThat(OnnxFiles.find(dir, "decoder_model_merged", OnnxDtype.FP32).model())
                .isEqualTo(dir.resolve("decoder_model_merged.onnx"));
    }

    @Test
    void listsExternalDataChunksInOrder() throws IOException {
        touch("onnx/model_fp16.onnx", "onnx/model_fp16.onnx_data_10", "onnx/model_fp16.onnx_data_2",
                "onnx/model_fp16.onnx_data", "onnx/model_fp16.onnx_data_1", "onnx/model.onnx_data", "onnx/model_fp16.onnx_datax");
        OnnxFiles f = OnnxFiles.find(dir, "model", OnnxDtype.FP16);
        assertThat(f.externalData()).extracting(p -> p.getFileName().toString()).containsExactly(
                "model_fp16.onnx_data", "model_fp16.onnx_data_1", "model_fp16.onnx_data_2", "model_fp16.onnx_data_10");
    }

    @Test
    void alsoKnowsTheDotDataName() throws IOException {
        touch("model.onnx", "model.onnx.data");
        assertThat(OnnxFiles.find(dir, "model", OnnxDtype.FP32).externalData()).containsExactly(dir.resolve("model.onnx.data"));
    }

    @Test
    void aMissingVariantListsTheVariantsPresent() throws IOException {
        touch("onnx/decoder_model_merged.onnx", "onnx/decoder_model_merged_q4.onnx", "onnx/decoder_model_merged_q4.onnx_data",
                "onnx/decoder_model.onnx");
        assertThatThrownBy(() -> OnnxFiles.find(dir, "decoder_model_merged", OnnxDtype.FP16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no fp16 variant of decoder_model_merged in " + dir.resolve("onnx") + "; found: fp32, q4 "
                        + "(looked for onnx/decoder_model_merged_fp16.onnx and decoder_model_merged_fp16.onnx)");
        assertThat(OnnxFiles.variants(dir, "decoder_model")).containsExactly(OnnxDtype.FP32);
    }

    @Test
    void rejectsGraphNamesWithFoldersOrExtension() {
        assertThatThrownBy(() -> OnnxFiles.find(dir, "onnx/model", OnnxDtype.FP32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but is: 'onnx/model'");
        assertThatThrownBy(() -> OnnxFiles.find(dir, "model.onnx", OnnxDtype.FP32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but is: 'model.onnx'");
    }

    @Test
    void selectorPicksConfigsAndTheVariantWithItsDataAndRequiresEachGraph() {
        List<String> repo = List.of("README.md", "config.json", "generation_config.json", "tokenizer.json",
                "tokenizer.model", "chat_template.jinja", "onnx/vision_encoder.onnx", "onnx/vision_encoder_fp16.onnx",
                "onnx/decoder_model_merged_fp16.onnx", "onnx/decoder_model_merged_fp16.onnx_data",
                "onnx/decoder_model_merged_fp16.onnx_data_1", "onnx/decoder_model_merged_q4.onnx", "embed_tokens_fp16.onnx");
        FileSelector s = OnnxFiles.selector(OnnxDtype.FP16, "vision_encoder", "embed_tokens", "decoder_model_merged");
        assertThat(s.select(repo)).containsExactlyInAnyOrder("config.json", "generation_config.json", "tokenizer.json",
                "tokenizer.model", "chat_template.jinja", "onnx/vision_encoder_fp16.onnx", "embed_tokens_fp16.onnx",
                "onnx/decoder_model_merged_fp16.onnx", "onnx/decoder_model_merged_fp16.onnx_data",
                "onnx/decoder_model_merged_fp16.onnx_data_1");
        assertThat(s.missing(repo)).isEmpty();

        FileSelector q4 = OnnxFiles.selector(OnnxDtype.Q4, "vision_encoder", "decoder_model_merged");
        assertThat(q4.missing(repo)).containsExactly("onnx/vision_encoder_q4.onnx");
        assertThat(q4.explain("onnx/vision_encoder_q4.onnx", repo))
                .isEqualTo("no q4 variant of vision_encoder (nor vision_encoder_q4.onnx at the root); found: fp32, fp16");
    }
}
