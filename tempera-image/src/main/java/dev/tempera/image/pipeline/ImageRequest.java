package dev.tempera.image.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to generate, with diffusers' {@code __call__} names: one image per seed (each with its own generator, as the
 * seed's {@code generate_images_with_variation} and diffusers' list of generators do), or, with
 * {@link #withImagesPerPrompt}, a batch of images from one seed's single generator.
 *
 * <p><b>A seed list is not a batch from one seed.</b> Seeds {@code [0, 1]} give two images that each depend on their
 * own seed only: image 1 is the image seed 1 gives alone. One seed 0 with {@code imagesPerPrompt = 2} is diffusers'
 * {@code num_images_per_prompt=2, generator=torch.Generator().manual_seed(0)}: the initial noise is ONE draw of shape
 * {@code [2, 4, h/8, w/8]} and every per-step noise (Euler a, DDIM with eta, DPM++ SDE, LCM) one draw of
 * {@code [2, …]}, all from the same generator. Image 0 is then not the image seed 0 gives alone (with a stochastic
 * scheduler), and image {@code k > 0} cannot be made again without the whole batch of that size; the images'
 * parameters say so ({@code Seed: 0, …, Batch size: 2, Batch pos: 1}).
 *
 * <pre>{@code
 * sd.generate(ImageRequest.of("a red circle").withSeeds(List.of(0L)).withImagesPerPrompt(4), StepListener.NONE);
 * }</pre>
 *
 * @param prompt the prompt
 * @param negativePrompt the negative prompt; SD 1.x/2.x encode "" when there is none, as diffusers does
 * @param width image width in pixels, a multiple of the VAE factor (8)
 * @param height image height in pixels, a multiple of the VAE factor
 * @param steps {@code num_inference_steps}, ≥ 1
 * @param guidanceScale {@code guidance_scale} ≥ 0; classifier-free guidance runs only when it is above 1
 * @param guidanceRescale {@code guidance_rescale} in [0, 1]; 0 = off
 * @param seeds one seed per image, at least one; exactly one when {@code imagesPerPrompt > 1}
 * @param scheduler a scheduler name overriding the model's ({@code euler}, {@code euler_a}, …), or empty
 * @param eta {@code eta} ≥ 0, finite: DDIM's stochasticity (0 = deterministic DDIM). As diffusers'
 *     {@code prepare_extra_step_kwargs} does, the pipelines pass it only to a scheduler whose step takes it (DDIM);
 *     with any other scheduler it changes nothing, and the pipeline says so through its warning sink
 * @param latents diffusers' {@code latents=}: the starting latents {@code [images(), 4, height / 8, width / 8]} used
 *     instead of noise drawn from the seeds (still multiplied by {@code init_noise_sigma}); the seeds then only drive
 *     the per-step noise of stochastic schedulers. Empty = draw from the seeds
 * @param clipSkip diffusers' {@code clip_skip} ≥ 0, 0 = off: the prompt is encoded from a layer {@code clipSkip}
 *     earlier (SD 1.x/2.x: {@code hidden_states[-(clipSkip + 1)]}, SDXL: {@code hidden_states[-(clipSkip + 2)]}).
 *     As in diffusers it applies to the prompt only, never the negative prompt. The upper bound depends on the model
 *     and is checked by {@code generate}
 * @param imagesPerPrompt diffusers' {@code num_images_per_prompt} ≥ 1: 1 = one image per seed; above 1 the request
 *     must hold exactly one seed, whose single generator draws the noise of all {@code imagesPerPrompt} images (see
 *     above)
 */
public record ImageRequest(String prompt, String negativePrompt, int width, int height, int steps, double guidanceScale,
                           double guidanceRescale, List<Long> seeds, Optional<String> scheduler, double eta,
                           Optional<InitialLatents> latents, int clipSkip, int imagesPerPrompt) {

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
        if (imagesPerPrompt < 1) {
            throw new IllegalArgumentException("images per prompt must be >= 1 (1 = one image per seed), but is: "
                    + imagesPerPrompt);
        }
        if (imagesPerPrompt > 1 && seeds.size() != 1) {
            throw new IllegalArgumentException("images per prompt " + imagesPerPrompt + " needs exactly one seed (its "
                    + "single generator draws the whole batch), but seeds are " + seeds + "; for one generator per "
                    + "image, give the seed list with images per prompt 1");
        }
        int images = seeds.size() * imagesPerPrompt;
        if (latents.isPresent()) {
            InitialLatents l = latents.get();
            int h = height / VAE_FACTOR;
            int w = width / VAE_FACTOR;
            if (l.images() != images || l.channels() != LATENT_CHANNELS || l.height() != h || l.width() != w) {
                throw new IllegalArgumentException("latents must have shape "
                        + InitialLatents.shape(images, LATENT_CHANNELS, h, w) + " ("
                        + (imagesPerPrompt == 1 ? "one per seed" : imagesPerPrompt + " images per prompt") + ", "
                        + LATENT_CHANNELS + " channels, height/8, width/8 for " + width + "x" + height
                        + "), but have shape " + l.shape() + "; set the size and "
                        + (imagesPerPrompt == 1 ? "seeds" : "images per prompt") + " before the latents");
            }
        }
    }

    /** The request with one image per seed ({@code imagesPerPrompt = 1}). */
    public ImageRequest(String prompt, String negativePrompt, int width, int height, int steps, double guidanceScale,
                        double guidanceRescale, List<Long> seeds, Optional<String> scheduler, double eta,
                        Optional<InitialLatents> latents, int clipSkip) {
        this(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta,
                latents, clipSkip, 1);
    }

    /** The request without initial latents or clip skip (diffusers' defaults for both), one image per seed. */
    public ImageRequest(String prompt, String negativePrompt, int width, int height, int steps, double guidanceScale,
                        double guidanceRescale, List<Long> seeds, Optional<String> scheduler, double eta) {
        this(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta,
                Optional.empty(), 0);
    }

    /** A request with diffusers' SD defaults: 512x512, 50 steps, guidance 7.5, no negative prompt, seed 0. */
    public static ImageRequest of(String prompt) {
        return new ImageRequest(prompt, "", 512, 512, 50, 7.5, 0, List.of(0L), Optional.empty(), 0);
    }

    /** The number of images the request makes: one per seed, or {@code imagesPerPrompt} from its one seed. */
    public int images() {
        return seeds.size() * imagesPerPrompt;
    }

    /** Whether the images come from one seed's single generator ({@code imagesPerPrompt > 1}). */
    public boolean sharedGenerator() {
        return imagesPerPrompt > 1;
    }

    /** Whether classifier-free guidance runs ({@code guidance_scale > 1}, diffusers' rule). */
    public boolean guided() {
        return guidanceScale > 1;
    }

    /** This request at {@code w x h}; fails when it carries latents of another size. */
    public ImageRequest withSize(int w, int h) {
        return new ImageRequest(prompt, negativePrompt, w, h, steps, guidanceScale, guidanceRescale, seeds, scheduler,
                eta, latents, clipSkip, imagesPerPrompt);
    }

    public ImageRequest withSteps(int n) {
        return new ImageRequest(prompt, negativePrompt, width, height, n, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, latents, clipSkip, imagesPerPrompt);
    }

    public ImageRequest withGuidance(double g) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, g, guidanceRescale, seeds, scheduler, eta,
                latents, clipSkip, imagesPerPrompt);
    }

    /**
     * This request with other seeds; fails when it carries latents for another number of images, or when it makes
     * more than one image per prompt and {@code s} holds more than one seed.
     */
    public ImageRequest withSeeds(List<Long> s) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, s,
                scheduler, eta, latents, clipSkip, imagesPerPrompt);
    }

    public ImageRequest withNegativePrompt(String n) {
        return new ImageRequest(prompt, n, width, height, steps, guidanceScale, guidanceRescale, seeds, scheduler, eta,
                latents, clipSkip, imagesPerPrompt);
    }

    public ImageRequest withScheduler(String name) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                Optional.of(name), eta, latents, clipSkip, imagesPerPrompt);
    }

    /** This request with DDIM's {@code eta} (ignored, with a warning, by schedulers that have none). */
    public ImageRequest withEta(double e) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, e, latents, clipSkip, imagesPerPrompt);
    }

    /** This request starting from {@code l} instead of drawn noise; set the size and seeds first. */
    public ImageRequest withLatents(InitialLatents l) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, Optional.of(l), clipSkip, imagesPerPrompt);
    }

    /** This request with diffusers' {@code clip_skip} (0 = off). */
    public ImageRequest withClipSkip(int n) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, latents, n, imagesPerPrompt);
    }

    /**
     * This request making {@code n} images from its one seed's single generator, diffusers' {@code
     * num_images_per_prompt=n} with one {@code generator}. Not the same as {@code n} seeds: see the class comment
     * (image 0 differs from the seed alone with a stochastic scheduler, image {@code k} is not reproducible alone).
     *
     * @throws IllegalArgumentException when {@code n < 1}, or {@code n > 1} and the request holds more than one seed,
     *     or it carries latents for another number of images
     */
    public ImageRequest withImagesPerPrompt(int n) {
        return new ImageRequest(prompt, negativePrompt, width, height, steps, guidanceScale, guidanceRescale, seeds,
                scheduler, eta, latents, clipSkip, n);
    }
}
