package dev.tempera.lab.cli.image;

import dev.tempera.image.output.ContactSheet;
import dev.tempera.image.output.GenerationInfo;
import dev.tempera.image.output.PngWriter;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.StepListener;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Makes the images of one {@link ImageJob} and writes them into one folder: for each guidance scale in order, one
 * {@code generate} call for all the seeds, then one PNG per image ({@code seed-S.png}, or {@code seed-S-gG.png} when
 * there are several scales) with its parameters embedded; several scales also give {@code contact-sheet.png} (rows:
 * seeds, columns: guidance scales).
 *
 * <p>{@code tempera image --prompt} and each line of {@code --in} go through here, so a line and a single-prompt run
 * with the same values write the same bytes. Each PNG is whole once it exists (written beside and renamed), so a
 * failure part-way leaves the images written before it valid.
 */
final class PromptImages {

    /** The name of the contact sheet in the folder. */
    static final String CONTACT_SHEET = "contact-sheet.png";

    /** What a run reports as it goes; called on the calling thread, in order. */
    interface Events {
        /** The step listener of the {@code generate} call for {@code guidance} (progress, cancellation). */
        StepListener steps(double guidance);

        /** After each PNG is written. */
        void written(double guidance, GeneratedImage image, Path file);

        /** After all the images of {@code guidance} are written; {@code seconds}: the generate call alone. */
        void guidanceDone(double guidance, int images, double seconds);
    }

    private PromptImages() {
    }

    /**
     * Runs {@code job} on {@code sd} into {@code folder} (created if missing).
     *
     * @return the contact sheet, when there are several guidance scales
     * @throws IllegalArgumentException what the pipeline refuses (an unknown scheduler, a bad clip skip)
     * @throws java.io.UncheckedIOException when a PNG cannot be written
     */
    static Optional<Path> run(DiffusionPipeline sd, ImageJob job, Path folder, Events events) {
        List<Double> guidance = job.guidance();
        List<Long> seeds = job.request().seeds();
        int perSeed = job.request().imagesPerPrompt();
        BufferedImage[][] grid = new BufferedImage[job.request().images()][guidance.size()];
        for (int gi = 0; gi < guidance.size(); gi++) {
            double g = guidance.get(gi);
            long t0 = System.nanoTime();
            List<GeneratedImage> images = sd.generate(job.request().withGuidance(g), job.xl(), events.steps(g));
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (int si = 0; si < images.size(); si++) {
                GeneratedImage img = withLatentsLabel(images.get(si), job.latentsLabel(), si, images.size());
                Path file = folder.resolve(fileName(img.seed(), perSeed > 1 ? OptionalInt.of(si) : OptionalInt.empty(),
                        g, guidance.size() > 1));
                PngWriter.write(file, img.image(), img.info());
                grid[si][gi] = img.image();
                events.written(g, img, file);
            }
            events.guidanceDone(g, images.size(), seconds);
        }
        if (guidance.size() == 1) {
            return Optional.empty();
        }
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < job.request().images(); i++) {
            rows.add(perSeed > 1 ? "seed " + seeds.get(0) + " #" + i : "seed " + seeds.get(i));
        }
        List<String> cols = new ArrayList<>();
        for (double g : guidance) {
            cols.add("guidance " + label(g));
        }
        BufferedImage sheet = ContactSheet.render(grid, rows, cols, "");
        ImageRequest r = job.request();
        Path file = folder.resolve(CONTACT_SHEET);
        PngWriter.write(file, sheet, new GenerationInfo(r.prompt(), r.negativePrompt(), r.steps(),
                r.scheduler().orElse("model default"), guidance.get(0), seeds.get(0), sheet.getWidth(),
                sheet.getHeight(), sd.name(), Map.of("Grid", "seeds x guidance")));
        return Optional.of(file);
    }

    /**
     * {@code seed-3.png}; with several guidance scales {@code seed-3-g7.5.png}; image k of a batch drawn from one seed
     * ({@code --images-per-prompt}) {@code seed-3-k.png} / {@code seed-3-k-g7.5.png}.
     */
    static String fileName(long seed, OptionalInt batchPos, double guidance, boolean severalScales) {
        String base = "seed-" + seed + (batchPos.isPresent() ? "-" + batchPos.getAsInt() : "");
        return severalScales ? base + "-g" + label(guidance) + ".png" : base + ".png";
    }

    /** {@link #fileName(long, OptionalInt, double, boolean)} of an image with its own generator. */
    static String fileName(long seed, double guidance, boolean severalScales) {
        return fileName(seed, OptionalInt.empty(), guidance, severalScales);
    }

    /** 7.0 → "7", 7.5 → "7.5". */
    static String label(double g) {
        return g == Math.rint(g) ? Long.toString((long) g) : Double.toString(g);
    }

    /** The image with its "Latents" parameter naming the --latents file (and the image's index in it). */
    private static GeneratedImage withLatentsLabel(GeneratedImage img, Optional<String> label, int index, int count) {
        if (label.isEmpty()) {
            return img;
        }
        GenerationInfo i = img.info();
        Map<String, String> extra = new LinkedHashMap<>(i.extra());
        extra.put("Latents", label.get() + (count > 1 ? "[" + index + "]" : ""));
        return new GeneratedImage(img.image(), img.seed(), new GenerationInfo(i.prompt(), i.negativePrompt(), i.steps(),
                i.sampler(), i.cfgScale(), i.seed(), i.width(), i.height(), i.model(), extra));
    }
}
