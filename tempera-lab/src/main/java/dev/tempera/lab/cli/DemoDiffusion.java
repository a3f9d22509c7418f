package dev.tempera.lab.cli;

import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ClipScore;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.image.MsSsimDiversity;
import dev.tempera.image.output.ContactSheet;
import dev.tempera.image.output.GenerationInfo;
import dev.tempera.image.output.PngWriter;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.pipeline.StableDiffusionXL;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.lab.cli.eval.BundledModels;
import dev.tempera.lab.cli.shapes.KindColourMatch;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.ImageCheck;
import dev.tempera.shapes.ImageChecker;
import dev.tempera.shapes.TextParser;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Part 6 of {@code tempera demo}: the seed's SDXL step ({@code generate_images_with_variation}: seeds 0 to 3, one
 * generator per image, 30 steps, guidance 7.5) on the bundled shapes-sdxl, with guidance 1 (no classifier-free
 * guidance) beside it for contrast.
 *
 * <p>Steps, in order: one {@code generate} call per guidance scale for all four seeds (each seed still gets its own
 * generator, so an image does not depend on the other seeds); each image written as a PNG with its parameters
 * embedded, as {@code tempera image} writes them; the Shapes checker reads every image and says whether each shape
 * the prompt names is there with its kind and colour ({@link KindColourMatch}); CLIPScore of every image against the
 * prompt with the bundled shapes-clip; per guidance scale the rate, the mean CLIPScore and the MS-SSIM diversity
 * across the seeds; finally a contact sheet (rows: seeds, columns: guidance scales).
 *
 * <p>What callers trip on: the files go straight into the output folder, named {@code sdxl-seed-S-gG.png} and
 * {@value #CONTACT_SHEET}; files of those names are replaced, nothing else in the folder is touched (it is created
 * if missing; {@code tempera demo} creates and checks it before part 1). Everything printed is deterministic (fixed seeds, no timings); only the folder's name depends on the
 * caller.
 */
final class DemoDiffusion {

    /** The seed's SDXL prompt is a sunset beach; the bundled models only know coloured shapes, so this says two. */
    static final String PROMPT = "红色的星形、灰色的三角形";
    /** The seed's negative prompt, as its text writes it. */
    static final String NEGATIVE_PROMPT = "模糊,失真,低质量";
    /** The seed's {@code range(num_images)} with {@code num_images=4}: one {@code manual_seed(i)} per image. */
    static final List<Long> SEEDS = List.of(0L, 1L, 2L, 3L);
    /** The seed's guidance scale, then 1: {@code guidance_scale <= 1} turns classifier-free guidance off. */
    static final List<Double> GUIDANCE = List.of(7.5, 1.0);
    static final int STEPS = 30;
    /** The bundled model is trained for 64x64 images only (8x8 latents). */
    static final int SIZE = 64;
    static final String CONTACT_SHEET = "sdxl-contact-sheet.png";

    private DemoDiffusion() {
    }

    /** One image and what the checker and CLIP made of it. */
    private record Row(long seed, double guidance, BufferedImage image, ImageCheck check, boolean kindColour,
                       Optional<Double> clipScore) {
    }

    /** One guidance scale's images in numbers. */
    private record Summary(double guidance, long hits, int images, Optional<Double> meanClip, double diversity) {

        static Summary of(double guidance, List<Row> rows) {
            long hits = rows.stream().filter(Row::kindColour).count();
            Optional<Double> meanClip = rows.stream().allMatch(r -> r.clipScore().isPresent())
                    ? Optional.of(rows.stream().mapToDouble(r -> r.clipScore().get()).average().orElseThrow())
                    : Optional.empty();
            double diversity = MsSsimDiversity.of(rows.stream().map(Row::image).toList()).diversity();
            return new Summary(guidance, hits, rows.size(), meanClip, diversity);
        }

        double rate() {
            return (double) hits / images;
        }
    }

    /** Part 6 with the bundled shapes-sdxl and shapes-clip, writing into {@code folder}. */
    static void run(PrintWriter out, Path folder) {
        run(out, BundledModels.find("shapes-sdxl"), BundledModels.find("shapes-clip"), folder);
    }

    /**
     * Part 6 with the given models; an empty {@code model} prints the skip line, an empty {@code clip} leaves the
     * CLIPScore column out (n/a).
     *
     * @throws IllegalStateException when {@code model} is not a loadable SDXL folder, naming it
     * @throws java.io.UncheckedIOException when a PNG cannot be written into {@code folder}
     */
    static void run(PrintWriter out, Optional<Path> model, Optional<Path> clip, Path folder) {
        out.println("== 6. The seed's text-to-image (its SDXL step) on the bundled shapes-sdxl ==");
        if (model.isEmpty()) {
            out.println("(skipped: models/shapes-sdxl was not found above the working directory)");
            return;
        }
        out.println("The bundled models know only the Shapes world (coloured shapes on a plain background), so the "
                + "seed's sunset-beach prompt becomes two shapes, still in Chinese.");
        out.println("Prompt: " + PROMPT + ". Negative prompt: " + NEGATIVE_PROMPT + " (the seed defines it but never "
                + "passes it to pipe(); passed here).");
        out.println("Seeds " + SEEDS.get(0) + ".." + SEEDS.get(SEEDS.size() - 1) + ", one generator each (the seed's "
                + "generate_images_with_variation); " + STEPS + " steps, " + SIZE + "x" + SIZE + ", guidance "
                + label(GUIDANCE.get(0)) + " (the seed's) and " + label(GUIDANCE.get(1))
                + " (no CFG: the UNet sees the prompt alone, so the negative prompt is unused).");

        List<GeneratedImage> images = generate(out, model.get());
        Description prompt = TextParser.parse(PROMPT);
        Optional<ClipScores> clipScores = clip.map(dir -> {
            try (ClipModel m = ClipModel.load(dir)) {
                return new ClipScore(m).imagesAgainstPrompt(images.stream().map(GeneratedImage::image).toList(),
                        PROMPT);
            }
        });
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            GeneratedImage img = images.get(i);
            ImageCheck check = ImageChecker.check(img.image());
            boolean kindColour = check.scene().map(s -> KindColourMatch.holds(prompt, s)).orElse(false);
            int index = i;
            rows.add(new Row(img.seed(), img.info().cfgScale(), img.image(), check, kindColour,
                    clipScores.map(s -> s.pairs().get(index).score())));
        }

        out.println(Fmt.f("  %4s %9s %14s %10s  %s", "seed", "guidance", "kinds+colours", "CLIPScore",
                "the checker read"));
        for (Row r : rows) {
            out.println(Fmt.f("  %4d %9s %14s %10s  %s", r.seed(), label(r.guidance()), r.kindColour() ? "yes" : "no",
                    r.clipScore().map(DemoDiffusion::score).orElse("n/a"), r.check()));
        }
        List<Summary> summaries = new ArrayList<>();
        for (int g = 0; g < GUIDANCE.size(); g++) {
            Summary s = Summary.of(GUIDANCE.get(g), rows.subList(g * SEEDS.size(), (g + 1) * SEEDS.size()));
            summaries.add(s);
            out.println(Fmt.f("  guidance %-4s %d of %d images show every prompted kind and colour (%.0f%%), mean "
                    + "CLIPScore %s, MS-SSIM diversity across the seeds %.3f", label(s.guidance()), s.hits(),
                    s.images(), 100 * s.rate(), s.meanClip().map(DemoDiffusion::score).orElse("n/a"), s.diversity()));
        }
        out.println(changes(summaries.get(0), summaries.get(1)));

        writeFiles(out, images, folder);
        out.println("kinds+colours: every shape the prompt names is among the shapes the Shapes checker reads, with "
                + "its kind and colour (size, position, background ignored);");
        out.println(clip.isPresent()
                ? "CLIPScore: 2.5 x max(cos, 0) with the bundled shapes-clip (docs/METRICS.md); MS-SSIM diversity: "
                        + "1 - mean MS-SSIM of the seeds' images, 0 = one image for all seeds."
                : "CLIPScore: n/a, models/shapes-clip was not found; MS-SSIM diversity: 1 - mean MS-SSIM of the seeds' "
                        + "images, 0 = one image for all seeds.");
    }

    /** The images, guidance by guidance in {@link #GUIDANCE} order, seeds in order within each. */
    private static List<GeneratedImage> generate(PrintWriter out, Path model) {
        StableDiffusionXL xl;
        try {
            xl = StableDiffusionXL.open(model, SessionSettings.defaults());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("the bundled shapes-sdxl at " + model + " cannot be loaded: "
                    + e.getMessage(), e);
        }
        try (xl) {
            xl.onWarning(w -> out.println("warning: " + w));
            ImageRequest request = new ImageRequest(PROMPT, NEGATIVE_PROMPT, SIZE, SIZE, STEPS, GUIDANCE.get(0), 0,
                    SEEDS, Optional.empty(), 0);
            List<GeneratedImage> images = new ArrayList<>();
            for (double g : GUIDANCE) {
                images.addAll(xl.generate(request.withGuidance(g), SdxlOptions.defaults(), StepListener.NONE));
            }
            return images;
        }
    }

    /** One line, from the numbers: what guidance 7.5 changed against guidance 1, and how much the seeds vary. */
    private static String changes(Summary guided, Summary unguided) {
        StringBuilder b = new StringBuilder("What changed: guidance " + label(guided.guidance()) + " instead of "
                + label(unguided.guidance()) + " ");
        b.append(change("the kinds+colours rate", Fmt.f("%.0f%%", 100 * unguided.rate()),
                Fmt.f("%.0f%%", 100 * guided.rate()), Double.compare(guided.rate(), unguided.rate())));
        if (guided.meanClip().isPresent() && unguided.meanClip().isPresent()) {
            double g = guided.meanClip().get();
            double u = unguided.meanClip().get();
            b.append(" and ").append(change("the mean CLIPScore", score(u), score(g), Double.compare(g, u)));
        }
        double g = guided.diversity();
        double u = unguided.diversity();
        b.append("; across seeds its images differ ").append(g > u ? "more" : g < u ? "less" : "as much")
                .append(Fmt.f(" (MS-SSIM diversity %.3f, against %.3f without guidance).", g, u));
        return b.toString();
    }

    /** "raised what from 25% to 75%", "lowered ...", or "left what at 0%"; {@code sign}: guided against unguided. */
    private static String change(String what, String unguided, String guided, int sign) {
        if (sign == 0 || unguided.equals(guided)) {
            return "left " + what + " at " + guided;
        }
        return (sign > 0 ? "raised " : "lowered ") + what + " from " + unguided + " to " + guided;
    }

    /** The PNGs, with the pipeline's parameters, and the labelled contact sheet; prints where they went. */
    private static void writeFiles(PrintWriter out, List<GeneratedImage> images, Path folder) {
        BufferedImage[][] grid = new BufferedImage[SEEDS.size()][GUIDANCE.size()];
        for (int i = 0; i < images.size(); i++) {
            GeneratedImage img = images.get(i);
            PngWriter.write(folder.resolve(fileName(img.seed(), img.info().cfgScale())), img.image(), img.info());
            grid[i % SEEDS.size()][i / SEEDS.size()] = img.image();
        }
        List<String> rowLabels = SEEDS.stream().map(s -> "seed " + s).toList();
        List<String> columnLabels = GUIDANCE.stream()
                .map(g -> "guidance " + label(g) + (g > 1 ? "" : " (no CFG)")).toList();
        BufferedImage sheet = ContactSheet.render(grid, rowLabels, columnLabels, "");
        GenerationInfo first = images.get(0).info();
        PngWriter.write(folder.resolve(CONTACT_SHEET), sheet, new GenerationInfo(PROMPT, NEGATIVE_PROMPT, STEPS,
                first.sampler(), GUIDANCE.get(0), SEEDS.get(0), sheet.getWidth(), sheet.getHeight(), first.model(),
                Map.of("Grid", "seeds x guidance")));
        out.println("Wrote " + images.size() + " PNGs (" + fileName(SEEDS.get(0), GUIDANCE.get(0)) + " ..., "
                + "parameters embedded as tempera image does) and " + CONTACT_SHEET + " (rows: seeds, columns: "
                + "guidance) to " + folder);
    }

    /** {@code sdxl-seed-3-g7.5.png}, {@code sdxl-seed-0-g1.png}. */
    static String fileName(long seed, double guidance) {
        return "sdxl-seed-" + seed + "-g" + label(guidance) + ".png";
    }

    /** 7.5 → "7.5", 1.0 → "1". */
    private static String label(double g) {
        return GenerationInfo.number(g);
    }

    private static String score(double s) {
        return Fmt.f("%.3f", s);
    }
}
