package dev.tempera.image.pipeline;

import dev.tempera.image.guidance.Guidance;
import dev.tempera.image.noise.RandnTensor;
import dev.tempera.image.noise.TorchGenerator;
import dev.tempera.image.scheduler.NoiseSource;
import dev.tempera.image.scheduler.Scheduler;
import dev.tempera.image.scheduler.SchedulerConfig;
import dev.tempera.image.scheduler.Schedulers;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * The loop SD and SDXL share, in diffusers' order: latents from one generator per image, or from the one seed's
 * single generator for the whole batch when the request makes several images per prompt (or the request's own)
 * × {@code init_noise_sigma}; per timestep the model input ({@code [latents; latents]} when guided), scaled by the
 * scheduler, the UNet's noise prediction, classifier-free guidance (and rescale), the scheduler step with per-step
 * noise from the same generators. Buffers are made once per run and reused across steps.
 */
final class DenoisingLoop {

    static final int LATENT_CHANNELS = ImageRequest.LATENT_CHANNELS;

    private DenoisingLoop() {
    }

    /** The final latents {@code [n, 4, h, w]} of a run and where its time went. */
    record Result(float[] latents, LoopTimings timings) {
    }

    /**
     * The request's scheduler (by name when it names one, else the model's), with its timesteps set. The request's
     * eta goes to the scheduler only when its step takes one (DDIM), as diffusers' {@code prepare_extra_step_kwargs}
     * does; otherwise {@code warnings} hears that it is ignored.
     */
    static Scheduler scheduler(ImageRequest request, SchedulerConfig config, Consumer<String> warnings) {
        Scheduler s = create(request, config, 0);
        if (request.eta() != 0) {
            if (Schedulers.takesEta(s.name())) {
                s = create(request, config, request.eta());
            } else {
                warnings.accept("eta " + request.eta() + " is ignored: scheduler '" + s.name() + "' takes no eta "
                        + "(only ddim does; diffusers drops it the same way)");
            }
        }
        s.setTimesteps(request.steps());
        return s;
    }

    private static Scheduler create(ImageRequest request, SchedulerConfig config, double eta) {
        return request.scheduler().isPresent()
                ? Schedulers.create(request.scheduler().get(), config, eta)
                : Schedulers.fromConfig(config, eta);
    }

    /** The eta the scheduler of {@code request} really uses: the request's for DDIM, 0 for the others. */
    static double appliedEta(ImageRequest request, String schedulerName) {
        return Schedulers.takesEta(schedulerName) ? request.eta() : 0;
    }

    /**
     * Runs the loop for {@code request}'s {@link ImageRequest#images() images}: from its initial latents when it has them (the generators then draw
     * nothing before the loop, as in diffusers, so their first numbers go to the per-step noise), else from noise
     * drawn from the seeds.
     */
    static Result run(Scheduler scheduler, UNet unet, Conditioning conditioning, ImageRequest request, int h, int w,
                      StepListener listener) {
        int n = request.images();
        boolean guided = request.guided();
        // one generator per seed; with imagesPerPrompt > 1 the one seed's generator, which RandnTensor then draws
        // the whole [n, …] batch from, for the latents and for every step's noise (diffusers' single generator)
        List<TorchGenerator> generators = request.seeds().stream().map(TorchGenerator::new).toList();
        float[] latents = request.latents().isPresent()
                ? request.latents().get().values()
                : RandnTensor.randn(generators, n, LATENT_CHANNELS, h, w);
        float sigma = scheduler.initNoiseSigma();
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= sigma;
        }
        NoiseSource noise = out -> RandnTensor.fill(generators, out);
        int size = latents.length;
        float[] scaled = new float[size];
        float[] modelInput = new float[conditioning.batch() * LATENT_CHANNELS * h * w];
        float[] prediction = new float[modelInput.length];
        float[] guidedPrediction = guided ? new float[size] : prediction;
        float[] condPrediction = guided && request.guidanceRescale() > 0 ? new float[size] : null;
        int steps = scheduler.stepCount();
        long loop0 = System.nanoTime();
        long unet0 = unet.sessionNanos();
        try (UNet.Run run = unet.start(conditioning, LATENT_CHANNELS, h, w)) {
            for (int i = 0; i < steps; i++) {
                scheduler.scaleModelInput(latents, i, scaled);
                System.arraycopy(scaled, 0, modelInput, 0, size);
                if (guided) {
                    System.arraycopy(scaled, 0, modelInput, size, size);
                }
                double t = scheduler.timestep(i);
                run.predict(modelInput, t, prediction);
                if (guided) {
                    Guidance.classifierFreeFromBatch(prediction, request.guidanceScale(), guidedPrediction);
                    if (condPrediction != null) {
                        System.arraycopy(prediction, size, condPrediction, 0, size);
                        Guidance.rescale(guidedPrediction, condPrediction, n, request.guidanceRescale(), guidedPrediction);
                    }
                }
                scheduler.step(guidedPrediction, i, latents, noise, latents);
                if (!listener.onStep(i + 1, steps, t)) {
                    throw new CancellationException("stopped by the step listener after step " + (i + 1) + " of " + steps);
                }
            }
        }
        return new Result(latents, new LoopTimings(System.nanoTime() - loop0, unet.sessionNanos() - unet0, steps));
    }

    /** {@code [uncond × n; cond × n]} when guided, {@code [cond × n]} otherwise, of one row each. */
    static float[] batchRows(float[] uncond, float[] cond, int n, boolean guided) {
        int row = cond.length;
        float[] out = new float[(guided ? 2 : 1) * n * row];
        for (int i = 0; i < n; i++) {
            if (guided) {
                System.arraycopy(uncond, 0, out, i * row, row);
                System.arraycopy(cond, 0, out, (n + i) * row, row);
            } else {
                System.arraycopy(cond, 0, out, i * row, row);
            }
        }
        return out;
    }
}
