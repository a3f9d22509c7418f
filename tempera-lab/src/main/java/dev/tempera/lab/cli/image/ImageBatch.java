package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.lab.cli.JsonlInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * {@code tempera image --in prompts.jsonl --out DIR}: many prompts through one model load.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>{@link #prepare}: every line is read and checked — JSON, keys, types, ranges, ids — and merged over the flags
 *       ({@link ImageBatchLine#over}); {@code --out} is checked ({@code results.jsonl} may exist only with
 *       {@code --force}). A bad line fails here, with its line number, before the model loads;
 *   <li>{@link #run}: the model loads once and every line is checked against it (scheduler and step count, clip
 *       skip); still nothing is written;
 *   <li>line by line, in file order: the line's images go to {@code --out/<id or line-NNNN>/} exactly as
 *       {@code tempera image --prompt} names them ({@link PromptImages}), and after each PNG one line goes to
 *       {@code --out/results.jsonl}, flushed, so a crash leaves every finished image listed;
 *   <li>a summary on standard output ({@code --json}: one object).
 * </ol>
 *
 * <p>Not resumable, like {@code tempera generate --in}: a second run into the same {@code --out} needs {@code --force}
 * and starts from the first line. Lines run one after another on one pipeline (not thread-safe); progress and
 * warnings (each distinct warning once) go to standard error.
 */
final class ImageBatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path in;
    private final Path out;
    private final boolean force;
    private final ImageJob flags;
    private final Optional<LatentsFile> latents;
    private final List<ImageBatchLine> lines;
    private final int images;
    private final Set<String> warned = new HashSet<>();
    private ImageBatchProgress progress;

    private ImageBatch(Path in, Path out, boolean force, ImageJob flags, Optional<LatentsFile> latents,
                       List<ImageBatchLine> lines, int images) {
        this.in = in;
        this.out = out;
        this.force = force;
        this.flags = flags;
        this.latents = latents;
        this.lines = lines;
        this.images = images;
    }

    /**
     * Reads and checks {@code in} and {@code out}; loads no model, writes nothing.
     *
     * @param flags the command line's values, which lines override (its prompt is not used)
     * @param latents the {@code --latents} file, which every line then starts from
     * @throws IllegalArgumentException for a bad line (the message names the file, the line, the key, what it may be
     *     and the value), or a {@code --out} that cannot be written
     */
    static ImageBatch prepare(Path in, Path out, boolean force, ImageJob flags, Optional<LatentsFile> latents) {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(latents, "latents");
        List<ImageBatchLine> lines = ImageBatchInput.read(in, List.of(ImageResultsFile.NAME));
        int images = 0;
        for (ImageBatchLine line : lines) {
            images += job(in, line, flags, latents).images();
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out must be a folder (a folder per line and " + ImageResultsFile.NAME
                    + " go there), but " + out + " is a file");
        }
        Path results = out.resolve(ImageResultsFile.NAME);
        ImageResultsFile.check(results, force);
        if (JsonlInput.sameFile(in, results, results.toString())) {
            throw new IllegalArgumentException("--in " + in + " is the results file of --out " + out + ", which the run "
                    + "rewrites; move the prompts elsewhere");
        }
        return new ImageBatch(in, out, force, flags, latents, lines, images);
    }

    /** The number of lines. */
    int lines() {
        return lines.size();
    }

    /** The number of images of all lines. */
    int images() {
        return images;
    }

    /**
     * Loads the model with {@code open} and runs every line.
     *
     * @param open opens the pipeline, sending its warnings to the given sink
     * @param bar draw the progress as a bar in place (standard error is a terminal)
     * @param clock for the progress report ({@code System::nanoTime})
     * @return the exit code, 0
     * @throws IllegalArgumentException when a line does not fit the model (exit 2, nothing written)
     * @throws IllegalStateException when generating a line fails (exit 1); the message names the line and how many
     *     images {@code results.jsonl} holds
     */
    int run(Function<Consumer<String>, DiffusionPipeline> open, PrintWriter stdout, PrintWriter err, boolean json,
            boolean bar, LongSupplier clock) {
        Consumer<String> warn = w -> {
            if (warned.add(w)) {
                if (progress != null) {
                    progress.warn(w);
                } else {
                    err.println("tempera: " + w);
                    err.flush();
                }
            }
        };
        ObjectNode summary = JSON.createObjectNode();
        Path resultsPath = out.resolve(ImageResultsFile.NAME);
        try (DiffusionPipeline sd = open.apply(warn)) {
            int clipSkip = flags.request().clipSkip();
            try {
                sd.checkClipSkip(clipSkip);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--clip-skip " + clipSkip + ": " + e.getMessage(), e);
            }
            for (ImageBatchLine line : lines) {
                try {
                    sd.check(job(line).request());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(JsonlInput.where(in, line.number()) + e.getMessage(), e);
                }
            }
            createFolder(out);
            summary.put("results", resultsPath.toString());
            summary.put("lines", lines.size());
            summary.put("images", images);
            ArrayNode folders = summary.putArray("folders");
            ArrayNode sheets = summary.putArray("contact_sheets");
            try (ImageResultsFile results = ImageResultsFile.open(resultsPath, force)) {
                progress = new ImageBatchProgress(err, lines.size(), images, bar, clock);
                try {
                    for (int k = 0; k < lines.size(); k++) {
                        ImageBatchLine line = lines.get(k);
                        progress.lineStarted(k + 1);
                        Path folder = out.resolve(line.folderName());
                        Optional<Path> sheet;
                        try {
                            sheet = PromptImages.run(sd, job(line), folder, events(line, results));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(JsonlInput.where(in, line.number())
                                    + e.getMessage() + finished(results), e);
                        } catch (RuntimeException e) {
                            throw new IllegalStateException(JsonlInput.where(in, line.number()) + e
                                    + finished(results), e);
                        }
                        folders.add(folder.toString());
                        sheet.ifPresent(p -> sheets.add(p.toString()));
                    }
                } finally {
                    progress.stop();
                }
                summary.put("seconds", Math.round(progress.seconds() * 1000) / 1000.0);
                err.printf(Locale.ROOT, "[%d lines, %d images in %.1f s (%.2f s/image) → %s]%n", lines.size(),
                        images, progress.seconds(), progress.seconds() / images, out);
                err.flush();
            }
        }
        if (json) {
            stdout.println(summary.toPrettyString());
        } else {
            stdout.println("wrote " + images + " image(s) of " + lines.size() + " line(s) under " + out + "; each is "
                    + "listed in " + resultsPath);
        }
        stdout.flush();
        return 0;
    }

    private ImageJob job(ImageBatchLine line) {
        return job(in, line, flags, latents);
    }

    /** Line {@code line}'s job; a merge failure names the line. */
    private static ImageJob job(Path in, ImageBatchLine line, ImageJob flags, Optional<LatentsFile> latents) {
        try {
            return line.over(flags, latents);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(JsonlInput.where(in, line.number()) + e.getMessage(), e);
        }
    }

    private PromptImages.Events events(ImageBatchLine line, ImageResultsFile results) {
        return new PromptImages.Events() {
            @Override
            public StepListener steps(double guidance) {
                return progress.steps();
            }

            @Override
            public void written(double guidance, GeneratedImage image, Path file) {
                ObjectNode o = JSON.createObjectNode();
                o.put("line", line.number());
                if (line.id().isPresent()) {
                    o.put("id", line.id().get());
                } else {
                    o.putNull("id");
                }
                o.put("prompt", line.prompt());
                o.put("seed", image.seed());
                o.put("guidance", guidance);
                o.put("file", line.folderName() + "/" + file.getFileName());
                o.putPOJO("parameters", image.info().toMap());
                try {
                    results.append(JSON.writeValueAsString(o));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot write a results line as JSON", e);
                }
            }

            @Override
            public void guidanceDone(double guidance, int count, double seconds) {
                progress.imagesDone(count);
            }
        };
    }

    private static String finished(ImageResultsFile results) {
        return " (" + results.file() + " lists the " + results.lines() + " image(s) finished before it)";
    }

    private static void createFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create --out " + dir, e);
        }
    }
}
