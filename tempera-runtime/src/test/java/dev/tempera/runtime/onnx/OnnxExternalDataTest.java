package dev.tempera.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tempera.runtime.SampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** external/model.onnx computes y = x + w with w = [1, 2, 3, 4] stored in model.onnx_data (see make_graphs.py). */
class OnnxExternalDataTest {

    @TempDir
    Path dir;

    @Test
    void loadsAGraphWhoseWeightsAreInItsDataFile() throws OrtException {
        Path model = OnnxTestGraphs.copy("external/model.onnx", dir.resolve("onnx/model.onnx"));
        OnnxTestGraphs.copy("external/model.onnx_data", dir.resolve("onnx/model.onnx_data"));
        assertThat(OnnxExternalData.locations(model)).contains(List.of("model.onnx_data"));
        assertThat(OnnxFiles.find(dir, "model", OnnxDtype.FP32).externalData()).containsExactly(dir.resolve("onnx/model.onnx_data"));
        try (OnnxModel m = OnnxModel.open(model);
                OnnxTensor x = OnnxTensor.createTensor(OnnxModel.environment(), new float[] {10, 20, 30, 40});
                OrtSession.Result r = m.run(Map.of("x", x))) {
            assertThat(Float16.toFloats((OnnxTensor) r.get("y").orElseThrow())).containsExactly(11, 22, 33, 44);
        }
    }

    @Test
    void aMissingDataFileIsNamedBeforeOnnxRuntimeTriesToLoad() {
        Path model = OnnxTestGraphs.copy("external/model.onnx", dir.resolve("model.onnx"));
        assertThatThrownBy(() -> OnnxModel.open(model)).isInstanceOf(IllegalStateException.class)
                .hasMessage(model + " keeps its weights in external data, but 'model.onnx_data' (expected at "
                        + dir.resolve("model.onnx_data") + ") is missing: download the 'model.onnx_data' files of this graph "
                        + "too and keep them next to the .onnx file");
    }

    @Test
    void graphsWithInlineWeightsNameNoDataFiles() {
        assertThat(OnnxExternalData.locations(OnnxTestGraphs.copy("contract.onnx", dir.resolve("c.onnx")))).contains(List.of());
        // a real exported model from the repository's sample models parses too
        Path lm = SampleModels.dir("shapes-lm").resolve("model.onnx");
        assertThat(OnnxExternalData.locations(lm)).contains(List.of());
    }

    @Test
    void aFileThatIsNotProtobufIsLeftToOnnxRuntime() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "this is not an onnx file at all");
        assertThat(OnnxExternalData.locations(junk)).isEmpty();
        assertThatThrownBy(() -> OnnxModel.open(junk)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ONNX Runtime could not load " + junk + " (cpu): ");
    }
}
