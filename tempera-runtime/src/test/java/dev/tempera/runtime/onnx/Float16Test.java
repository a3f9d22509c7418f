package dev.tempera.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Half precision against numpy: each row is {@code np.float32(x).astype(np.float16)} from /usr/bin/python3 (numpy
 * rounds to nearest, ties to even, like IEEE 754 and ONNX Runtime's Cast).
 */
class Float16Test {

    // input, binary16 bits, the float those bits stand for
    private static final float[] INPUT = {0.1f, 1 / 3f, -2.5f, 65504f, 65520f, 70000f, 1e-5f, 6e-8f, 2e-8f, 3e-8f, 0f, -0f,
        1.0009765625f, 1.00048828125f, 1.00146484375f};
    private static final short[] BITS = {0x2e66, 0x3555, (short) 0xc100, 0x7bff, 0x7c00, 0x7c00, 0x00a8, 0x0001, 0x0000,
        0x0001, 0x0000, (short) 0x8000, 0x3c01, 0x3c00, 0x3c02};
    private static final float[] HALF = {0.0999755859375f, 0.333251953125f, -2.5f, 65504f, Float.POSITIVE_INFINITY,
        Float.POSITIVE_INFINITY, 1.0013580322265625e-05f, 5.960464477539063e-08f, 0f, 5.960464477539063e-08f, 0f, -0f,
        1.0009765625f, 1f, 1.001953125f};

    @TempDir
    Path dir;

    @Test
    void convertsLikeNumpyIncludingTiesOverflowAndSubnormals() {
        for (int i = 0; i < INPUT.length; i++) {
            assertThat(Float16.fromFloat(INPUT[i])).as("bits of %s", INPUT[i]).isEqualTo(BITS[i]);
            assertThat(Float16.toFloat(BITS[i])).as("value of %s", INPUT[i]).isEqualTo(HALF[i]);
        }
        assertThat(Float16.toFloat(Float16.fromFloat(Float.NaN))).isNaN();
    }

    @Test
    void roundTripsThroughAnFp16Graph() throws OrtException {
        try (OnnxModel m = OnnxModel.open(OnnxTestGraphs.copy("fp16.onnx", dir.resolve("fp16.onnx")));
                OnnxTensor half = Float16.tensor(INPUT, INPUT.length);
                OnnxTensor single = OnnxTensor.createTensor(OnnxModel.environment(), INPUT);
                OrtSession.Result r = m.run(Map.of("half16", half, "single", single))) {
            // our fp16 bits through an Identity come back as the same halves
            assertThat(Float16.toFloats((OnnxTensor) r.get("same16").orElseThrow())).containsExactly(HALF);
            // ORT widening our bits to float agrees
            assertThat(Float16.toFloats((OnnxTensor) r.get("widened").orElseThrow())).containsExactly(HALF);
            // ORT's own float -> float16 Cast rounds as we do
            assertThat(Float16.toFloats((OnnxTensor) r.get("narrowed").orElseThrow())).containsExactly(HALF);
        }
    }

    @Test
    void tensorShapeMustHoldTheValues() {
        assertThatThrownBy(() -> Float16.tensor(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 3] holds 6 values, but values has: 5");
    }

    @Test
    void refusesToReadIntegerTensorsAsFloats() throws OrtException {
        try (OnnxTensor ints = OnnxTensor.createTensor(OnnxModel.environment(), new long[] {1, 2})) {
            assertThatThrownBy(() -> Float16.toFloats(ints)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tensor must hold float, float16 or bfloat16 elements, but holds: int64");
        }
    }
}
