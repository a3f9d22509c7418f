package dev.tempera.image.scheduler;

/**
 * Euler ancestral ("Euler a"), a port of diffusers' {@code EulerAncestralDiscreteScheduler}. Timesteps, sigmas,
 * initial noise and input scaling are Euler's without the options (no Karras, no log-linear; a
 * {@code use_karras_sigmas} in the config is ignored, as diffusers ignores it for this class).
 *
 * <p>Step, in float32: x0 as Euler's (epsilon or v; {@code sample} prediction is refused, as diffusers refuses it);
 * {@code sigma_up = sqrt(sigma_next^2 * (sigma^2 - sigma_next^2) / sigma^2)},
 * {@code sigma_down = sqrt(sigma_next^2 - sigma_up^2)},
 * {@code prev = sample + (sample - x0) / sigma * (sigma_down - sigma) + noise * sigma_up}. It draws noise at
 * <em>every</em> step, the last included (where sigma_up is 0), so the generator advances as in diffusers.
 */
final class EulerAncestralScheduler extends SigmaScheduler {

    private final float[] trainingSigmas;

    EulerAncestralScheduler(String name, SchedulerConfig config) {
        super(name, config);
        if (config.predictionType() == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("prediction_type must be epsilon or v_prediction for " + name
                    + " (diffusers does not implement 'sample' here), but is: 'sample'");
        }
        trainingSigmas = SigmaSchedule.trainingSigmas(
                TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.PINNED));
    }

    @Override
    void computeTimesteps(int n) {
        float[] grid = TimestepGrid.euler(config, n);
        timesteps = widen(grid);
        double[] sig = SigmaSchedule.interp(timesteps, trainingSigmas);
        sigmas = new float[sig.length + 1];
        for (int i = 0; i < sig.length; i++) {
            sigmas[i] = (float) sig[i];
        }
    }

    @Override
    public boolean usesNoise() {
        return true;
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        float sigma = sigmas[i];
        float next = sigmas[i + 1];
        float sigmaUp = (float) Math.sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        float sigmaDown = (float) Math.sqrt(next * next - sigmaUp * sigmaUp);
        float dt = sigmaDown - sigma;
        boolean epsilon = config.predictionType() == PredictionType.EPSILON;
        float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
        float vDiv = sigma * sigma + 1f;
        float[] n = drawNoise(noise);
        for (int k = 0; k < sample.length; k++) {
            float s = sample[k];
            float m = modelOutput[k];
            float x0 = epsilon ? s - sigma * m : m * vScale + s / vDiv;
            float derivative = (s - x0) / sigma;
            float prev = s + derivative * dt;
            out[k] = prev + n[k] * sigmaUp;
        }
    }
}
