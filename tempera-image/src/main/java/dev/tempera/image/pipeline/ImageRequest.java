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
 * @param eta {@code eta} ≥ 0, finite: DDIM's stochasticity (0 = deterministic DDIM). As diffusers'
 *     {@code prepare_extra_step_kwargs} does, the pipelines pass it only to a scheduler whose step takes it (DDIM);
 *     with any other scheduler it changes nothing, and the pipeline says so through its warning sink
 * @param latents diffusers' {@code latents=}: the starting latents {@code [seeds, 4, height / 8, width / 8]} used
 *     instead of noise drawn from the seeds (still multiplied by {@code init_noise_sigma}); the seeds then only drive
 *     the per-step noise of stochastic schedulers. Empty = draw from the seeds
 * @param clipSkip diffusers' {@code clip_skip} ≥ 0, 0 = off: the prompt is encoded from a layer {@code clipSkip}
 *     earlier (SD 1.x/2.x: {@code hidden_states[-(clipSkip + 1)]}, SDXL: {@code hidden_states[-(clipSkip + 2)]}).
 *     As in diffusers it applies to the prompt only, never the negative prompt. The upper bound depends on the model
 *     and is checked by {@code generate}
 */
public record ImageRequest(String prompt, String negativePrompt, int width, int height, int steps, double guidanceScale,
                           double guidanceRescale, List<Long> seeds, Optional<String> scheduler, double eta,
                           Optional<InitialLatents> latents, int clipSkip) {

    /** The VAE's downsampling factor of SD 1.x/2.x and SDXL. */
    public static final int VAE_FACTOR = 8;

    /** The latent channels of SD 1.x/2.x and SDXL. */
    public static final int LATENT_CHANNELS = 4;

    public ImageRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(latents, "latents");
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
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be finite and >= 0 (0 = deterministic DDIM), but is: " + eta);
        }
        if (clipSkip < 0) {
            throw new IllegalArgumentException("clip skip must be >= 0 (0 = off), but is: " + clipSkip);
        }
        if (latents.isPresent()) {
            InitialLatents l = latents.get();
            int h = height / VAE_FACTOR;
            int w = width / VAE_FACTOR;
            if (l.images() != seeds.size() || l.channels() != LATENT_CHANNELS || l.height() != h || l.width() != w) {
                throw new IllegalArgumentException("latents must have shape "
                        + InitialLatents.shape(seeds.size(), LATENT_CHANNELS, h, w) + " (one per seed, "
                        + LATENT_CHANNELS + " channels, height/8, width/8 for " + width + "x" + height
                        + "), but have shape " + l.shape() + "; set the size and seeds before the latents");
            }
        }
    }

    /** The request without initial latents or clip skip (diffusers' defaults for both). */
    public ImageRequest(String prompt, String negativePrompt, int width, int height, int steps, double guidanceScale,
                        double guidanceRescale, List<Long> seeds, Optional<String> scheduler, double eta) {
        this(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta,
                Optional.empty(), 0);
    }

    /** A request with diffusers' SD defaults: 512x512, 50 steps, guidance 7.5, no negative prompt, seed 0. */
    public static ImageRequest of(String prompt) {
        return new ImageRequest(prompt, "", 512, 512, 50, 7.5, 0, List.of(0L), Optional.empty(), 0);
    }

    /** Whether classifier-free guidance runs ({@code guidance_scale > 1}, diffusers' rule). */
    public boolean guided() {
        return guidanceScale > 1;
    }

    /** This request at {@code w x h}; fails when it carries latents of another size. */
    public ImageRequest withSize(int w, int h) {
        return new ImageRequest(prompt, negativePrompt, w, h, steps, guidanceScale, guidanceRescale, seeds, scheduler,
                eta, latents, clipSkip);
    }

    public ImageRequest withSteps(int n) {
        return new ImageRequest(prompt, negativePrompt, width, height, n, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, latents, clipSkip);
    }

    public ImageRequest withGuidance(double g) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, g, guidanceRescale, seeds, scheduler, eta,
                latents, clipSkip);
    }

    /** This request with other seeds; fails when it carries latents for another number of images. */
    public ImageRequest withSeeds(List<Long> s) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, s,
                scheduler, eta, latents, clipSkip);
    }

    public ImageRequest withNegativePrompt(String n) {
        return new ImageRequest(prompt, n, width, height, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta,
                latents, clipSkip);
    }

    public ImageRequest withScheduler(String name) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                Optional.of(name), eta, latents, clipSkip);
    }

    /** This request with DDIM's {@code eta} (ignored, with a warning, by schedulers that have none). */
    public ImageRequest withEta(double e) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, e, latents, clipSkip);
    }

    /** This request starting from {@code l} instead of drawn noise; set the size and seeds first. */
    public ImageRequest withLatents(InitialLatents l) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, Optional.of(l), clipSkip);
    }

    /** This request with diffusers' {@code clip_skip} (0 = off). */
    public ImageRequest withClipSkip(int n) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, latents, n);
    }
}
