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
 * Stable Diffusion XL in Optimum's ONNX layout, with Tempera owning the loop — diffusers'
 * {@code StableDiffusionXLPipeline.__call__}:
 * <ol>
 *   <li>encode the prompt with both encoders: the penultimate hidden state of each ({@code hidden_states[-2]}, or
 *       {@code hidden_states[-(clip_skip + 2)]} with a clip skip), concatenated along the features, and
 *       {@code text_embeds} of encoder 2 as the pooled vector (clip skip does not change it);
 *       {@code prompt_2} defaults to the prompt;</li>
 *   <li>the negative side: with no negative prompt and {@code force_zeros_for_empty_prompt} (model_index.json), zeros
 *       for both the negative states and the negative pooled vector — diffusers does not encode "" here; otherwise
 *       the negative prompt(s) encoded the same way, but always from {@code hidden_states[-2]}: diffusers applies
 *       clip skip to the prompt only;</li>
 *   <li>time ids {@code (original h, w, crop top, left, target h, w)}, by default {@code (H, W, 0, 0, H, W)}, laid out
 *       {@code [neg, pos]} repeated per image as diffusers' {@code repeat} does;</li>
 *   <li>the shared loop ({@link DenoisingLoop}: the request's latents or noise from its seeds, eta for DDIM only)
 *       with {@code text_embeds} and {@code time_ids} as extra UNet inputs, then the VAE decode with SDXL's scaling
 *       factor (0.13025 from vae_decoder/config.json).</li>
 * </ol>
 * Not thread-safe; owns its four sessions.
 */
public final class StableDiffusionXL implements AutoCloseable {

    private final Path dir;
    private final TextEncoder encoder1;
    private final TextEncoder encoder2;
    private final UNet unet;
    private final VaeDecoder vae;
    private final SchedulerConfig schedulerConfig;
    private final boolean forceZerosForEmptyPrompt;
    private Consumer<String> warnings = w -> { };
    private LoopTimings lastTimings = new LoopTimings(0, 0, 0);

    private StableDiffusionXL(Path dir, TextEncoder encoder1, TextEncoder encoder2, UNet unet, VaeDecoder vae,
                              SchedulerConfig config, boolean forceZeros) {
        this.dir = dir;
        this.encoder1 = encoder1;
        this.encoder2 = encoder2;
        this.unet = unet;
        this.vae = vae;
        this.schedulerConfig = config;
        this.forceZerosForEmptyPrompt = forceZeros;
    }

    /**
     * Opens an Optimum SDXL folder: model_index.json, scheduler/, tokenizer/, tokenizer_2/, text_encoder/,
     * text_encoder_2/, unet/, vae_decoder/.
     *
     * @throws IllegalArgumentException when a part is missing (named) or the folder is not SDXL
     * @throws IllegalStateException when a graph's contract does not match (e.g. encoders without hidden states)
     */
    public static StableDiffusionXL open(Path dir, SessionSettings settings) {
        var index = DiffusionFolder.index(dir, List.of("StableDiffusionXLPipeline", "ORTStableDiffusionXLPipeline"),
                "Stable Diffusion XL");
        DiffusionFolder.requireParts(dir, "Stable Diffusion XL", List.of("tokenizer", "tokenizer_2",
                "scheduler/scheduler_config.json", "text_encoder/model.onnx", "text_encoder_2/model.onnx",
                "unet/model.onnx", "vae_decoder/model.onnx"));
        SchedulerConfig config = SchedulerConfig.read(dir.resolve("scheduler/scheduler_config.json"));
        float scaling = DiffusionFolder.vaeScaling(dir, 0.13025);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            OnnxModel te1 = OnnxModel.open(dir.resolve("text_encoder/model.onnx"), settings);
            opened.add(te1);
            OnnxModel te2 = OnnxModel.open(dir.resolve("text_encoder_2/model.onnx"), settings);
            opened.add(te2);
            OnnxModel un = OnnxModel.open(dir.resolve("unet/model.onnx"), settings);
            opened.add(un);
            OnnxModel vd = OnnxModel.open(dir.resolve("vae_decoder/model.onnx"), settings);
            opened.add(vd);
            TextEncoder e1 = new TextEncoder(ClipTokenizer.load(dir.resolve("tokenizer")), te1);
            TextEncoder e2 = new TextEncoder(ClipTokenizer.load(dir.resolve("tokenizer_2")), te2);
            e1.penultimateHiddenState();
            e2.penultimateHiddenState();
            if (!e2.hasOutput("text_embeds")) {
                throw new IllegalStateException(te2.file() + ": expected output 'text_embeds' (the pooled projection "
                        + "of CLIPTextModelWithProjection), found " + te2.outputs().keySet());
            }
            UNet unet = new UNet(un);
            if (!unet.sdxl()) {
                throw new IllegalStateException(un.file() + ": expected inputs 'text_embeds' and 'time_ids' of an "
                        + "SDXL UNet, found " + un.inputs().keySet());
            }
            return new StableDiffusionXL(dir, e1, e2, unet, new VaeDecoder(vd, scaling), config,
                    index.path("force_zeros_for_empty_prompt").asBoolean(true));
        } catch (RuntimeException e) {
            DiffusionFolder.closeQuietly(opened);
            throw e;
        }
    }

    /** Where warnings go: a truncated prompt, an eta that the scheduler does not take; by default nowhere. */
    public StableDiffusionXL onWarning(Consumer<String> sink) {
        this.warnings = java.util.Objects.requireNonNull(sink, "sink");
        return this;
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }

    /**
     * The largest clip skip this model takes: {@code hidden_states[-(clip_skip + 2)]} must exist in both encoders, so
     * one less than the smaller layer count (SDXL base: text_encoder 12 layers, text_encoder_2 32, so 11).
     */
    public int maxClipSkip() {
        return Math.min(encoder1.layers(), encoder2.layers()) - 1;
    }

    /**
     * Checks that this model can run {@code clipSkip}: in [0, {@link #maxClipSkip()}].
     *
     * @throws IllegalArgumentException naming the range, the layer counts and the value
     */
    public void checkClipSkip(int clipSkip) {
        if (clipSkip < 0 || clipSkip > maxClipSkip()) {
            throw new IllegalArgumentException("clip skip must be in [0, " + maxClipSkip() + "] for " + dir
                    + " (text_encoder has " + encoder1.layers() + " layers, text_encoder_2 " + encoder2.layers()
                    + "; SDXL encodes the prompt from hidden_states[-(clip_skip + 2)] of both), but is: " + clipSkip);
        }
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
     * Generates one image per seed of {@code request}, or {@code imagesPerPrompt} images from its one seed; {@code request.negativePrompt()} "" means no negative prompt.
     *
     * @throws IllegalArgumentException for an unknown scheduler (the message lists the known ones), or a clip skip
     *     out of range ({@link #checkClipSkip})
     * @throws java.util.concurrent.CancellationException when the listener stops the run
     */
    public List<GeneratedImage> generate(ImageRequest request, SdxlOptions options, StepListener listener) {
        Scheduler scheduler = scheduler(request, warnings);
        int n = request.images();
        int h = request.height() / ImageRequest.VAE_FACTOR;
        int w = request.width() / ImageRequest.VAE_FACTOR;
        boolean guided = request.guided();

        Encoded pos = encode(request.prompt(), options.prompt2().orElse(request.prompt()), request.clipSkip());
        Encoded neg = null;
        if (guided) {
            boolean none = request.negativePrompt().isEmpty() && options.negativePrompt2().isEmpty();
            if (none && forceZerosForEmptyPrompt) {
                neg = new Encoded(new float[pos.hidden.length], new float[pos.pooled.length], pos.seq, pos.dim);
            } else {
                String n1 = request.negativePrompt();
                neg = encode(n1, options.negativePrompt2().orElse(n1), 0);   // diffusers: never clip-skipped
            }
        }
        float[] hidden = DenoisingLoop.batchRows(guided ? neg.hidden : null, pos.hidden, n, guided);
        float[] pooled = DenoisingLoop.batchRows(guided ? neg.pooled : null, pos.pooled, n, guided);
        float[] ids = options.timeIds(request.width(), request.height());
        int batch = guided ? 2 * n : n;
        float[] timeIds = new float[batch * ids.length];
        for (int row = 0; row < batch; row++) {
            System.arraycopy(ids, 0, timeIds, row * ids.length, ids.length); // negative and positive ids are equal
        }
        Conditioning c = new Conditioning(hidden, batch, pos.seq, pos.dim, pooled, pos.pooled.length, timeIds);
        DenoisingLoop.Result run = DenoisingLoop.run(scheduler, unet, c, request, h, w, listener);
        lastTimings = run.timings();
        float[] latents = run.latents();
        return vae.decodeAll(latents, request, scheduler.name(), dir.getFileName().toString(), h, w, Map.of());
    }

    /** The concatenated hidden states {@code [seq, dim1 + dim2]} and encoder 2's pooled vector. */
    private record Encoded(float[] hidden, float[] pooled, int seq, int dim) {
    }

    /** Both encoders' {@code hidden_states[-(clipSkip + 2)]}, concatenated, and encoder 2's {@code text_embeds}. */
    private Encoded encode(String prompt1, String prompt2, int clipSkip) {
        int[] d1 = new int[2];
        int[] d2 = new int[2];
        int[] dp = new int[2];
        float[] h1 = encoder1.encode(encoder1.ids(prompt1, warnings), encoder1.hiddenStateFromEnd(clipSkip + 2), d1);
        int[] ids2 = encoder2.ids(prompt2, warnings);
        float[] h2 = encoder2.encode(ids2, encoder2.hiddenStateFromEnd(clipSkip + 2), d2);
        float[] pooled = encoder2.encode(ids2, "text_embeds", dp);
        if (d1[0] != d2[0]) {
            throw new IllegalStateException("the two text encoders return " + d1[0] + " and " + d2[0]
                    + " positions; SDXL needs equal sequence lengths");
        }
        int seq = d1[0];
        int dim = d1[1] + d2[1];
        float[] hidden = new float[seq * dim];
        for (int s = 0; s < seq; s++) {
            System.arraycopy(h1, s * d1[1], hidden, s * dim, d1[1]);
            System.arraycopy(h2, s * d2[1], hidden, s * dim + d1[1], d2[1]);
        }
        return new Encoded(hidden, pooled, seq, dim);
    }

    /** Where the time of the last {@code generate}'s denoising loop went. */
    public LoopTimings lastTimings() {
        return lastTimings;
    }

    @Override
    public void close() {
        encoder1.close();
        encoder2.close();
        unet.close();
        vae.close();
    }
}
