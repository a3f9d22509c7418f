package dev.tempera.image.scheduler;

/**
 * Euler ("Euler" in A1111; SDXL's default), a port of diffusers' {@code EulerDiscreteScheduler} without churn
 * ({@code s_churn = 0}, as the pipelines call it), so it never draws noise.
 *
 * <p>Timesteps: {@link TimestepGrid#euler}; fractional float32 values under {@code linspace}. Sigmas: the training
 * sigmas interpolated at those timesteps ({@code interpolation_type = linear}) or n + 1 log-spaced values
 * ({@code log_linear}); with {@code use_karras_sigmas} the Karras schedule between the last and first of those (or
 * {@code sigma_min}/{@code sigma_max}), and the timesteps then follow the sigmas. A final 0 (or sigma(t=0) for
 * {@code final_sigmas_type = sigma_min}) is appended. The initial noise is {@code max(sigma)}, or
 * {@code sqrt(max(sigma)^2 + 1)} under {@code leading} spacing.
 *
 * <p>Step, all in float32: {@code x0 = sample - sigma * eps} (epsilon), {@code eps * (-sigma / sqrt(sigma^2 + 1)) +
 * sample / (sigma^2 + 1)} (v) or the output itself (sample); {@code d = (sample - x0) / sigma};
 * {@code prev = sample + d * (sigma_next - sigma)}.
 */
final class EulerDiscreteScheduler extends SigmaScheduler {

    private final float[] trainingSigmas;
    private final float[] logSigmas;

    EulerDiscreteScheduler(String name, SchedulerConfig config) {
        super(name, config);
        rejectUnported(config, name);
        trainingSigmas = SigmaSchedule.trainingSigmas(
                TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.PINNED));
        logSigmas = SigmaSchedule.logSigmas(trainingSigmas);
    }

    @Override
    void computeTimesteps(int n) {
        float[] grid = TimestepGrid.euler(config, n);
        double[] ts = widen(grid);
        double[] sig = config.interpolationType() == InterpolationType.LINEAR
                ? SigmaSchedule.interp(ts, trainingSigmas)
                : SigmaSchedule.logLinear(trainingSigmas, n);
        if (config.useKarrasSigmas()) {
            double min = config.sigmaMin().orElse(sig[sig.length - 1]);
            double max = config.sigmaMax().orElse(sig[0]);
            sig = SigmaSchedule.karras(min, max, n);
            ts = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = SigmaSchedule.sigmaToT(sig[i], logSigmas);
            }
        }
        float last = config.finalSigmasType() == FinalSigmasType.SIGMA_MIN ? trainingSigmas[0] : 0f;
        sigmas = new float[sig.length + 1];
        for (int i = 0; i < sig.length; i++) {
            sigmas[i] = (float) sig[i];
        }
        sigmas[sig.length] = last;
        if (config.timestepType() == TimestepType.CONTINUOUS
                && config.predictionType() == PredictionType.V_PREDICTION) {
            timesteps = new double[sigmas.length - 1];
            for (int i = 0; i < timesteps.length; i++) {
                timesteps[i] = 0.25f * (float) Math.log(sigmas[i]);
            }
        } else {
            timesteps = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                timesteps[i] = (float) ts[i];
            }
        }
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        float sigma = sigmas[i];
        float dt = sigmas[i + 1] - sigma;
        PredictionType prediction = config.predictionType();
        float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
        float vDiv = sigma * sigma + 1f;
        for (int k = 0; k < sample.length; k++) {
            float s = sample[k];
            float m = modelOutput[k];
            float x0 = switch (prediction) {
                case EPSILON -> s - sigma * m;
                case V_PREDICTION -> m * vScale + s / vDiv;
                case SAMPLE -> m;
            };
            float derivative = (s - x0) / sigma;
            out[k] = s + derivative * dt;
        }
    }
}
