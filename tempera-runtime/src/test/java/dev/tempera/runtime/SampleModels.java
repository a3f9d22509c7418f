package dev.tempera.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the bundled sample models ({@code models/} at the repository root) from a module's working directory. */
public final class SampleModels {

    private SampleModels() {}

    /** {@code models/<name>}, searched upwards from the working directory. */
    public static Path dir(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path candidate = p.resolve("models").resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("models/" + name + " not found above " + Path.of("").toAbsolutePath());
    }
}
