package dev.tempera.image.scheduler;

/**
 * DDIM, a port of diffusers' {@code DDIMScheduler}, with {@code eta} (0 = deterministic DDIM, 1 = DDPM-like).
 *
 * <p>Timesteps: {@link TimestepGrid#ddim}. The previous timestep is always {@code t - T // n}, whatever the spacing
 * (as in diffusers); past the start it uses alpha-bar = 1 ({@code set_alpha_to_one}) or alpha-bar(0).
 *
 * <p>Step, in float32 with a_t = alpha-bar(t), b_t = 1 - a_t: x0 and eps from the prediction
 * (epsilon: {@code x0 = (sample - sqrt(b_t) eps) / sqrt(a_t)}; sample; v: {@code x0 = sqrt(a_t) sample - sqrt(b_t) v},
 * {@code eps = sqrt(a_t) v + sqrt(b_t) sample}), x0 clamped to ±{@code clip_sample_range} when {@code clip_sample};
 * {@code std = eta * sqrt((b_prev / b_t) (1 - a_t / a_prev))};
 * {@code prev = sqrt(a_prev) x0 + sqrt(1 - a_prev - std^2) eps}, plus {@code std * noise} when eta &gt; 0 (the only
 * case where it draws noise).
 */
final class DdimScheduler extends AbstractScheduler {

    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;
    private final float eta;

    DdimScheduler(String name, SchedulerConfig config, double eta) {
        super(name, config);
        rejectThresholding(config, name);
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be finite and >= 0, but is: " + eta);
        }
        this.eta = (float) eta;
        alphasCumprod = TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.EXACT);
        finalAlphaCumprod = config.setAlphaToOne() ? 1f : alphasCumprod[0];
    }

    @Override
    void computeTimesteps(int n) {
        timesteps = widen(inTrainingRange(TimestepGrid.ddim(config, n), n));
    }

    @Override
    public boolean usesNoise() {
        return eta > 0;
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        int t = (int) timesteps[i];
        int prevT = t - trainSteps / numInferenceSteps;
        float aT = alphasCumprod[t];
        float aPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
        float bT = 1f - aT;
        float sqrtA = (float) Math.sqrt(aT);
        float sqrtB = (float) Math.sqrt(bT);
        float variance = ((1f - aPrev) / bT) * (1f - aT / aPrev);
        float std = eta * (float) Math.sqrt(variance);
        float direction = (float) Math.sqrt(1f - aPrev - std * std);
        float sqrtAPrev = (float) Math.sqrt(aPrev);
        boolean clip = config.clipSample();
        float range = (float) config.clipSampleRange();
        float[] n = eta > 0 ? drawNoise(noise) : null;
        PredictionType prediction = config.predictionType();
        for (int k = 0; k < sample.length; k++) {
            float s = sample[k];
            float m = modelOutput[k];
            float x0;
            float eps;
            switch (prediction) {
                case EPSILON -> {
                    x0 = (s - sqrtB * m) / sqrtA;
                    eps = m;
                }
                case SAMPLE -> {
                    x0 = m;
                    eps = (s - sqrtA * x0) / sqrtB;
                }
                case V_PREDICTION -> {
                    x0 = sqrtA * s - sqrtB * m;
                    eps = sqrtA * m + sqrtB * s;
                }
                default -> throw new AssertionError(prediction);
            }
            if (clip) {
                x0 = Math.min(Math.max(x0, -range), range);
            }
            float prev = sqrtAPrev * x0 + direction * eps;
            out[k] = n == null ? prev : prev + std * n[k];
        }
    }
}
