package dev.tempera.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * contract.onnx has inputs input_ids INT64[batch, seq], attention_mask INT64[batch, seq] and the output
 * logits FLOAT[batch, seq, 1]; fp16.onnx has FLOAT16 and FLOAT tensors (see make_graphs.py).
 */
class OnnxContractTest {

    @TempDir
    Path dir;

    private OnnxModel open(String name) {
        return OnnxModel.open(OnnxTestGraphs.copy(name, dir.resolve(name)));
    }

    @Test
    void aGraphThatFitsPasses() {
        try (OnnxModel m = open("contract.onnx")) {
            OnnxContract.builder()
                    .input("input_ids", ElementType.INT64, 2)
                    .input("attention_mask", ElementType.INT64, 2)
                    .optionalInput("position_ids", ElementType.INT64, 2) // absent, and optional
                    .output("logits", ElementType.ANY_FLOAT, 3)
                    .build().check(m);
        }
    }

    @Test
    void everyProblemIsListedAtOnceWithWhatTheGraphHas() {
        OnnxContract c = OnnxContract.builder()
                .input("input_ids", ElementType.INT32, 2)            // wrong type
                .input("pixel_values", ElementType.FLOAT, 4)          // missing
                .output("logits", ElementType.FLOAT, 2)               // wrong rank
                .output("present.0.key", ElementType.ANY_FLOAT, 4)    // missing
                .build();                                             // attention_mask is not in the contract
        try (OnnxModel m = open("contract.onnx")) {
            assertThatThrownBy(() -> c.check(m)).isInstanceOf(IllegalStateException.class)
                    .hasMessage(m.file() + " does not have the inputs and outputs expected of it:\n"
                            + "  expected input 'input_ids' int32 rank 2, found int64 rank 2\n"
                            + "  missing input 'pixel_values' (float rank 4)\n"
                            + "  unexpected input 'attention_mask' int64 rank 2: the caller cannot feed it\n"
                            + "  expected output 'logits' float rank 2, found float rank 3\n"
                            + "  missing output 'present.0.key' (any float rank 4)\n"
                            + "its inputs are input_ids int64 [batch, seq], attention_mask int64 [batch, seq]\n"
                            + "its outputs are logits float [batch, seq, 1]");
        }
    }

    @Test
    void otherInputsCanBeAllowed() {
        try (OnnxModel m = open("contract.onnx")) {
            OnnxContract c = OnnxContract.builder().input("input_ids", ElementType.INT64, OnnxContract.ANY_RANK)
                    .allowOtherInputs().build();
            assertThat(c.problems(m.inputs(), m.outputs())).isEmpty();
        }
    }

    @Test
    void anyFloatAcceptsFloat16AndFloatButNotIntegers() {
        try (OnnxModel m = open("fp16.onnx")) {
            OnnxContract c = OnnxContract.builder()
                    .input("half16", ElementType.ANY_FLOAT, 1).input("single", ElementType.ANY_FLOAT, 1)
                    .output("same16", ElementType.FLOAT16, 1).output("widened", ElementType.ANY_FLOAT, 1)
                    .build();
            assertThat(c.problems(m.inputs(), m.outputs())).isEmpty();
            OnnxContract wrong = OnnxContract.builder().input("half16", ElementType.FLOAT, 1).allowOtherInputs().build();
            assertThat(wrong.problems(m.inputs(), m.outputs()))
                    .containsExactly("expected input 'half16' float rank 1, found float16 rank 1");
        }
    }

    @Test
    void portNamesMustBeUnique() {
        assertThatThrownBy(() -> OnnxContract.builder().input("x", ElementType.ANY, 1).input("x", ElementType.ANY, 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("input names must be unique, but 'x' appears twice");
    }
}
