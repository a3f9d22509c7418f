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
    private final boolean sdxl;
    private long sessionNanos;

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

    /** Wall time inside ONNX Runtime's run of this graph so far. */
    long sessionNanos() {
        return sessionNanos;
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
     * Prepares the model calls of one denoising run: the conditioning tensors ({@code encoder_hidden_states}, and
     * SDXL's {@code text_embeds} and {@code time_ids}) are made once, the sample and timestep tensors once over direct
     * buffers that each step overwrites, and the output is written by ONNX Runtime into a pinned buffer — so a step
     * copies only the latents in and the prediction out. The caller closes the run.
     */
    Run start(Conditioning c, int channels, int h, int w) {
        if (sdxl != (c.textEmbeds() != null)) {
            throw new IllegalStateException(model.file() + (sdxl ? " is an SDXL UNet (text_embeds, time_ids): use the "
                    + "SDXL pipeline" : " takes no text_embeds / time_ids: it is not an SDXL UNet"));
        }
        return new Run(c, channels, h, w);
    }

    /** The model calls of one denoising run (see {@link #start}). Not thread-safe. */
    final class Run implements AutoCloseable {

        private final int batch;
        private final FloatBuffer sampleBuffer;
        private final FloatBuffer outBuffer;
        private final java.nio.Buffer timestepBuffer;
        private final java.util.List<OnnxTensor> tensors = new java.util.ArrayList<>();
        private final Map<String, OnnxTensor> runFeeds = new HashMap<>();
        private final Map<String, ai.onnxruntime.OnnxValue> pinned = new HashMap<>();

        private Run(Conditioning c, int channels, int h, int w) {
            this.batch = c.batch();
            int size = batch * channels * h * w;
            var env = OnnxModel.environment();
            try {
                long[] shape = {batch, channels, h, w};
                sampleBuffer = direct(size);
                outBuffer = direct(size);
                runFeeds.put("sample", keep(OnnxTensor.createTensor(env, sampleBuffer, shape)));
                pinned.put("out_sample", keep(OnnxTensor.createTensor(env, outBuffer, shape)));
                int n = timestepRank == 0 ? 1 : batch;
                long[] tShape = timestepRank == 0 ? new long[0] : new long[] {batch};
                if (timestepType == OnnxJavaType.INT64) {
                    LongBuffer b = java.nio.ByteBuffer.allocateDirect(n * Long.BYTES)
                            .order(java.nio.ByteOrder.nativeOrder()).asLongBuffer();
                    timestepBuffer = b;
                    runFeeds.put("timestep", keep(OnnxTensor.createTensor(env, b, tShape)));
                } else {
                    FloatBuffer b = direct(n);
                    timestepBuffer = b;
                    runFeeds.put("timestep", keep(OnnxTensor.createTensor(env, b, tShape)));
                }
                runFeeds.put("encoder_hidden_states", keep(OnnxTensor.createTensor(env, FloatBuffer.wrap(c.hidden()),
                        new long[] {batch, c.seq(), c.dim()})));
                if (sdxl) {
                    runFeeds.put("text_embeds", keep(OnnxTensor.createTensor(env, FloatBuffer.wrap(c.textEmbeds()),
                            new long[] {batch, c.pooledDim()})));
                    runFeeds.put("time_ids", keep(OnnxTensor.createTensor(env, FloatBuffer.wrap(c.timeIds()),
                            new long[] {batch, c.timeIds().length / batch})));
                }
            } catch (OrtException ex) {
                close();
                throw new IllegalStateException("cannot create the UNet inputs for " + model.file() + ": "
                        + ex.getMessage(), ex);
            }
        }

        private OnnxTensor keep(OnnxTensor t) {
            tensors.add(t);
            return t;
        }

        /**
         * One model call on {@code sample} ({@code [batch, channels, h, w]}) at {@code timestep}; the prediction goes
         * to {@code out}.
         */
        void predict(float[] sample, double timestep, float[] out) {
            sampleBuffer.put(0, sample);
            if (timestepBuffer instanceof LongBuffer l) {
                for (int i = 0; i < l.capacity(); i++) {
                    l.put(i, (long) timestep);
                }
            } else {
                FloatBuffer f = (FloatBuffer) timestepBuffer;
                for (int i = 0; i < f.capacity(); i++) {
                    f.put(i, (float) timestep);
                }
            }
            long t0 = System.nanoTime();
            try (OrtSession.Result r = model.session().run(runFeeds, pinned)) {
                sessionNanos += System.nanoTime() - t0;
                outBuffer.get(0, out);
            } catch (OrtException ex) {
                throw new IllegalStateException("running " + model.file() + " failed: " + ex.getMessage(), ex);
            }
        }

        @Override
        public void close() {
            for (OnnxTensor t : tensors) {
                t.close();
            }
        }
    }

    private static FloatBuffer direct(int n) {
        return java.nio.ByteBuffer.allocateDirect(n * Float.BYTES).order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
    }


    @Override
    public void close() {
        model.close();
    }
}
