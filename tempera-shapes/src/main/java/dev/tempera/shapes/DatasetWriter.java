package dev.tempera.shapes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Writes a training dataset: {@code images/NNNNNN.png}, {@code scenes.jsonl} (one JSON object per scene, in index
 * order) and {@code dataset.json} (the spec and split counts) into an output directory.
 *
 * <p>Each JSONL line holds {@code index}, {@code split} ({@code "train"} or {@code "test"}), {@code image} (path
 * relative to the directory), {@code width}, {@code height}, {@code scene} ({@code background} and {@code shapes}
 * with {@code kind}, {@code color}, {@code size}, {@code position}) and {@code captions}
 * ({@code en}/{@code zh} × {@code short}/{@code detailed}, one caption each drawn from {@link CaptionGrammar}).
 *
 * <p>Everything in a line depends only on (seed, index): the scene, the captions and the split. The split is the
 * fixed held-out set: about {@value #TEST_PERCENT}% of indices, chosen by a hash of (seed, index), so growing
 * {@code count} never moves a scene between splits.
 *
 * <p>Images are rendered in parallel; the JSONL is written in index order, to a temporary file moved into place at
 * the end. The directory must not already hold a dataset. Stateless and thread-safe.
 *
 * {@code DatasetWriter.write(new DatasetSpec(20000, 1, 64), Path.of("data"), (done, total) -> {});}
 */
public final class DatasetWriter {

    /** Percentage of scenes in the test split. */
    public static final int TEST_PERCENT = 10;

    private static final long SPLIT_SALT = 0x5F1B_7E57_5C3E_0001L;
    private static final long CAPTION_SALT = 0x0CA9_7104_5EED_0002L;
    private static final int CHUNK = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Receives progress; called from the writing thread after each chunk of images. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    /** What was written. */
    public record Summary(Path directory, int train, int test) {}

    private DatasetWriter() {}

    /** Whether scene {@code index} of the dataset for {@code seed} is in the test split. */
    public static boolean isTest(long seed, long index) {
        return Long.remainderUnsigned(SceneSampler.mix(seed ^ SPLIT_SALT, index), 100) < TEST_PERCENT;
    }

    /** The JSON object (one JSONL line) for scene {@code index}, with captions drawn reproducibly from the index. */
    public static ObjectNode entry(DatasetSpec spec, int index) {
        Scene scene = SceneSampler.sample(spec.seed(), index);
        ObjectNode line = JSON.createObjectNode();
        line.put("index", index);
        line.put("split", isTest(spec.seed(), index) ? "test" : "train");
        line.put("image", imagePath(index));
        line.put("width", spec.size());
        line.put("height", spec.size());
        line.set("scene", toJson(scene));
        SplittableRandom random = new SplittableRandom(SceneSampler.mix(spec.seed() ^ CAPTION_SALT, index));
        ObjectNode captions = line.putObject("captions");
        for (Language language : Language.values()) {
            ObjectNode byLevel = captions.putObject(language.code());
            for (CaptionLevel level : CaptionLevel.values()) {
                byLevel.put(level.code(), CaptionGrammar.sample(scene, language, level, random));
            }
        }
        return line;
    }

    /** The scene as JSON: {@code {"background": "blue", "shapes": [{"kind": ..., "color": ..., ...}]}}. */
    public static ObjectNode toJson(Scene scene) {
        ObjectNode node = JSON.createObjectNode();
        node.put("background", scene.background().english());
        ArrayNode shapes = node.putArray("shapes");
        for (Shape s : scene.shapes()) {
            ObjectNode o = shapes.addObject();
            o.put("kind", s.kind().english());
            o.put("color", s.color().english());
            o.put("size", s.size().english());
            o.put("position", s.position().english());
        }
        return node;
    }

    /**
     * Writes the dataset into {@code directory} (created if missing).
     *
     * @throws IllegalArgumentException if {@code directory} is a file or already holds {@code scenes.jsonl}
     * @throws UncheckedIOException if writing fails
     */
    public static Summary write(DatasetSpec spec, Path directory, Progress progress) {
        Path jsonl = directory.resolve("scenes.jsonl");
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("output must be a directory, but is a file: " + directory);
        }
        if (Files.exists(jsonl)) {
            throw new IllegalArgumentException("output directory must not already hold a dataset, but "
                    + directory + " has scenes.jsonl (choose a new directory or delete it)");
        }
        try {
            Path images = Files.createDirectories(directory.resolve("images"));
            Path partial = Files.createTempFile(directory, "scenes", ".jsonl.partial");
            int train = 0;
            int test = 0;
            try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                // Small chunks for small datasets, so progress still moves in steps of at most 2%.
                int chunk = Math.max(1, Math.min(CHUNK, spec.count() / 50));
                for (int start = 0; start < spec.count(); start += chunk) {
                    int end = Math.min(spec.count(), start + chunk);
                    List<String> lines = new ArrayList<>(IntStream.range(start, end).parallel()
                            .mapToObj(i -> writeOne(spec, images, i)).toList());
                    for (String l : lines) {
                        out.write(l);
                        out.write('\n');
                    }
                    for (int i = start; i < end; i++) {
                        if (isTest(spec.seed(), i)) {
                            test++;
                        } else {
                            train++;
                        }
                    }
                    progress.update(end, spec.count());
                }
            }
            Files.move(partial, jsonl, StandardCopyOption.ATOMIC_MOVE);
            ObjectNode meta = JSON.createObjectNode();
            meta.put("generator", "tempera-shapes");
            meta.put("count", spec.count());
            meta.put("seed", spec.seed());
            meta.put("size", spec.size());
            meta.put("train", train);
            meta.put("test", test);
            meta.put("testPercent", TEST_PERCENT);
            JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve("dataset.json").toFile(), meta);
            return new Summary(directory, train, test);
        } catch (IOException e) {
            throw new UncheckedIOException("writing dataset to " + directory + " failed: " + e.getMessage(), e);
        }
    }

    private static String writeOne(DatasetSpec spec, Path images, int index) {
        ObjectNode line = entry(spec, index);
        Scene scene = SceneSampler.sample(spec.seed(), index);
        try {
            ImageIO.write(Renderer.render(scene, spec.size()), "png", images.resolve(imageName(index)).toFile());
            return JSON.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException("writing image " + index + " to " + images + " failed: " + e.getMessage(), e);
        }
    }

    static String imageName(int index) {
        return String.format(java.util.Locale.ROOT, "%06d.png", index);
    }

    static String imagePath(int index) {
        return "images/" + imageName(index);
    }
}
