package dev.tempera.image.pipeline;

/**
 * Called after every denoising step (diffusers' {@code callback_on_step_end}): for progress bars and cancellation.
 * Return {@code false} to stop; the run then ends with a {@link java.util.concurrent.CancellationException} and no
 * image is decoded.
 */
@FunctionalInterface
public interface StepListener {

    /**
     * @param step the step just done, 1-based
     * @param steps the number of model calls of the schedule
     * @param timestep the step's timestep
     * @return whether to go on
     */
    boolean onStep(int step, int steps, double timestep);

    /** A listener that never stops the run. */
    StepListener NONE = (step, steps, timestep) -> true;
}
