package dev.tempera.runtime.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * Half-precision tensors for graphs exported in fp16: Java has no {@code half}, so values travel as the IEEE 754
 * binary16 bit patterns in {@code short}s, converted with ONNX Runtime's own routines (round to nearest even;
 * values beyond ±65504 become ±infinity, below 2⁻²⁴ zero; NaN stays NaN).
 *
 * <p>{@link #tensor} copies the floats once into a direct buffer that ORT wraps without another copy; the tensor
 * owns that buffer and the caller closes the tensor. {@link #toFloats} reads a FLOAT, FLOAT16 or BFLOAT16 tensor
 * (an fp16 graph's logits, say) into a new {@code float[]}.
 */
public final class Float16 {

    private Float16() {}

    /** The binary16 bits nearest to {@code value}. */
    public static short fromFloat(float value) {
        return Fp16Conversions.floatToFp16(value);
    }

    /** The float that binary16 {@code bits} stand for (exact: every half is a float). */
    public static float toFloat(short bits) {
        return Fp16Conversions.fp16ToFloat(bits);
    }

    /**
     * A FLOAT16 tensor of {@code shape} holding {@code values} (row-major) rounded to half precision.
     *
     * @throws IllegalArgumentException when the shape's element count is not {@code values.length}
     * @throws IllegalStateException when ONNX Runtime cannot create the tensor
     */
    public static OnnxTensor tensor(float[] values, long... shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, but shape is: " + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, but values has: " + values.length);
        }
        ShortBuffer bits = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
        for (float v : values) {
            bits.put(fromFloat(v));
        }
        bits.rewind();
        try {
            return OnnxTensor.createTensor(OnnxModel.environment(), bits, shape, OnnxJavaType.FLOAT16);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not create a float16 tensor of shape "
                    + Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The elements of a FLOAT, FLOAT16 or BFLOAT16 tensor as floats, row-major.
     *
     * @throws IllegalArgumentException for any other element type
     */
    public static float[] toFloats(OnnxTensor tensor) {
        TensorInfo info = tensor.getInfo();
        switch (info.type) {
            case FLOAT: {
                FloatBuffer b = tensor.getFloatBuffer();
                float[] out = new float[b.remaining()];
                b.get(out);
                return out;
            }
            case FLOAT16:
            case BFLOAT16: {
                ShortBuffer b = tensor.getShortBuffer();
                float[] out = new float[b.remaining()];
                boolean half = info.type == OnnxJavaType.FLOAT16;
                for (int i = 0; i < out.length; i++) {
                    short s = b.get(i);
                    out[i] = half ? Fp16Conversions.fp16ToFloat(s) : Fp16Conversions.bf16ToFloat(s);
                }
                return out;
            }
            default:
                throw new IllegalArgumentException("tensor must hold float, float16 or bfloat16 elements, but holds: "
                        + ElementType.nameOf(info.onnxType));
        }
    }
}
