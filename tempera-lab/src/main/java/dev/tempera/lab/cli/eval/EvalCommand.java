package dev.tempera.lab.cli.eval;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tempera eval}: scores a set of outputs for one input, the seed's part 5 as a tool. {@code text} scores
 * descriptions (diversity, alignment with their image, detail fidelity, reference metrics, creativity),
 * {@code images} scores images made from one prompt. Usage errors exit 2 naming the input, runtime failures 1.
 * Definitions: {@code docs/METRICS.md}.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description = {"Evaluate a set of outputs for one input: diversity, modal alignment (MDA), detail fidelity"
                + " (DF) and creativity, each metric named with its definition (docs/METRICS.md)."},
        subcommands = {EvalTextCommand.class, EvalImagesCommand.class},
        footer = {"", "Examples:",
            "  tempera eval text --in outputs.jsonl",
            "  tempera eval text --in outputs.jsonl --image photo.png --references refs.jsonl --json",
            "  tempera eval images --dir out/ --prompt \"a large red circle on a blue background\""})
public final class EvalCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
