package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.shapes.DatasetSpec;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Renderer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tempera shapes dataset}: PNGs plus a JSONL of scenes, captions and a fixed train/test split. */
@Command(
        name = "dataset",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Write a training dataset: images/NNNNNN.png, scenes.jsonl (scene, captions in en/zh at"
                + " two levels, split train/test) and dataset.json. Scene i depends only on (seed, i); about "
                + DatasetWriter.TEST_PERCENT + "%% of indices form the fixed test split.",
        footer = {"", "Examples:",
            "  tempera shapes dataset --count 20000 --seed 1 --size 64 --out data/shapes",
            "  tempera shapes dataset --count 100 --out /tmp/tiny --json"})
final class ShapesDatasetCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", description = "Number of scenes, in [1, " + DatasetSpec.MAX_COUNT + "].",
            defaultValue = "20000")
    int count;

    @Option(names = "--seed", description = "Seed of the scene sequence.", defaultValue = "1")
    long seed;

    @Option(names = "--size", description = "Image side in pixels, in [" + Renderer.MIN_SIZE + ", " + Renderer.MAX_SIZE
            + "].", defaultValue = "64")
    int size;

    @Option(names = "--out", required = true, description = "Output directory (created; must not hold a dataset yet).")
    Path out;

    @Option(names = "--json", description = "Print a JSON summary instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Options.requireRange(spec, "--count", count, 1, DatasetSpec.MAX_COUNT);
        Options.requireRange(spec, "--size", size, Renderer.MIN_SIZE, Renderer.MAX_SIZE);
        DatasetSpec dataset = new DatasetSpec(count, seed, size);
        PrintWriter err = spec.commandLine().getErr();
        int[] lastDecile = {0};
        DatasetWriter.Summary summary;
        try {
            summary = DatasetWriter.write(dataset, out, (done, total) -> {
                int decile = (int) (10L * done / total);
                if (decile > lastDecile[0]) {
                    lastDecile[0] = decile;
                    err.printf("dataset: %d%% (%d/%d)%n", decile * 10, done, total);
                    err.flush();
                }
            });
        } catch (IllegalArgumentException e) {
            throw Options.usage(spec, "--out: " + e.getMessage());
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = Options.JSON.createObjectNode();
            node.put("out", out.toString());
            node.put("count", count);
            node.put("seed", seed);
            node.put("size", size);
            node.put("train", summary.train());
            node.put("test", summary.test());
            node.put("jsonl", out.resolve("scenes.jsonl").toString());
            o.println(Options.JSON.writeValueAsString(node));
        } else {
            o.printf("wrote %d scenes (%d train, %d test) of %dx%d to %s: images/, scenes.jsonl, dataset.json%n",
                    count, summary.train(), summary.test(), size, size, out);
        }
        o.flush();
        return 0;
    }
}
