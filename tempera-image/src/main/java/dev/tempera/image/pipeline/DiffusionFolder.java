package dev.tempera.image.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading an Optimum diffusion folder: model_index.json, the parts a pipeline needs, the VAE's scaling factor. */
final class DiffusionFolder {

    private DiffusionFolder() {
    }

    static JsonNode json(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing " + file);
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** model_index.json's {@code _class_name}, checked against the pipeline classes this loader runs. */
    static JsonNode index(Path dir, List<String> classes, String what) {
        JsonNode index = json(dir.resolve("model_index.json"));
        String cls = index.path("_class_name").asText("");
        if (!classes.contains(cls)) {
            throw new IllegalArgumentException(dir + "/model_index.json names '" + cls + "'; this pipeline runs "
                    + what + " folders (" + String.join(", ", classes) + ")");
        }
        return index;
    }

    /** Fails naming the folder and the first part it lacks. */
    static void requireParts(Path dir, String what, List<String> parts) {
        for (String part : parts) {
            if (!Files.exists(dir.resolve(part))) {
                throw new IllegalArgumentException(what + " folder " + dir + " lacks " + part);
            }
        }
    }

    /** {@code scaling_factor} of vae_decoder/config.json, or {@code fallback} without one. */
    static float vaeScaling(Path dir, double fallback) {
        Path config = dir.resolve("vae_decoder/config.json");
        return (float) (Files.isRegularFile(config) ? json(config).path("scaling_factor").asDouble(fallback) : fallback);
    }

    /** Closes what was opened before a failure; the failure is the one reported. */
    static void closeQuietly(List<? extends AutoCloseable> opened) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the first failure is the one reported
            }
        }
    }
}
