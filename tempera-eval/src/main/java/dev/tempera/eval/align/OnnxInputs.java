package dev.tempera.eval.align;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.tempera.runtime.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Contract checks and tensor plumbing shared by the CLIP towers. */
final class OnnxInputs {

    private OnnxInputs() {}

    /** Fails (naming the file) unless every input of the graph is one of {@code known}. */
    static void requireOnlyKnownInputs(OnnxModel model, Set<String> known) {
        for (String name : model.inputs().keySet()) {
            if (!known.contains(name)) {
                throw new IllegalStateException(model.file() + " has input '" + name + "', which a CLIP "
                        + "encoder does not feed; the inputs it knows are " + known);
            }
        }
    }

    /** The integer type of a token input (int64 in Optimum and transformers.js exports, int32 in some others). */
    static OnnxJavaType requireIntegerInput(OnnxModel model, String name) {
        TensorInfo info = model.inputTensor(name);
        OnnxJavaType type = info.type;
        if (type != OnnxJavaType.INT64 && type != OnnxJavaType.INT32) {
            throw new IllegalStateException(model.file() + ": input '" + name + "' must be int64 or int32, but is " + type);
        }
        requireRank(model, "input", name, info, 2);
        return type;
    }

    /** A float32 input of the given rank. */
    static TensorInfo requireFloatInput(OnnxModel model, String name, int rank) {
        TensorInfo info = model.inputTensor(name);
        if (info.type != OnnxJavaType.FLOAT) {
            throw new IllegalStateException(model.file() + ": input '" + name + "' must be float32, but is " + info.type
                    + " (only float32 exports are supported; pick the non-fp16 file)");
        }
        requireRank(model, "input", name, info, rank);
        return info;
    }

    /** A float32 output of the given rank. */
    static TensorInfo requireFloatOutput(OnnxModel model, String name, int rank) {
        model.requireOutputs(name);
        TensorInfo info = model.outputTensor(name);
        if (info.type != OnnxJavaType.FLOAT) {
            throw new IllegalStateException(model.file() + ": output '" + name + "' must be float32, but is " + info.type);
        }
        requireRank(model, "output", name, info, rank);
        return info;
    }

    private static void requireRank(OnnxModel model, String kind, String name, TensorInfo info, int rank) {
        long[] shape = info.getShape();
        if (shape.length != rank) {
            throw new IllegalStateException(model.file() + ": " + kind + " '" + name + "' must have rank " + rank
                    + ", but has shape " + java.util.Arrays.toString(shape));
        }
    }

    /** An integer tensor of {@code values} in the input's own type. */
    static OnnxTensor integerTensor(OnnxJavaType type, long[] values, long[] shape) {
        try {
            if (type == OnnxJavaType.INT64) {
                return OnnxTensor.createTensor(OnnxModel.environment(), LongBuffer.wrap(values), shape);
            }
            int[] ints = new int[values.length];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = Math.toIntExact(values[i]);
            }
            return OnnxTensor.createTensor(OnnxModel.environment(), IntBuffer.wrap(ints), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create an input tensor: " + e.getMessage(), e);
        }
    }

    static OnnxTensor floatTensor(FloatBuffer values, long[] shape) {
        try {
            return OnnxTensor.createTensor(OnnxModel.environment(), values, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create an input tensor: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a {@code [batch, dim]} float output, checking its shape and that every value is finite.
     */
    static float[][] readEmbeddings(OnnxModel model, OrtSession.Result result, String name, int batch) {
        Optional<ai.onnxruntime.OnnxValue> value = result.get(name);
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
            throw new IllegalStateException(model.file() + " returned no tensor '" + name + "'");
        }
        long[] shape = tensor.getInfo().getShape();
        if (shape.length != 2 || shape[0] != batch || shape[1] < 1) {
            throw new IllegalStateException(model.file() + ": output '" + name + "' must have shape [" + batch
                    + ", dim], but has " + java.util.Arrays.toString(shape));
        }
        int dim = (int) shape[1];
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[][] out = new float[batch][dim];
        for (int i = 0; i < batch; i++) {
            buffer.get(out[i]);
            for (int k = 0; k < dim; k++) {
                if (!Float.isFinite(out[i][k])) {
                    throw new IllegalStateException(model.file() + ": output '" + name + "' holds a non-finite value ("
                            + out[i][k] + ") at [" + i + ", " + k + "]");
                }
            }
        }
        return out;
    }

    static void closeAll(Map<String, OnnxTensor> tensors) {
        for (OnnxTensor t : tensors.values()) {
            t.close();
        }
    }
}
