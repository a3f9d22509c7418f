package dev.tempera.image.scheduler;

/**
 * What the k-diffusion style schedulers (Euler, Euler ancestral, LMS) share: a sigma per step, initial noise scaled by
 * diffusers' {@code init_noise_sigma} rule for the spacing, and a model input divided by {@code sqrt(sigma² + 1)}.
 */
abstract class SigmaScheduler extends AbstractScheduler {

    /** The noise level of each step and one after the last (set by {@code computeTimesteps}). */
    float[] sigmas = new float[0];

    SigmaScheduler(String name, SchedulerConfig config) {
        super(name, config);
    }

    @Override
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float initNoiseSigma() {
        checkScheduled();
        return SigmaSchedule.initNoiseSigma(sigmas, config.timestepSpacing());
    }

    @Override
    public void scaleModelInput(float[] sample, int stepIndex, float[] out) {
        checkIndex(stepIndex);
        checkSameLength(sample, out);
        SigmaSchedule.scale(sample, sigmas[stepIndex], out);
    }
}
