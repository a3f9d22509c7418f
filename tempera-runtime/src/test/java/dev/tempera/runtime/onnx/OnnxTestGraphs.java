package dev.tempera.runtime.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies the tiny graphs of src/test/resources/dev/tempera/runtime/onnx (see make_graphs.py there) into a folder. */
final class OnnxTestGraphs {

    private OnnxTestGraphs() {}

    /** Copies resource {@code name} (e.g. {@code "external/model.onnx"}) to {@code target}; returns {@code target}. */
    static Path copy(String name, Path target) {
        try (InputStream in = OnnxTestGraphs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + name);
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
