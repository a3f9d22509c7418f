package dev.tempera.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Reads a {@code preprocessor_config.json} with the errors the image processors' configs promise. */
final class PreprocessorConfigFile {

    private PreprocessorConfigFile() {
    }

    /**
     * Parses {@code file} with {@code parse}.
     *
     * @param what what the settings are, for the message ("Qwen2-VL image settings")
     * @throws IllegalArgumentException if the file does not exist
     * @throws IllegalStateException if it is not valid JSON or {@code parse} rejects it (the message names the file)
     */
    static <T> T read(Path file, String what, Function<JsonNode, T> parse) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("preprocessor config must be an existing file, but is: "
                    + (file == null ? "null" : file.toAbsolutePath()));
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
        try {
            return parse.apply(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds invalid " + what + ": " + e.getMessage(), e);
        }
    }
}
