package dev.tempera.eval.align;

import dev.tempera.shapes.CaptionGrammar;
import dev.tempera.shapes.CaptionLevel;
import dev.tempera.shapes.Language;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled shapes-clip model, shared by the tests (loaded once; ORT sessions are thread-safe). */
public final class ShapesClip {

    private static ClipModel model;

    private ShapesClip() {}

    /** {@code models/shapes-clip}, searched upwards from the working directory. */
    public static Path dir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path candidate = p.resolve("models/shapes-clip");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("models/shapes-clip not found above " + Path.of("").toAbsolutePath());
    }

    /** The model, loaded on first use with 2 ORT threads and kept for the JVM's life. */
    public static synchronized ClipModel model() {
        if (model == null) {
            model = ClipModel.load(dir(), 2, ClipModel.DEFAULT_BATCH_SIZE);
        }
        return model;
    }

    public static BufferedImage render(Scene scene) {
        return Renderer.render(scene);
    }

    /** The first detailed caption the grammar gives the scene. */
    public static String caption(Scene scene, Language language) {
        return CaptionGrammar.all(scene, language, CaptionLevel.DETAILED).get(0);
    }
}
