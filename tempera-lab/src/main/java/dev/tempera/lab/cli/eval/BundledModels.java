package dev.tempera.lab.cli.eval;

import dev.tempera.eval.align.ClipLayout;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a bundled sample model ({@code models/<name>} at the repository root) for a command run without an explicit
 * model folder. Looked for, in order: in the working directory and each of its parents, then above the folder the
 * CLI's classes were loaded from ({@code tempera-lab/target/tempera-lab.jar} in a checkout, so {@code ./tempera}
 * finds it from any directory). Nothing is downloaded.
 */
public final class BundledModels {

    /** The bundled CLIP, trained on the Shapes world (see its MODEL_CARD.md). */
    static final String SHAPES_CLIP = "shapes-clip";

    private BundledModels() {}

    /** {@code models/<name>} as a directory, if found. */
    public static Optional<Path> find(String name) {
        for (Path start : starts()) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path candidate = p.resolve("models").resolve(name);
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The CLIP folder to use: {@code option} (the --clip value) when given, else the bundled shapes-clip. Checked here
     * for a known layout, so a wrong folder fails before anything runs.
     *
     * @param missing what to say when there is no --clip and no bundled model, before the search path
     * @throws IllegalArgumentException naming --clip, what it must hold and what it is
     */
    static Path clipFolder(Path option, String missing) {
        Path dir = option;
        if (dir == null) {
            dir = find(SHAPES_CLIP).orElseThrow(() -> new IllegalArgumentException(missing + ": pass --clip DIR (the"
                    + " bundled " + searched(SHAPES_CLIP) + " was not found)"));
        } else if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--clip must be a CLIP model folder, but is: " + dir + " ("
                    + (Files.exists(dir) ? "not a directory" : "no such directory") + ")");
        }
        if (ClipLayout.detect(dir).isEmpty()) {
            throw new IllegalArgumentException("--clip must be a CLIP model folder holding onnx/text_model.onnx and"
                    + " onnx/vision_model.onnx (transformers.js layout) or model.onnx (Optimum layout), but " + dir
                    + " holds neither");
        }
        return dir;
    }

    /** {@code dir} as the user would type it: relative to the working directory when inside it, else absolute. */
    static String shown(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }

    /** Where {@link #find} looks, for error messages. */
    static String searched(String name) {
        List<String> where = new ArrayList<>();
        for (Path s : starts()) {
            where.add(s.toString());
        }
        return "models/" + name + " in " + String.join(" or ", where) + " or any parent";
    }

    private static Set<Path> starts() {
        Set<Path> starts = new LinkedHashSet<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            var source = BundledModels.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path code = Path.of(source.getLocation().toURI()).toAbsolutePath();
                starts.add(Files.isDirectory(code) ? code : code.getParent());
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException
                 | java.nio.file.FileSystemNotFoundException e) {
            // no usable code location: the working directory alone is searched
        }
        starts.remove(null);
        return starts;
    }
}
