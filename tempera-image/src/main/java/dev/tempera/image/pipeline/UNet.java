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
    private final boolean sdxl;

    UNet(OnnxModel model) {
        this.model = model;
        model.requireInputs("sample", "timestep", "encoder_hidden_states");
        model.requireOutputs("out_sample");
        this.sdxl = model.hasInput("text_embeds") && model.hasInput("time_ids");
        TensorInfo t = model.inputTensor("timestep");
        this.timestepType = t.type;
        this.timestepRank = t.getShape().length;
        if ((timestepType != OnnxJavaType.INT64 && timestepType != OnnxJavaType.FLOAT) || timestepRank > 1) {
            throw new IllegalStateException(model.file() + ": expected input 'timestep' int64 [batch], float [batch] "
                    + "or a float scalar, found " + timestepType + " of rank " + timestepRank);
        }
    }

    /** Whether the graph is SDXL's (it takes {@code text_embeds} and {@code time_ids}). */
    boolean sdxl() {
        return sdxl;
    }

    /** Whether a fractional timestep reaches the model as it is (false: truncated to an integer). */
    boolean takesFractionalTimesteps() {
        return timestepType == OnnxJavaType.FLOAT;
    }

    /**
     * Runs one model call.
     *
     * @param sample {@code [batch, 4, h, w]} flattened, batch = {@code c.batch()}
     * @param c the conditioning of the batch
     * @param out receives {@code out_sample}, same length as {@code sample}
     */
    void predict(float[] sample, int channels, int h, int w, double timestep, Conditioning c, float[] out) {
        int batch = c.batch();
        if (sdxl != (c.textEmbeds() != null)) {
            throw new IllegalStateException(model.file() + (sdxl ? " is an SDXL UNet (text_embeds, time_ids): use the "
                    + "SDXL pipeline" : " takes no text_embeds / time_ids: it is not an SDXL UNet"));
        }
        try (OnnxTensor s = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(sample),
                     new long[] {batch, channels, h, w});
             OnnxTensor t = timestepTensor(timestep, batch);
             OnnxTensor e = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(c.hidden()),
                     new long[] {batch, c.seq(), c.dim()});
             OnnxTensor te = sdxl ? OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(c.textEmbeds()),
                     new long[] {batch, c.pooledDim()}) : null;
             OnnxTensor ti = sdxl ? OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(c.timeIds()),
                     new long[] {batch, c.timeIds().length / batch}) : null) {
            feeds.clear();
            feeds.put("sample", s);
            feeds.put("timestep", t);
            feeds.put("encoder_hidden_states", e);
            if (sdxl) {
                feeds.put("text_embeds", te);
                feeds.put("time_ids", ti);
            }
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
