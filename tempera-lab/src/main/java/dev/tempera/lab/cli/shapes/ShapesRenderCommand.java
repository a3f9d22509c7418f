package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.SceneSampler;
import dev.tempera.shapes.TextParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tempera shapes render}: draws a scene that satisfies a prompt, filling unstated attributes from the seed. */
@Command(
        name = "render",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Render a scene that has everything the prompt states (English or Chinese); attributes the"
                + " prompt leaves open are drawn from --seed.",
        footer = {"", "Examples:",
            "  tempera shapes render --prompt \"a large red circle on a blue background\" --out x.png",
            "  tempera shapes render --prompt \"蓝色背景上左边有一个大的红色圆形\" --size 256 --out y.png --json"})
final class ShapesRenderCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--prompt", required = true, description = "What to draw: one or two shapes, optionally a background.")
    String prompt;

    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;

    @Option(names = "--size", description = "Image side in pixels, in [" + Renderer.MIN_SIZE + ", " + Renderer.MAX_SIZE
            + "].", defaultValue = "64")
    int size;

    @Option(names = "--seed", description = "Seed for attributes the prompt leaves open.", defaultValue = "0")
    long seed;

    @Option(names = "--json", description = "Print the rendered scene as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Options.requireRange(spec, "--size", size, Renderer.MIN_SIZE, Renderer.MAX_SIZE);
        Description description;
        try {
            description = TextParser.parse(prompt);
        } catch (IllegalArgumentException e) {
            throw Options.usage(spec, "--prompt: " + e.getMessage());
        }
        int shapes = description.shapes().size();
        if (shapes < 1 || shapes > Scene.MAX_SHAPES) {
            throw Options.usage(spec, "--prompt must mention 1 to " + Scene.MAX_SHAPES + " shapes (circle, square, "
                    + "triangle, star, diamond), but mentions " + shapes + ": '" + prompt + "'");
        }
        Optional<Scene> scene = SceneSampler.sampleMatching(description, new SplittableRandom(seed));
        if (scene.isEmpty()) {
            throw Options.usage(spec, "--prompt describes no valid scene (a shape has the background's colour, two "
                    + "shapes share a position, or shapes would overlap): '" + prompt + "' read as " + description);
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(Renderer.render(scene.get(), size), "png", out.toFile())) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + " failed: " + e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = Options.JSON.createObjectNode();
            node.put("prompt", prompt);
            node.put("out", out.toString());
            node.put("size", size);
            node.put("seed", seed);
            node.set("scene", DatasetWriter.toJson(scene.get()));
            o.println(Options.JSON.writeValueAsString(node));
        } else {
            o.printf("rendered %s%nwrote %s (%dx%d)%n", scene.get(), out, size, size);
        }
        o.flush();
        return 0;
    }
}
