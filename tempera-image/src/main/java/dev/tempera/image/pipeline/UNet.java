package dev.tempera.image.pipeline;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.tempera.runtime.onnx.OnnxModel;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The denoiser graph ({@code unet/model.onnx}): {@code sample}, {@code timestep}, {@code encoder_hidden_states} →
 * {@code out_sample}. The timestep's dtype and rank are read from the session, because exporters differ: int64
 * {@code [batch]} (Optimum before late 2024; a fractional timestep is truncated, as ONNX Runtime's Python wrapper's
 * cast does), a float rank-0 scalar (Optimum since), float {@code [batch]} (the legacy diffusers script).
 *
 * <p>Owns its session; not thread-safe.
 */
final class UNet implements AutoCloseable {

    private final OnnxModel model;
    private final OnnxJavaType timestepType;
    private final int timestepRank;
    private final Map<String, OnnxTensor> feeds = new HashMap<>();

    UNet(OnnxModel model) {
        this.model = model;
        model.requireInputs("sample", "timestep", "encoder_hidden_states");
        model.requireOutputs("out_sample");
        TensorInfo t = model.inputTensor("timestep");
        this.timestepType = t.type;
        this.timestepRank = t.getShape().length;
        if ((timestepType != OnnxJavaType.INT64 && timestepType != OnnxJavaType.FLOAT) || timestepRank > 1) {
            throw new IllegalStateException(model.file() + ": expected input 'timestep' int64 [batch], float [batch] "
                    + "or a float scalar, found " + timestepType + " of rank " + timestepRank);
        }
    }

    /** Whether a fractional timestep reaches the model as it is (false: truncated to an integer). */
    boolean takesFractionalTimesteps() {
        return timestepType == OnnxJavaType.FLOAT;
    }

    /**
     * Runs one model call.
     *
     * @param sample {@code [batch, 4, h, w]} flattened
     * @param hidden {@code [batch, seq, dim]} flattened
     * @param out receives {@code out_sample}, same length as {@code sample}
     */
    void predict(float[] sample, int batch, int channels, int h, int w, double timestep, float[] hidden, int seq,
                 int dim, float[] out) {
        try (OnnxTensor s = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(sample),
                     new long[] {batch, channels, h, w});
             OnnxTensor t = timestepTensor(timestep, batch);
             OnnxTensor e = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(hidden),
                     new long[] {batch, seq, dim})) {
            feeds.clear();
            feeds.put("sample", s);
            feeds.put("timestep", t);
            feeds.put("encoder_hidden_states", e);
            try (OrtSession.Result r = model.run(feeds)) {
                FloatBuffer b = ((OnnxTensor) r.get("out_sample").orElseThrow()).getFloatBuffer();
                if (b.remaining() != out.length) {
                    throw new IllegalStateException(model.file() + " returned " + b.remaining()
                            + " values for out_sample, expected " + out.length);
                }
                b.get(out);
            }
        } catch (OrtException ex) {
            throw new IllegalStateException("cannot create the UNet inputs for " + model.file() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private OnnxTensor timestepTensor(double timestep, int batch) throws OrtException {
        if (timestepType == OnnxJavaType.INT64) {
            long[] v = new long[timestepRank == 0 ? 1 : batch];
            java.util.Arrays.fill(v, (long) timestep);
            return OnnxTensor.createTensor(OnnxModel.environment(), LongBuffer.wrap(v),
                    timestepRank == 0 ? new long[0] : new long[] {batch});
        }
        float[] v = new float[timestepRank == 0 ? 1 : batch];
        java.util.Arrays.fill(v, (float) timestep);
        return OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(v),
                timestepRank == 0 ? new long[0] : new long[] {batch});
    }

    @Override
    public void close() {
        model.close();
    }
}
