package dev.tempera.image.pipeline;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tempera.image.output.GenerationInfo;
import dev.tempera.runtime.onnx.OnnxModel;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Latents → images: {@code vae_decoder/model.onnx} ({@code latent_sample} → {@code sample}) on
 * {@code latents / scaling_factor}, then diffusers' post-processing: {@code (x / 2 + 0.5).clamp(0, 1)} in float32,
 * {@code × 255}, rounded half to even (numpy's {@code round}), as 8-bit RGB.
 *
 * <p>Owns its session; not thread-safe.
 */
final class VaeDecoder implements AutoCloseable {

    private final OnnxModel model;
    private final float scalingFactor;

    VaeDecoder(OnnxModel model, float scalingFactor) {
        this.model = model;
        this.scalingFactor = scalingFactor;
        model.requireInputs("latent_sample");
        model.requireOutputs("sample");
    }

    float scalingFactor() {
        return scalingFactor;
    }

    /** Decodes image {@code index} of a {@code [batch, 4, h, w]} latent batch. */
    BufferedImage decode(float[] latents, int index, int channels, int h, int w) {
        int size = channels * h * w;
        float[] one = new float[size];
        for (int i = 0; i < size; i++) {
            one[i] = latents[index * size + i] / scalingFactor;
        }
        try (OnnxTensor t = OnnxTensor.createTensor(OnnxModel.environment(), FloatBuffer.wrap(one),
                     new long[] {1, channels, h, w});
             OrtSession.Result r = model.run(Map.of("latent_sample", t))) {
            OnnxTensor out = (OnnxTensor) r.get("sample").orElseThrow();
            long[] s = out.getInfo().getShape();
            int height = Math.toIntExact(s[2]);
            int width = Math.toIntExact(s[3]);
            FloatBuffer px = out.getFloatBuffer();
            return toImage(px, width, height);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create the latent tensor for " + model.file() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Decodes every image of the final latents and attaches its parameters: besides the common ones (the seed is the
     * one seed of a batch from a single generator), "Batch size" and "Batch pos" (0-based) for such a batch,
     * "Scheduler",
     * and only when they are in effect "Guidance rescale", "Eta" (a non-zero eta that the scheduler takes),
     * "Clip skip" (diffusers' count, non-zero) and "Latents: given" (the run started from given latents), then
     * {@code more}.
     */
    java.util.List<GeneratedImage> decodeAll(float[] latents, ImageRequest request, String scheduler, String model,
                                             int h, int w, java.util.Map<String, String> more) {
        java.util.List<GeneratedImage> images = new java.util.ArrayList<>();
        for (int i = 0; i < request.images(); i++) {
            long seed = request.seeds().get(request.sharedGenerator() ? 0 : i);
            java.util.Map<String, String> extra = new java.util.LinkedHashMap<>();
            if (request.sharedGenerator()) {   // the web UIs' fields: the seed alone does not make this image again
                extra.put("Batch size", Integer.toString(request.imagesPerPrompt()));
                extra.put("Batch pos", Integer.toString(i));
            }
            extra.put("Scheduler", scheduler);
            if (request.guidanceRescale() > 0) {
                extra.put("Guidance rescale", GenerationInfo.number(request.guidanceRescale()));
            }
            double eta = DenoisingLoop.appliedEta(request, scheduler);
            if (eta != 0) {
                extra.put("Eta", GenerationInfo.number(eta));
            }
            if (request.clipSkip() != 0) {
                extra.put("Clip skip", Integer.toString(request.clipSkip()));
            }
            if (request.latents().isPresent()) {
                extra.put("Latents", "given");
            }
            extra.putAll(more);
            GenerationInfo info = new GenerationInfo(request.prompt(), request.negativePrompt(), request.steps(),
                    SamplerNames.of(scheduler), request.guidanceScale(), seed, request.width(),
                    request.height(), model, extra);
            images.add(new GeneratedImage(decode(latents, i, DenoisingLoop.LATENT_CHANNELS, h, w),
                    seed, info));
        }
        return images;
    }

    /** diffusers' {@code VaeImageProcessor.postprocess} + {@code numpy_to_pil} for one CHW image in [-1, 1]. */
    static BufferedImage toImage(FloatBuffer chw, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int[] rgb = new int[plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                rgb[i] = (rgb[i] << 8) | toByte(chw.get(c * plane + i));
            }
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    static int toByte(float x) {
        float v = x / 2f + 0.5f;
        v = Math.min(1f, Math.max(0f, v));
        return (int) Math.rint(v * 255f);
    }

    @Override
    public void close() {
        model.close();
    }
}
