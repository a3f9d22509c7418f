package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.image.pipeline.DefaultSize;
import dev.tempera.image.pipeline.DiffusionFiles;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.lab.cli.Terminal;
import dev.tempera.runtime.hub.ModelResolver;
import dev.tempera.runtime.onnx.SessionSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tempera image}: text-to-image with a local Stable Diffusion model on ONNX Runtime, one image per seed and
 * guidance scale, each written as a PNG with its parameters embedded; several guidance scales also give a contact
 * sheet (rows: seeds, columns: guidance scales). {@code --eta}, {@code --latents} and {@code --clip-skip} are
 * diffusers' {@code eta}, {@code latents} and {@code clip_skip}; bad values exit 2 with the option, the allowed range
 * and the value.
 *
 * <p>With {@code --in prompts.jsonl} instead of {@code --prompt}, every line of a JSON Lines file goes through one
 * model load, each into its own folder under {@code --out}, with {@code --out/results.jsonl} listing every image
 * ({@link ImageBatch}).
 */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        header = "Generate images with a local Stable Diffusion or SDXL model (Optimum ONNX layout) on ONNX Runtime.",
        description = {"One image per seed (each with its own PyTorch-compatible generator, so a seed means what it "
                + "means in diffusers on a CPU generator) and per guidance scale. PNGs carry their parameters "
                + "(the web UI's 'parameters' text and JSON). Several --guidance values also write contact-sheet.png.",
            "Batch mode (--in FILE instead of --prompt): every line of a JSON Lines file through one model load; "
                + "see --in."},
        footer = {"", "Examples:",
            "  tempera image --model models/shapes-sd --prompt \"a red circle on a blue background\" --seeds 0-3 "
                + "--steps 30 --size 64x64 --out out/",
            "  tempera image --model models/shapes-sd --prompt \"a red circle\" --seeds 0,1 --guidance 1,3,7.5,12 "
                + "--size 64x64 --out grid/",
            "  tempera image --model models/shapes-sd --prompt \"a red circle\" --scheduler ddim --eta 0.5 --seeds 0-3 "
                + "--size 64x64 --out ddim/",
            "  tempera image --model models/shapes-sd --prompt \"a red circle\" --seeds 0,1 --latents start.npy "
                + "--size 64x64 --out fixed/      (start.npy: float32 [2, 4, 8, 8])",
            "  tempera image --model DIR-SDXL --prompt \"a red circle\" --clip-skip 1 --size 1024x1024 --out xl/",
            "  tempera image --model models/shapes-sd --in prompts.jsonl --seeds 0-1 --guidance 7.5,1 --size 64x64 "
                + "--out sweep/",
            "", "Lines of prompts.jsonl (keys left out take the flags' values):",
            "  {\"prompt\": \"a red circle\"}",
            "  {\"prompt\": \"a blue square\", \"negative_prompt\": \"blurry\", \"seeds\": \"0-3\", \"guidance\": 5, "
                + "\"id\": \"square\"}",
            "  {\"prompt\": \"a green star\", \"steps\": 20, \"scheduler\": \"ddim\", \"eta\": 0.5, \"size\": \"64x48\"}"})
public final class ImageCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ID", order = 1,
            description = "Stable Diffusion 1.x/2.x or SDXL folder in Optimum's ONNX layout (model_index.json, unet/, "
                    + "...; which one, model_index.json says), or a Hugging Face id resolved in the local Hugging Face "
                    + "cache and downloaded when missing.")
    String modelArg;

    private Path model;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1", order = 2)
    Source source;

    /** What to generate from: one prompt, or a file of prompts. */
    static final class Source {
        @Option(names = "--prompt", required = true, paramLabel = "TEXT", order = 2, description = "The prompt.")
        String prompt;

        @Option(names = "--in", required = true, paramLabel = "FILE", order = 3,
                description = {"Batch mode, instead of --prompt: a JSON Lines file, one prompt per line, all through "
                    + "one model load. Keys: \"prompt\" (required), \"negative_prompt\", \"prompt_2\", "
                    + "\"negative_prompt_2\", \"seeds\" (a list or a string like \"0-3\"), \"guidance\" (a number "
                    + "or a list), \"steps\", \"scheduler\", \"size\" (\"WxH\"), \"eta\", \"id\" (names the "
                    + "line's folder; default line-NNNN, the line number); keys left out take the flags' values, "
                    + "other keys are an error; the flags without a key (--guidance-rescale, --clip-skip, "
                    + "--latents, the SDXL size conditioning) apply to every line. Each line's images go to --out/<id or line-NNNN>/, named as with "
                    + "--prompt; --out/results.jsonl gets one line per image (line, id, prompt, seed, guidance, "
                    + "file, parameters) as it is written. Every line is checked before anything is generated: a "
                    + "bad line stops the run with its line number, writing nothing. Not resumable: a second run "
                    + "into the same --out needs --force."})
        Path in;
    }

    @Option(names = "--negative-prompt", defaultValue = "", paramLabel = "TEXT", order = 3,
            description = "The negative prompt (none: the empty prompt, as diffusers does for SD 1.x/2.x).")
    String negativePrompt;

    @Option(names = "--seeds", defaultValue = "0", paramLabel = "LIST", order = 4,
            description = "Seeds, one image each: 0-3, or 0,7,42.")
    String seeds;

    @Option(names = "--guidance", defaultValue = "7.5", paramLabel = "G[,G...]", order = 5, split = ",",
            description = "Guidance scale(s); > 1 turns classifier-free guidance on. Several make a grid.")
    List<Double> guidance;

    @Option(names = "--steps", defaultValue = "30", paramLabel = "N", order = 6, description = "Inference steps.")
    int steps;

    @Option(names = "--scheduler", paramLabel = "NAME", order = 7,
            description = "Override the model's scheduler: euler, euler_a, ddim, dpmpp_2m, dpmpp_2m_karras, pndm, lms, "
                    + "lcm, ... (default: scheduler/scheduler_config.json).")
    String scheduler;

    @Option(names = "--size", paramLabel = "WxH", order = 8,
            description = "Image size; multiples of 8 (default: the model's, unet sample_size x 8 as diffusers: "
                    + "512x512 for SD 1.5, 1024x1024 for SDXL, 64x64 for the bundled shapes models).")
    String size;

    /** --size's value, or the model's default size when it is not given. */
    private String sizeOrDefault;

    @Option(names = "--guidance-rescale", defaultValue = "0", paramLabel = "PHI", order = 9,
            description = "diffusers' guidance_rescale in [0, 1].")
    double guidanceRescale;

    @Option(names = "--prompt-2", paramLabel = "TEXT", order = 12,
            description = "SDXL: the prompt for the second text encoder (default: --prompt).")
    String prompt2;

    @Option(names = "--negative-prompt-2", paramLabel = "TEXT", order = 13,
            description = "SDXL: the negative prompt for the second text encoder (default: --negative-prompt).")
    String negativePrompt2;

    @Option(names = "--original-size", paramLabel = "HxW", order = 14,
            description = "SDXL size conditioning: original_size (default: the image size).")
    String originalSize;

    @Option(names = "--crop", paramLabel = "TOPxLEFT", order = 15,
            description = "SDXL size conditioning: crops_coords_top_left (default: 0x0).")
    String crop;

    @Option(names = "--target-size", paramLabel = "HxW", order = 16,
            description = "SDXL size conditioning: target_size (default: the image size).")
    String targetSize;

    @Option(names = "--images-per-prompt", defaultValue = "1", paramLabel = "N", order = 18,
            description = "diffusers' num_images_per_prompt: N images from ONE generator seeded with the single "
                    + "--seed (one noise tensor for the batch). Not the same images as --seeds S..S+N-1, which give "
                    + "each image its own generator (the seed's generate_images_with_variation).")
    int imagesPerPrompt;

    @Option(names = "--eta", defaultValue = "0", paramLabel = "ETA", order = 17,
            description = "DDIM's eta >= 0 (0 = deterministic DDIM, 1 = DDPM-like noise at each step, drawn from the "
                    + "seeds). As in diffusers only a scheduler that takes eta (ddim) gets it; with any other it is "
                    + "ignored, with a warning.")
    double eta;

    @Option(names = "--latents", paramLabel = "FILE.npy", order = 18,
            description = "Start from these latents instead of noise drawn from the seeds (diffusers' latents=): an "
                    + "npy file of float32 values, shape [n, 4, H/8, W/8] with n = the number of seeds, or "
                    + "[4, H/8, W/8] for one seed. They are multiplied by the scheduler's init_noise_sigma; the seeds "
                    + "still drive the noise that Euler a, DDIM with eta and the SDE schedulers draw at each step.")
    Path latentsFile;

    @Option(names = "--clip-skip", defaultValue = "0", paramLabel = "N", order = 19,
            description = "diffusers' clip_skip (0 = off): encode the prompt N layers before the usual one "
                    + "(not the negative prompt, as in diffusers). SDXL: 0 to (fewest encoder layers - 1). "
                    + "SD 1.x/2.x: only 0, because an Optimum text_encoder exports neither the hidden states nor the "
                    + "final layer norm that diffusers applies to them.")
    int clipSkip;

    @Option(names = "--out", required = true, paramLabel = "DIR", order = 10,
            description = "Output folder (with --in: a folder per line, and results.jsonl).")
    Path out;

    @Option(names = "--force", order = 20,
            description = "Batch mode: run even though --out holds results.jsonl from an earlier run (it is "
                    + "replaced; images of folders with the same names are overwritten).")
    boolean force;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", order = 11,
            description = "ONNX Runtime threads per session (0 = its default).")
    int threads;

    @Option(names = "--json", order = 99, description = "Print one JSON object with every image's file and parameters "
            + "(with --in: a summary, the images being in results.jsonl).")
    boolean json;

    @Override
    public Integer call() {
        if (force && source.in == null) {
            throw usage("--force belongs to batch mode (--in FILE): with --prompt, images in --out are replaced");
        }
        Path resolved = null;
        sizeOrDefault = size;
        if (size == null) {  // the model decides, so it is resolved before the other flags are checked
            resolved = DiffusionFiles.resolve(ModelResolver.fromSystem(), modelArg);
            try {
                int[] wh = DefaultSize.of(resolved);
                sizeOrDefault = wh[0] + "x" + wh[1];
            } catch (IllegalArgumentException e) {
                throw usage("--size is not given and " + e.getMessage());
            }
        }
        ImageJob flags = flags(source.prompt == null ? "" : source.prompt);
        Optional<LatentsFile> latents;
        try {
            latents = Optional.ofNullable(latentsFile).map(LatentsFile::read);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        SessionSettings settings = SessionSettings.defaults().withIntraOpThreads(threads);
        if (source.in != null) {
            ImageBatch batch = ImageBatch.prepare(source.in, out, force, flags, latents);
            Path folder = resolved != null ? resolved : DiffusionFiles.resolve(ModelResolver.fromSystem(), modelArg);
            return batch.run(w -> DiffusionPipeline.open(folder, settings, w), stdout, err, json,
                    Terminal.stderrIsTerminal(), System::nanoTime);
        }
        ImageJob job = flags;
        if (latents.isPresent()) {
            ImageRequest r = flags.request();
            try {
                job = new ImageJob(r.withLatents(latents.get().forImages(r.images(), r.width(), r.height(),
                        "--seeds " + seeds, "--size " + r.width() + "x" + r.height())), flags.guidance(), flags.xl(),
                        Optional.of(latents.get().label()));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        Path model = resolved != null ? resolved : DiffusionFiles.resolve(ModelResolver.fromSystem(), modelArg);
        return single(job, model, settings, stdout, err);
    }

    /**
     * The flags as one job for {@code prompt} (in batch mode "", each line bringing its own), without latents.
     *
     * @throws CommandLine.ParameterException for a bad flag, naming it, its range and its value
     */
    private ImageJob flags(String prompt) {
        try {
            List<Long> seedList = ImageArgs.seeds("--seeds", seeds);
            int[] wh = ImageArgs.size("--size", sizeOrDefault);
            for (double g : guidance) {
                if (!(g >= 0) || Double.isInfinite(g)) {
                    throw usage("--guidance must be >= 0 (1 or less turns guidance off), but is: " + g);
                }
            }
            if (!(eta >= 0) || Double.isInfinite(eta)) {
                throw usage("--eta must be a finite number >= 0 (0 = deterministic DDIM), but is: " + eta);
            }
            if (clipSkip < 0) {
                throw usage("--clip-skip must be >= 0 (0 = off), but is: " + clipSkip);
            }
            if (imagesPerPrompt < 1) {
                throw usage("--images-per-prompt must be >= 1, but is: " + imagesPerPrompt);
            }
            if (imagesPerPrompt > 1 && seedList.size() != 1) {
                throw usage("--images-per-prompt " + imagesPerPrompt + " draws every image from one generator: give "
                        + "exactly one seed (or use --seeds alone for one generator per image), but --seeds is: "
                        + seeds);
            }
            ImageRequest request = new ImageRequest(prompt, negativePrompt, wh[0], wh[1], steps, guidance.get(0),
                    guidanceRescale, seedList, Optional.ofNullable(scheduler), eta, Optional.empty(), clipSkip)
                    .withImagesPerPrompt(imagesPerPrompt);
            SdxlOptions xl = new SdxlOptions(Optional.ofNullable(prompt2), Optional.ofNullable(negativePrompt2),
                    Optional.ofNullable(originalSize).map(v -> ImageArgs.pair("--original-size", v)),
                    crop == null ? new int[] {0, 0} : ImageArgs.pair("--crop", crop),
                    Optional.ofNullable(targetSize).map(v -> ImageArgs.pair("--target-size", v)));
            return new ImageJob(request, guidance, xl, Optional.empty());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** {@code --prompt}: the job's images into --out, a line on standard output per file (or one JSON object). */
    private int single(ImageJob job, Path model, SessionSettings settings, PrintWriter stdout, PrintWriter err) {
        createFolder(out);
        ObjectNode result = new ObjectMapper().createObjectNode();
        ArrayNode files = result.putArray("images");
        Optional<Path> sheet;
        try (DiffusionPipeline sd = DiffusionPipeline.open(model, settings, w -> err.println("tempera: " + w))) {
            try {
                sd.checkClipSkip(clipSkip);
            } catch (IllegalArgumentException e) {
                throw usage("--clip-skip " + clipSkip + ": " + e.getMessage());
            }
            sheet = PromptImages.run(sd, job, out, new PromptImages.Events() {
                @Override
                public StepListener steps(double g) {
                    return progress(err, g);
                }

                @Override
                public void written(double g, GeneratedImage img, Path file) {
                    ObjectNode o = files.addObject();
                    o.put("file", file.toString());
                    o.putPOJO("parameters", img.info().toMap());
                    if (!json) {
                        stdout.println("wrote " + file);
                    }
                }

                @Override
                public void guidanceDone(double g, int images, double seconds) {
                    err.printf(Locale.ROOT, "guidance %s: %d image(s) in %.2f s (%.3f s/step)%n",
                            PromptImages.label(g), images, seconds, seconds / Math.max(1, steps));
                    err.flush();
                }
            });
        }
        if (sheet.isPresent()) {
            result.put("contact_sheet", sheet.get().toString());
            if (!json) {
                stdout.println("wrote " + sheet.get());
            }
        }
        if (json) {
            stdout.println(result.toPrettyString());
        }
        stdout.flush();
        return 0;
    }

    private static StepListener progress(PrintWriter err, double g) {
        return (step, total, t) -> {
            if (step == total || step % Math.max(1, total / 10) == 0) {
                err.printf(Locale.ROOT, "\rguidance %s: step %d/%d", PromptImages.label(g), step, total);
                if (step == total) {
                    err.println();
                }
                err.flush();
            }
            return true;
        };
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --out " + dir, e);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
