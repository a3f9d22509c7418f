package dev.tempera.image.scheduler;

/**
 * Where stochastic schedulers get their fresh Gaussian noise: Euler ancestral at every step (the last one included),
 * DDIM at every step when {@code eta > 0}, DPM++ SDE at every step, LCM at every step but the last.
 *
 * <p>A scheduler calls {@link #fill} exactly where diffusers calls {@code randn_tensor(model_output.shape, generator)},
 * once per such step and with a buffer as long as the model output, so a PyTorch-compatible generator plugged in here
 * reproduces diffusers' images. With one generator per batch item, the implementation fills each item's slice from its
 * own generator, in batch order.
 */
@FunctionalInterface
public interface NoiseSource {

    /** Overwrites every element of {@code out} with an independent standard normal sample. */
    void fill(float[] out);
}
