package dev.tempera.image.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to generate, with diffusers' {@code __call__} names: one image per seed (each with its own generator, as the
 * seed's {@code generate_images_with_variation} and diffusers' list of generators do).
 *
 * @param prompt the prompt
 * @param negativePrompt the negative prompt; SD 1.x/2.x encode "" when there is none, as diffusers does
 * @param width image width in pixels, a multiple of the VAE factor (8)
 * @param height image height in pixels, a multiple of the VAE factor
 * @param steps {@code num_inference_steps}, ≥ 1
 * @param guidanceScale {@code guidance_scale} ≥ 0; classifier-free guidance runs only when it is above 1
 * @param guidanceRescale {@code guidance_rescale} in [0, 1]; 0 = off
 * @param seeds one seed per image, at least one
 * @param scheduler a scheduler name overriding the model's ({@code euler}, {@code euler_a}, …), or empty
 * @param eta DDIM's eta ≥ 0 (0 for the others)
 */
public record ImageRequest(String prompt, String negativePrompt, int width, int height, int steps, double guidanceScale,
                           double guidanceRescale, List<Long> seeds, Optional<String> scheduler, double eta) {

    /** The VAE's downsampling factor of SD 1.x/2.x and SDXL. */
    public static final int VAE_FACTOR = 8;

    public ImageRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        Objects.requireNonNull(scheduler, "scheduler");
        seeds = List.copyOf(seeds);
        if (width < VAE_FACTOR || width % VAE_FACTOR != 0 || height < VAE_FACTOR || height % VAE_FACTOR != 0) {
            throw new IllegalArgumentException("width and height must be positive multiples of " + VAE_FACTOR
                    + " (the VAE factor), but are: " + width + "x" + height);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, but is: " + steps);
        }
        if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
            throw new IllegalArgumentException("guidance scale must be >= 0 (1 or less turns guidance off), but is: "
                    + guidanceScale);
        }
        if (!(guidanceRescale >= 0 && guidanceRescale <= 1)) {
            throw new IllegalArgumentException("guidance rescale must be in [0, 1], but is: " + guidanceRescale);
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds must hold at least one seed (one image per seed), but is empty");
        }
        if (!(eta >= 0)) {
            throw new IllegalArgumentException("eta must be >= 0, but is: " + eta);
        }
    }

    /** A request with diffusers' SD defaults: 512x512, 50 steps, guidance 7.5, no negative prompt, seed 0. */
    public static ImageRequest of(String prompt) {
        return new ImageRequest(prompt, "", 512, 512, 50, 7.5, 0, List.of(0L), Optional.empty(), 0);
    }

    /** Whether classifier-free guidance runs ({@code guidance_scale > 1}, diffusers' rule). */
    public boolean guided() {
        return guidanceScale > 1;
    }

    public ImageRequest withSize(int w, int h) {
        return new ImageRequest(prompt, negativePrompt, w, h, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta);
    }

    public ImageRequest withSteps(int n) {
        return new ImageRequest(prompt, negativePrompt, width, height, n, guidanceScale, guidanceRescale, seeds, scheduler,
                eta);
    }

    public ImageRequest withGuidance(double g) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, g, guidanceRescale, seeds, scheduler, eta);
    }

    public ImageRequest withSeeds(List<Long> s) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, s, scheduler,
                eta);
    }

    public ImageRequest withNegativePrompt(String n) {
        return new ImageRequest(prompt, n, width, height, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta);
    }

    public ImageRequest withScheduler(String name) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                Optional.of(name), eta);
    }
}
