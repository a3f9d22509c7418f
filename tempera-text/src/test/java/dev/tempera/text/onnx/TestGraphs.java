package dev.tempera.text.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tiny decoder graphs of tools/conformance/graphs/make_test_graphs.py (vocabulary 16, 2 layers, 2 heads of 4). */
final class TestGraphs {

    static final int VOCAB = 16;

    private TestGraphs() {
    }

    /** Copies graph {@code name} into {@code dir} as {@code fileName}. */
    static Path copy(String name, Path dir, String fileName) {
        try (InputStream in = TestGraphs.class.getResourceAsStream("/graphs/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test graph /graphs/" + name);
            }
            Files.createDirectories(dir);
            Path out = dir.resolve(fileName);
            Files.copy(in, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model folder holding graph {@code name} as {@code model.onnx} and a minimal config.json. */
    static Path folder(String name, Path dir, int context) {
        copy(name, dir, "model.onnx");
        try {
            Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"test\", \"vocab_size\": " + VOCAB
                    + ", \"max_position_embeddings\": " + context + "}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
