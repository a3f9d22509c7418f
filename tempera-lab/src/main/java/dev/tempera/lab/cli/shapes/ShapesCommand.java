package dev.tempera.lab.cli.shapes;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tempera shapes}: the Shapes world (coloured shapes on plain backgrounds) — dataset export, rendering from a
 * prompt, checking images against prompts, and scoring batches of images and texts. Usage errors exit 2 with a
 * one-line message, runtime failures 1.
 */
@Command(
        name = "shapes",
        mixinStandardHelpOptions = true,
        description = "The Shapes world: seeded scenes of coloured shapes, captions in English and Chinese, a checker"
                + " and a batch scorer.",
        subcommands = {ShapesDatasetCommand.class, ShapesRenderCommand.class, ShapesCheckCommand.class,
            ShapesScoreCommand.class},
        footer = {"", "Examples:",
            "  tempera shapes dataset --count 20000 --seed 1 --size 64 --out data/shapes",
            "  tempera shapes render --prompt \"a large red circle on a blue background\" --out x.png",
            "  tempera shapes check x.png --prompt \"a large red circle on a blue background\" --json",
            "  tempera shapes score --in items.jsonl --out results.jsonl"})
public final class ShapesCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
