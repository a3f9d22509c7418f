package dev.tempera.image.pipeline;

import dev.tempera.image.scheduler.Scheduler;
import dev.tempera.image.scheduler.SchedulerConfig;
import dev.tempera.runtime.onnx.OnnxModel;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.runtime.tokenizer.ClipTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Stable Diffusion 1.x / 2.x in Optimum's ONNX layout, with Tempera owning the loop — diffusers'
 * {@code StableDiffusionPipeline.__call__}, step by step:
 * <ol>
 *   <li>encode the prompt and the negative prompt ("" when none) with the CLIP tokenizer and {@code text_encoder}'s
 *       {@code last_hidden_state};</li>
 *   <li>draw the initial latents {@code [n, 4, h/8, w/8]} from one PyTorch-compatible generator per image (a seed
 *       means what it means in diffusers on a CPU generator) or, with {@code imagesPerPrompt > 1}, in one draw from
 *       the one seed's generator (diffusers' {@code num_images_per_prompt} with a single generator; the prompt
 *       embeddings are repeated per image), or take the request's own, and multiply by the scheduler's
 *       {@code init_noise_sigma};</li>
 *   <li>for each timestep: the model input is {@code [latents; latents]} when guidance is on (batch laid out
 *       {@code [uncond…, cond…]}), scaled by the scheduler; the UNet predicts the noise; classifier-free guidance
 *       {@code uncond + g·(cond − uncond)} and, when asked, guidance rescale; the scheduler steps (ancestral and DDIM-eta
 *       noise from the same generators, row by row; the request's eta reaches DDIM only, as in diffusers);</li>
 *   <li>decode {@code latents / scaling_factor} with {@code vae_decoder} and post-process as diffusers does.</li>
 * </ol>
 *
 * <pre>{@code
 * try (StableDiffusion sd = StableDiffusion.open(Path.of("models/shapes-sd"), SessionSettings.defaults())) {
 *     List<GeneratedImage> images = sd.generate(ImageRequest.of("a red circle").withSize(64, 64).withSteps(30)
 *             .withSeeds(List.of(0L, 1L, 2L, 3L)), StepListener.NONE);
 * }
 * }</pre>
 *
 * <p><b>clip_skip.</b> diffusers' SD {@code clip_skip = N} takes {@code hidden_states[-(N + 1)]} of the text encoder
 * and applies the text model's {@code final_layer_norm} to it. An Optimum {@code text_encoder/model.onnx} exports
 * neither the hidden states nor that layer norm on its own, so only {@code clipSkip = 0} runs (it is exactly
 * {@code last_hidden_state}); see {@link #checkClipSkip}.
 *
 * <p>Not thread-safe; the facade owns its three sessions. The latent buffers of a run are allocated once and reused
 * across steps.
 */
public final class StableDiffusion implements AutoCloseable {

    private final Path dir;
    private final TextEncoder textEncoder;
    private final UNet unet;
    private final VaeDecoder vae;
    private final SchedulerConfig schedulerConfig;
    private Consumer<String> warnings = w -> { };
    private LoopTimings lastTimings = new LoopTimings(0, 0, 0);

    private StableDiffusion(Path dir, TextEncoder textEncoder, UNet unet, VaeDecoder vae, SchedulerConfig config) {
        this.dir = dir;
        this.textEncoder = textEncoder;
        this.unet = unet;
        this.vae = vae;
        this.schedulerConfig = config;
    }

    /**
     * Opens an Optimum SD 1.x/2.x folder: model_index.json, scheduler/, tokenizer/, text_encoder/, unet/,
     * vae_decoder/.
     *
     * @throws IllegalArgumentException when the folder or a part is missing (the message names folder and file), or
     *     model_index.json names another pipeline (SDXL is a separate class)
     * @throws IllegalStateException when a graph's contract does not match
     */
    public static StableDiffusion open(Path dir, SessionSettings settings) {
        DiffusionFolder.index(dir, List.of("StableDiffusionPipeline", "OnnxStableDiffusionPipeline",
                "ORTStableDiffusionPipeline"), "Stable Diffusion 1.x / 2.x (SDXL: StableDiffusionXL)");
        DiffusionFolder.requireParts(dir, "Stable Diffusion", List.of("tokenizer", "scheduler/scheduler_config.json",
                "text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx"));
        SchedulerConfig config = SchedulerConfig.read(dir.resolve("scheduler/scheduler_config.json"));
        float scaling = DiffusionFolder.vaeScaling(dir, 0.18215);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            ClipTokenizer tokenizer = ClipTokenizer.load(dir.resolve("tokenizer"));
            OnnxModel te = OnnxModel.open(dir.resolve("text_encoder/model.onnx"), settings);
            opened.add(te);
            OnnxModel un = OnnxModel.open(dir.resolve("unet/model.onnx"), settings);
            opened.add(un);
            OnnxModel vd = OnnxModel.open(dir.resolve("vae_decoder/model.onnx"), settings);
            opened.add(vd);
            return new StableDiffusion(dir, new TextEncoder(tokenizer, te), new UNet(un), new VaeDecoder(vd, scaling),
                    config);
        } catch (RuntimeException e) {
            DiffusionFolder.closeQuietly(opened);
            throw e;
        }
    }

    /**
     * Where warnings go (diffusers logs them): a truncated prompt, an eta that the scheduler does not take; by
     * default nowhere.
     */
    public StableDiffusion onWarning(Consumer<String> sink) {
        this.warnings = java.util.Objects.requireNonNull(sink, "sink");
        return this;
    }

    /** The model's own scheduler configuration (scheduler/scheduler_config.json). */
    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /**
     * Checks that this model can run {@code clipSkip}: 0 always. Any other value fails, because diffusers applies the
     * text model's {@code final_layer_norm} to {@code hidden_states[-(clipSkip + 1)]}, and that layer norm is inside
     * the text encoder graph, not a graph of its own; with no {@code hidden_states.N} outputs (Optimum's SD export
     * has none) the hidden state is missing as well. Approximating it would break the promise of diffusers'
     * numbers, so Tempera refuses. An exact way: export a {@code text_encoder} with {@code num_hidden_layers}
     * reduced by {@code clipSkip}, whose {@code last_hidden_state} is exactly that layer after the final layer norm.
     *
     * @throws IllegalArgumentException naming the folder, the outputs the graph has and what is missing
     */
    public void checkClipSkip(int clipSkip) {
        if (clipSkip == 0) {
            return;
        }
        String found = "its outputs are " + textEncoder.outputNames();
        String missing = textEncoder.layers() < 0
                ? "it exports no hidden_states.N outputs and no final_layer_norm of its own"
                : "it exports hidden_states.N but not the text model's final_layer_norm, which diffusers applies to "
                        + "hidden_states[-(clip_skip + 1)]";
        throw new IllegalArgumentException("clip skip must be 0 for the Stable Diffusion folder " + dir + ", but is: "
                + clipSkip + ". clip_skip needs hidden_states[-(clip_skip + 1)] of text_encoder/model.onnx and the "
                + "final_layer_norm applied to it; " + missing + " (" + found + "). For an exact clip skip N, export "
                + "a text encoder with num_hidden_layers reduced by N");
    }

    /**
     * Checks what {@link #generate} would refuse about {@code request} before it runs a graph: the clip skip, the
     * scheduler name and the step count that scheduler takes (PNDM needs at least 4, every scheduler at most
     * {@code num_train_timesteps}). Runs no model and reports no warnings; for validating many requests (a batch)
     * before the first image is made.
     *
     * @throws IllegalArgumentException with the message {@code generate} would fail with
     */
    public void check(ImageRequest request) {
        scheduler(request, w -> { });
    }

    /** The clip skip checked and the request's scheduler made, as {@link #check} and {@link #generate} need. */
    private Scheduler scheduler(ImageRequest request, Consumer<String> warn) {
        checkClipSkip(request.clipSkip());
        return DenoisingLoop.scheduler(request, schedulerConfig, warn);
    }

    /**
     * Generates one image per seed of {@code request}, or {@code imagesPerPrompt} images from its one seed.
     *
     * @throws IllegalArgumentException for an unknown scheduler (the message lists the known ones), a step count the
     *     scheduler refuses, or a clip skip other than 0 ({@link #checkClipSkip})
     * @throws java.util.concurrent.CancellationException when the listener stops the run
     */
    public List<GeneratedImage> generate(ImageRequest request, StepListener listener) {
        Scheduler scheduler = scheduler(request, warnings);
        int n = request.images();
        int h = request.height() / ImageRequest.VAE_FACTOR;
        int w = request.width() / ImageRequest.VAE_FACTOR;
        boolean guided = request.guided();
        int[] dims = new int[2];
        float[] cond = textEncoder.encode(textEncoder.ids(request.prompt(), warnings), dims);
        float[] uncond = guided ? textEncoder.encode(textEncoder.ids(request.negativePrompt(), warnings), dims) : null;
        Conditioning c = Conditioning.text(DenoisingLoop.batchRows(uncond, cond, n, guided), guided ? 2 * n : n,
                dims[0], dims[1]);
        DenoisingLoop.Result run = DenoisingLoop.run(scheduler, unet, c, request, h, w, listener);
        lastTimings = run.timings();
        float[] latents = run.latents();

        return vae.decodeAll(latents, request, scheduler.name(), dir.getFileName().toString(), h, w, Map.of());
    }

    /** Where the time of the last {@code generate}'s denoising loop went. */
    public LoopTimings lastTimings() {
        return lastTimings;
    }

    @Override
    public void close() {
        textEncoder.close();
        unet.close();
        vae.close();
    }
}
