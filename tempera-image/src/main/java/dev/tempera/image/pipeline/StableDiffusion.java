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
 *   <li>encode the prompt and the negative prompt ("" when none) with the CLIP tokenizer and {@code text_encoder};</li>
 *   <li>draw the initial latents {@code [n, 4, h/8, w/8]} from one PyTorch-compatible generator per image (a seed
 *       means what it means in diffusers on a CPU generator) and multiply by the scheduler's
 *       {@code init_noise_sigma};</li>
 *   <li>for each timestep: the model input is {@code [latents; latents]} when guidance is on (batch laid out
 *       {@code [uncond…, cond…]}), scaled by the scheduler; the UNet predicts the noise; classifier-free guidance
 *       {@code uncond + g·(cond − uncond)} and, when asked, guidance rescale; the scheduler steps (ancestral and DDIM-eta
 *       noise from the same generators, row by row);</li>
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

    /** Where prompt-truncation warnings go (diffusers logs them); by default nowhere. */
    public StableDiffusion onWarning(Consumer<String> sink) {
        this.warnings = java.util.Objects.requireNonNull(sink, "sink");
        return this;
    }

    /** The model's own scheduler configuration (scheduler/scheduler_config.json). */
    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /**
     * Generates one image per seed of {@code request}.
     *
     * @throws IllegalArgumentException for an unknown scheduler (the message lists the known ones) or a step count the
     *     scheduler refuses
     * @throws java.util.concurrent.CancellationException when the listener stops the run
     */
    public List<GeneratedImage> generate(ImageRequest request, StepListener listener) {
        Scheduler scheduler = DenoisingLoop.scheduler(request, schedulerConfig);
        int n = request.seeds().size();
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
