package dev.tempera.image.scheduler;

/**
 * Latent consistency (LCM), a port of diffusers' {@code LCMScheduler} for text-to-image (strength 1).
 *
 * <p>Timesteps ignore {@code timestep_spacing} and {@code steps_offset}, as diffusers does: with
 * {@code k = T // original_inference_steps}, the distillation schedule is {@code k - 1, 2k - 1, ..., T - 1}, and n
 * of them are picked, descending, at indices {@code floor(linspace(0, len, n, endpoint=False))} (999, 759, 499, 259
 * for n = 4). n may not exceed {@code original_inference_steps}.
 *
 * <p>Step, float32: x0 from the prediction (as DDIM's, clamped with {@code clip_sample}); with
 * {@code c = t * timestep_scaling}, {@code c_skip = 0.25 / (c^2 + 0.25)} and {@code c_out = c / sqrt(c^2 + 0.25)},
 * {@code denoised = c_out x0 + c_skip sample}; then, except at the last step, it draws noise and returns
 * {@code sqrt(a_prev) denoised + sqrt(1 - a_prev) noise} with a_prev the alpha-bar of the next timestep. The last step
 * returns {@code denoised} and draws nothing.
 */
final class LcmScheduler extends AbstractScheduler {

    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;

    LcmScheduler(String name, SchedulerConfig config) {
        super(name, config);
        rejectThresholding(config, name);
        alphasCumprod = TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.EXACT);
        finalAlphaCumprod = config.setAlphaToOne() ? 1f : alphasCumprod[0];
    }

    @Override
    void computeTimesteps(int n) {
        int original = config.originalInferenceSteps();
        if (original > trainSteps) {
            throw new IllegalArgumentException("original_inference_steps must be <= num_train_timesteps = "
                    + trainSteps + " for " + name() + ", but is: " + original);
        }
        if (n > original) {
            throw new IllegalArgumentException("numInferenceSteps must be <= original_inference_steps = " + original
                    + " for " + name() + " (its steps are a subset of the distillation schedule), but is: " + n);
        }
        int k = trainSteps / original;
        double[] indices = NumpyRanges.linspace(0, original, n, false);
        timesteps = new double[n];
        for (int i = 0; i < n; i++) {
            int idx = (int) Math.floor(indices[i]);
            timesteps[i] = (long) (original - idx) * k - 1; // origin schedule reversed: (original - idx) * k - 1
        }
    }

    @Override
    public boolean usesNoise() {
        return true;
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        int t = (int) timesteps[i];
        int prevT = i + 1 < timesteps.length ? (int) timesteps[i + 1] : t;
        float aT = alphasCumprod[t];
        float aPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
        float bT = 1f - aT;
        float bPrev = 1f - aPrev;
        float scaled = (float) t * (float) config.timestepScaling();
        float cSkip = 0.25f / (scaled * scaled + 0.25f);
        float cOut = scaled / (float) Math.sqrt(scaled * scaled + 0.25f);
        float sqrtA = (float) Math.sqrt(aT);
        float sqrtB = (float) Math.sqrt(bT);
        boolean clip = config.clipSample();
        float range = (float) config.clipSampleRange();
        boolean last = i == numInferenceSteps - 1;
        float[] n = last ? null : drawNoise(noise);
        float sqrtAPrev = (float) Math.sqrt(aPrev);
        float sqrtBPrev = (float) Math.sqrt(bPrev);
        PredictionType prediction = config.predictionType();
        for (int k = 0; k < sample.length; k++) {
            float s = sample[k];
            float m = modelOutput[k];
            float x0 = switch (prediction) {
                case EPSILON -> (s - sqrtB * m) / sqrtA;
                case SAMPLE -> m;
                case V_PREDICTION -> sqrtA * s - sqrtB * m;
            };
            if (clip) {
                x0 = Math.min(Math.max(x0, -range), range);
            }
            float denoised = cOut * x0 + cSkip * s;
            out[k] = last ? denoised : sqrtAPrev * denoised + sqrtBPrev * n[k];
        }
    }
}
