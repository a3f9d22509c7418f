package dev.tempera.text;

import java.nio.file.Files;
import java.nio.file.Path;

/** The bundled sample models, found from the module's working directory. */
public final class TestModels {

    private TestModels() {
    }

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("models").resolve("shapes-lm"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find models/shapes-lm above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public static Path shapesLm() {
        return root().resolve("models/shapes-lm");
    }

    public static Path shapesVl() {
        return root().resolve("models/shapes-vl");
    }

    /** The chat prompt shapes-lm's template renders for one user message (see its MODEL_CARD). */
    public static String chatPrompt(String user) {
        return "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" + user
                + "<|im_end|>\n<|im_start|>assistant\n";
    }
}
