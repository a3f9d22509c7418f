package dev.tempera.image.pipeline;

/**
 * Where the time of the last denoising loop went.
 *
 * @param loopNanos the whole loop (UNet calls, scheduler, guidance, copies)
 * @param unetNanos inside ONNX Runtime's run of the UNet
 * @param steps the number of UNet calls
 */
public record LoopTimings(long loopNanos, long unetNanos, int steps) {

    /** The share of the loop spent outside the UNet: scheduler, guidance, tensor creation, copies. */
    public double javaShare() {
        return loopNanos == 0 ? 0 : (double) (loopNanos - unetNanos) / loopNanos;
    }

    /** Seconds per step. */
    public double secondsPerStep() {
        return steps == 0 ? 0 : loopNanos / 1e9 / steps;
    }
}
