package dev.tempera.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OnnxDtypeTest {

    @Test
    void fileNamesUseTransformersJsSuffixes() {
        assertThat(OnnxDtype.FP32.fileName("model")).isEqualTo("model.onnx");
        assertThat(OnnxDtype.FP16.fileName("vision_encoder")).isEqualTo("vision_encoder_fp16.onnx");
        assertThat(OnnxDtype.Q8.fileName("decoder_model_merged")).isEqualTo("decoder_model_merged_quantized.onnx");
        assertThat(OnnxDtype.Q4F16.fileName("embed_tokens")).isEqualTo("embed_tokens_q4f16.onnx");
        assertThat(OnnxDtype.BNB4.suffix()).isEqualTo("_bnb4");
    }

    @Test
    void parsesAnyCaseAndListsTheChoicesOnError() {
        assertThat(OnnxDtype.parse("Q4F16")).isEqualTo(OnnxDtype.Q4F16);
        assertThatThrownBy(() -> OnnxDtype.parse("fp8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown ONNX dtype 'fp8'; known: [fp32, fp16, int8, uint8, q8, q4, q4f16, bnb4, q2, q2f16, q1, q1f16]");
    }

    @Test
    void recognisesTheVariantOfAFileOnlyForItsOwnGraph() {
        assertThat(OnnxDtype.ofFile("model", "model_q4.onnx")).contains(OnnxDtype.Q4);
        assertThat(OnnxDtype.ofFile("model", "model.onnx")).contains(OnnxDtype.FP32);
        assertThat(OnnxDtype.ofFile("decoder_model", "decoder_model_merged.onnx")).isEmpty();
        assertThat(OnnxDtype.ofFile("model", "model.onnx_data")).isEmpty();
        assertThat(OnnxDtype.ofFile("model.onnx", "model.onnx")).isEmpty();
    }
}
