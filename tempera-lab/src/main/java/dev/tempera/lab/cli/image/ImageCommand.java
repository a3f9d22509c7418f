package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.image.output.ContactSheet;
import dev.tempera.image.output.GenerationInfo;
import dev.tempera.image.output.PngWriter;
import dev.tempera.image.pipeline.DiffusionFiles;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.InitialLatents;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.pipeline.StableDiffusion;
import dev.tempera.image.pipeline.StableDiffusionXL;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.runtime.hub.ModelResolver;
import dev.tempera.runtime.onnx.SessionSettings;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        showDefaultValues = true,
        header = "Generate images with a local Stable Diffusion or SDXL model (Optimum ONNX layout) on ONNX Runtime.",
        description = {"One image per seed (each with its own PyTorch-compatible generator, so a seed means what it "
                + "means in diffusers on a CPU generator) and per guidance scale. PNGs carry their parameters "
                + "(the web UI's 'parameters' text and JSON). Several --guidance values also write contact-sheet.png."},
        footer = {"", "Examples:",
            "  tempera image --model models/shapes-sd --prompt \"a red circle on a blue background\" --seeds 0-3 "
                + "--steps 30 --size 64x64 --out out/",
            "  tempera image --model models/shapes-sd --prompt \"a red circle\" --seeds 0,1 --guidance 1,3,7.5,12 "
                + "--size 64x64 --out grid/",
            "  tempera image --model models/shapes-sd --prompt \"a red circle\" --scheduler ddim --eta 0.5 --seeds 0-3 "
                + "--size 64x64 --out ddim/",
            "  tempera image --model models/shapes-sd --prompt \"a red circle\" --seeds 0,1 --latents start.npy "
                + "--size 64x64 --out fixed/      (start.npy: float32 [2, 4, 8, 8])",
            "  tempera image --model DIR-SDXL --prompt \"a red circle\" --clip-skip 1 --size 1024x1024 --out xl/"})
public final class ImageCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ID", order = 1,
            description = "Stable Diffusion 1.x/2.x or SDXL folder in Optimum's ONNX layout (model_index.json, unet/, "
                    + "...; which one, model_index.json says), or a Hugging Face id resolved in the local Hugging Face "
                    + "cache and downloaded when missing.")
    String modelArg;

    private Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", order = 2, description = "The prompt.")
    String prompt;

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

    @Option(names = "--size", defaultValue = "512x512", paramLabel = "WxH", order = 8,
            description = "Image size; multiples of 8.")
    String size;

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

    @Option(names = "--out", required = true, paramLabel = "DIR", order = 10, description = "Output folder.")
    Path out;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", order = 11,
            description = "ONNX Runtime threads per session (0 = its default).")
    int threads;

    @Option(names = "--json", order = 99, description = "Print one JSON object with every image's file and parameters.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        model = DiffusionFiles.resolve(ModelResolver.fromSystem(), modelArg);
        List<Long> seedList = parseSeeds(seeds);
        int[] wh = parseSize(size);
        for (double g : guidance) {
            if (!(g >= 0)) {
                throw usage("--guidance must be >= 0 (1 or less turns guidance off), but is: " + g);
            }
        }
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw usage("--eta must be a finite number >= 0 (0 = deterministic DDIM), but is: " + eta);
        }
        if (clipSkip < 0) {
            throw usage("--clip-skip must be >= 0 (0 = off), but is: " + clipSkip);
        }
        ImageRequest base;
        try {
            base = new ImageRequest(prompt, negativePrompt, wh[0], wh[1], steps, guidance.get(0), guidanceRescale,
                    seedList, Optional.ofNullable(scheduler), eta, Optional.empty(), clipSkip);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (latentsFile != null) {
            base = base.withLatents(readLatents(latentsFile, seedList.size(), wh[0], wh[1]));
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Files.createDirectories(out);
        ObjectNode result = new ObjectMapper().createObjectNode();
        ArrayNode files = result.putArray("images");
        BufferedImage[][] grid = new BufferedImage[seedList.size()][guidance.size()];
        SessionSettings settings = SessionSettings.defaults().withIntraOpThreads(threads);
        SdxlOptions xl;
        try {
            xl = new SdxlOptions(Optional.ofNullable(prompt2), Optional.ofNullable(negativePrompt2),
                    Optional.ofNullable(originalSize).map(v -> pair("--original-size", v)),
                    crop == null ? new int[] {0, 0} : pair("--crop", crop),
                    Optional.ofNullable(targetSize).map(v -> pair("--target-size", v)));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (Pipeline sd = Pipeline.open(model, settings, xl, w -> err.println("tempera: " + w))) {
            try {
                sd.checkClipSkip(clipSkip);
            } catch (IllegalArgumentException e) {
                throw usage("--clip-skip " + clipSkip + ": " + e.getMessage());
            }
            for (int gi = 0; gi < guidance.size(); gi++) {
                double g = guidance.get(gi);
                ImageRequest request = base.withGuidance(g);
                long t0 = System.nanoTime();
                List<GeneratedImage> images = sd.generate(request, progress(err, g));
                double seconds = (System.nanoTime() - t0) / 1e9;
                for (int si = 0; si < images.size(); si++) {
                    GeneratedImage img = withLatentsFile(images.get(si), si, images.size());
                    String name = guidance.size() > 1
                            ? String.format(Locale.ROOT, "seed-%d-g%s.png", img.seed(), label(g))
                            : "seed-" + img.seed() + ".png";
                    Path file = out.resolve(name);
                    PngWriter.write(file, img.image(), img.info());
                    grid[si][gi] = img.image();
                    ObjectNode o = files.addObject();
                    o.put("file", file.toString());
                    o.putPOJO("parameters", img.info().toMap());
                    if (!json) {
                        stdout.println("wrote " + file);
                    }
                }
                err.printf(Locale.ROOT, "guidance %s: %d image(s) in %.2f s (%.3f s/step)%n", label(g), images.size(),
                        seconds, seconds / Math.max(1, steps));
                err.flush();
            }
        }
        if (guidance.size() > 1) {
            List<String> rows = new ArrayList<>();
            for (long s : seedList) {
                rows.add("seed " + s);
            }
            List<String> cols = new ArrayList<>();
            for (double g : guidance) {
                cols.add("guidance " + label(g));
            }
            BufferedImage sheet = ContactSheet.render(grid, rows, cols, "");
            Path file = out.resolve("contact-sheet.png");
            PngWriter.write(file, sheet, new dev.tempera.image.output.GenerationInfo(prompt, negativePrompt, steps,
                    scheduler == null ? "model default" : scheduler, guidance.get(0), seedList.get(0), sheet.getWidth(),
                    sheet.getHeight(), model.getFileName().toString(), java.util.Map.of("Grid", "seeds x guidance")));
            result.put("contact_sheet", file.toString());
            if (!json) {
                stdout.println("wrote " + file);
            }
        }
        if (json) {
            stdout.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        stdout.flush();
        return 0;
    }

    /** SD 1.x/2.x or SDXL, as the folder's model_index.json says. */
    private interface Pipeline extends AutoCloseable {
        List<GeneratedImage> generate(ImageRequest request, StepListener listener);

        void checkClipSkip(int clipSkip);

        @Override
        void close();

        static Pipeline open(Path dir, SessionSettings settings, SdxlOptions xlOptions,
                             java.util.function.Consumer<String> warn) {
            Path index = dir.resolve("model_index.json");
            String cls = "";
            try {
                cls = new ObjectMapper().readTree(index.toFile()).path("_class_name").asText("");
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--model: cannot read " + index + " (" + e.getMessage()
                        + "); a diffusion model folder in Optimum's layout has one");
            }
            if (cls.contains("XL")) {
                StableDiffusionXL xl = StableDiffusionXL.open(dir, settings).onWarning(warn);
                return new Pipeline() {
                    public List<GeneratedImage> generate(ImageRequest r, StepListener l) {
                        return xl.generate(r, xlOptions, l);
                    }

                    public void checkClipSkip(int n) {
                        xl.checkClipSkip(n);
                    }

                    public void close() {
                        xl.close();
                    }
                };
            }
            StableDiffusion sd = StableDiffusion.open(dir, settings).onWarning(warn);
            return new Pipeline() {
                public List<GeneratedImage> generate(ImageRequest r, StepListener l) {
                    return sd.generate(r, l);
                }

                public void checkClipSkip(int n) {
                    sd.checkClipSkip(n);
                }

                public void close() {
                    sd.close();
                }
            };
        }
    }

    /**
     * The latents of {@code --latents}: a float32 .npy of shape [n, 4, H/8, W/8], n = the number of seeds, or
     * [4, H/8, W/8] for one seed.
     */
    private InitialLatents readLatents(Path file, int images, int width, int height) {
        String what = "--latents " + file;
        if (!Files.isRegularFile(file)) {
            throw usage(what + ": no such file");
        }
        NpyFloat32 npy;
        try {
            npy = NpyFloat32.parse(what, Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw usage(what + ": cannot read it (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        long[] s = npy.shape();
        int h = height / ImageRequest.VAE_FACTOR;
        int w = width / ImageRequest.VAE_FACTOR;
        String expected = "[" + images + ", " + ImageRequest.LATENT_CHANNELS + ", " + h + ", " + w + "]"
                + (images == 1 ? " or [" + ImageRequest.LATENT_CHANNELS + ", " + h + ", " + w + "]" : "");
        String why = " (one latent per seed, " + ImageRequest.LATENT_CHANNELS + " channels, height/8, width/8 for "
                + "--size " + width + "x" + height + ")";
        if (s.length != 3 && s.length != 4) {
            throw usage(what + " must have shape " + expected + why + ", but has shape " + npy.shapeText());
        }
        long n = s.length == 4 ? s[0] : 1;
        if (n != images) {
            throw usage(what + " must hold one latent per seed, " + images + " for --seeds " + seeds + ", but holds "
                    + n + " (shape " + npy.shapeText() + ")");
        }
        int o = s.length - 3;
        if (s[o] != ImageRequest.LATENT_CHANNELS || s[o + 1] != h || s[o + 2] != w) {
            throw usage(what + " must have shape " + expected + why + ", but has shape " + npy.shapeText());
        }
        try {
            return InitialLatents.of(s, npy.values());
        } catch (IllegalArgumentException e) {
            throw usage(what + ": " + e.getMessage());
        }
    }

    /** The image with its "Latents" parameter naming the --latents file (and the image's index in it). */
    private GeneratedImage withLatentsFile(GeneratedImage img, int index, int count) {
        if (latentsFile == null) {
            return img;
        }
        GenerationInfo i = img.info();
        java.util.Map<String, String> extra = new java.util.LinkedHashMap<>(i.extra());
        extra.put("Latents", latentsFile.getFileName() + (count > 1 ? "[" + index + "]" : ""));
        return new GeneratedImage(img.image(), img.seed(), new GenerationInfo(i.prompt(), i.negativePrompt(), i.steps(),
                i.sampler(), i.cfgScale(), i.seed(), i.width(), i.height(), i.model(), extra));
    }

    private static StepListener progress(PrintWriter err, double g) {
        return (step, total, t) -> {
            if (step == total || step % Math.max(1, total / 10) == 0) {
                err.printf(Locale.ROOT, "\rguidance %s: step %d/%d", label(g), step, total);
                if (step == total) {
                    err.println();
                }
                err.flush();
            }
            return true;
        };
    }

    private static String label(double g) {
        return g == Math.rint(g) ? Long.toString((long) g) : Double.toString(g);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** "0-3" → 0,1,2,3; "0,7,42" → 0,7,42. */
    List<Long> parseSeeds(String text) {
        List<Long> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long a = Long.parseLong(p.substring(0, dash).trim());
                    long b = Long.parseLong(p.substring(dash + 1).trim());
                    if (b < a || b - a >= 1000) {
                        throw usage("--seeds: a range must go up and hold at most 1000 seeds, but is: " + p);
                    }
                    for (long s = a; s <= b; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            }
        } catch (NumberFormatException e) {
            throw usage("--seeds must be seeds and ranges like 0-3 or 0,7,42, but is: " + text);
        }
        return out;
    }

    private int[] pair(String option, String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage(option + " must be two numbers AxB (e.g. 1024x1024), but is: " + text);
    }

    private int[] parseSize(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw usage("--size must be WIDTHxHEIGHT (e.g. 512x512), but is: " + text);
    }
}
