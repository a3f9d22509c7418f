package dev.tempera.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSettingsTest {

    @Test
    void parsesDevices() {
        assertThat(OnnxDevice.parse("cpu")).isEqualTo(OnnxDevice.CPU);
        assertThat(OnnxDevice.parse("CUDA")).isEqualTo(OnnxDevice.cuda(0));
        assertThat(OnnxDevice.parse("cuda:1")).isEqualTo(OnnxDevice.cuda(1));
        assertThat(OnnxDevice.cuda(1)).hasToString("cuda:1");
        for (String bad : new String[] {"gpu", "cpu:0", "cuda:", "cuda:-1", "cuda:x", ""}) {
            assertThatThrownBy(() -> OnnxDevice.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("device must be 'cpu', 'cuda' or 'cuda:<index>' (e.g. cuda:1), but is: '" + bad + "'");
        }
    }

    @Test
    void cudaWithoutTheCudaProviderSaysWhichArtifactToUse() {
        assertThatThrownBy(() -> OnnxDevice.cuda(0).requireAvailable(EnumSet.of(OrtProvider.CPU)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("device cuda:0 needs ONNX Runtime's CUDA provider, but this ONNX Runtime has only [CPU]")
                .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime_gpu");
        OnnxDevice.cuda(0).requireAvailable(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA)); // no error
        OnnxDevice.CPU.requireAvailable(EnumSet.of(OrtProvider.CPU));
    }

    @Test
    void createOptionsChecksTheProvidersOfThisOnnxRuntime() {
        SessionSettings cuda = SessionSettings.defaults().withDevice(OnnxDevice.cuda(0));
        if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return; // a GPU build: nothing to refuse
        }
        assertThatThrownBy(cuda::createOptions).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("onnxruntime_gpu");
    }

    @Test
    void validatesThreadCounts() {
        assertThatThrownBy(() -> SessionSettings.defaults().withIntraOpThreads(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: -1");
        assertThatThrownBy(() -> SessionSettings.defaults().withInterOpThreads(-2))
                .hasMessage("interOpThreads must be >= 0 (0 = let ONNX Runtime choose), but is: -2");
    }

    @Test
    void parsesOptimizationAndExecutionModeListingChoices() {
        assertThat(GraphOptimization.parse("Extended")).isEqualTo(GraphOptimization.EXTENDED);
        assertThatThrownBy(() -> GraphOptimization.parse("max")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown graph optimization 'max'; known: [disable, basic, extended, all]");
        assertThat(SessionSettings.parseExecutionMode("parallel")).isEqualTo(ExecutionMode.PARALLEL);
        assertThatThrownBy(() -> SessionSettings.parseExecutionMode("async"))
                .hasMessage("Unknown execution mode 'async'; known: [sequential, parallel]");
    }

    @Test
    void everyNonDefaultSettingLoadsAndRunsTheSameGraph(@TempDir Path dir) throws OrtException {
        Path file = OnnxTestGraphs.copy("contract.onnx", dir.resolve("contract.onnx"));
        SessionSettings s = SessionSettings.defaults().withIntraOpThreads(1).withInterOpThreads(2)
                .withOptimization(GraphOptimization.DISABLE).withExecutionMode(ExecutionMode.PARALLEL);
        try (OnnxModel m = OnnxModel.open(file, s);
                OnnxTensor ids = OnnxTensor.createTensor(OnnxModel.environment(), new long[][] {{3, 4}});
                OnnxTensor mask = OnnxTensor.createTensor(OnnxModel.environment(), new long[][] {{1, 0}});
                OrtSession.Result r = m.run(Map.of("input_ids", ids, "attention_mask", mask))) {
            // logits = float(input_ids * attention_mask) on a new last axis
            assertThat(Float16.toFloats((OnnxTensor) r.get("logits").orElseThrow())).containsExactly(3f, 0f);
        }
    }
}
