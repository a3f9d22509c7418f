package dev.tempera.lab.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tempera.runtime.io.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The distribution a command works on: exactly one of {@code --logits}, {@code --probs},
 * {@code --logits-file} (a picocli exclusive group, so giving two is a usage error).
 */
final class InputOptions {

    @Option(names = "--logits", paramLabel = "Z,Z,...",
            description = "Logits, comma separated (-inf masks a token), e.g. 2,1,0.5,0.2.")
    String logits;

    @Option(names = "--probs", paramLabel = "P,P,...",
            description = "Probabilities, comma separated, e.g. 0.4,0.3,0.2,0.1; turned into logits with log (0 -> -inf).")
    String probs;

    @Option(names = "--logits-file", paramLabel = "FILE",
            description = "Logits from a file: .txt (numbers separated by commas or whitespace), "
                    + ".json (an array of numbers) or .npy (1-D float64/float32/float16, little-endian).")
    Path logitsFile;

    /** Reads and validates the input. @throws IllegalArgumentException naming the option */
    Input load() {
        if (logits != null) {
            float[] z = NumberLists.parseFloats("--logits", logits);
            return Input.ofLogits(z, "--logits");
        }
        if (probs != null) {
            return Input.ofProbs(NumberLists.parseFloats("--probs", probs));
        }
        return Input.ofLogits(readFile(logitsFile), logitsFile.toString());
    }

    static float[] readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--logits-file must be an existing file, but is: " + file
                    + (Files.exists(file) ? " (not a regular file)" : " (no such file)"));
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".npy")) {
                return fromNpy("--logits-file " + file, Files.readAllBytes(file));
            }
            String text = Files.readString(file);
            if (name.endsWith(".json")) {
                return fromJson(file, text);
            }
            if (name.endsWith(".txt") || name.endsWith(".csv")) {
                return NumberLists.parseFloats("--logits-file " + file, text);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--logits-file " + file + " cannot be read: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("--logits-file must end in .txt, .csv, .json or .npy, but is: " + file);
    }

    /**
     * The logits in the bytes of a .npy file: a 1-D float64, float32 or float16 array (float64 rounded to float).
     *
     * @param what how messages name the file, {@code "--logits-file z.npy"}
     * @throws IllegalArgumentException naming {@code what} when the bytes are not a readable .npy array, hold
     *     integers or bools, or are not 1-D
     */
    static float[] fromNpy(String what, byte[] bytes) {
        NpyArray a = NpyArray.parse(what, bytes);
        if (!a.dtype().isFloating()) {
            throw new IllegalArgumentException(what + " must hold float64, float32 or float16 logits ('<f8', '<f4' "
                    + "or '<f2'), but its dtype is '" + a.dtype().descr() + "'");
        }
        if (a.rank() != 1) {
            throw new IllegalArgumentException(what + " must hold a 1-D array of logits, but its shape "
                    + a.shapeText() + " has " + a.rank() + " dimensions");
        }
        return a.toFloats();
    }

    private static float[] fromJson(Path file, String text) throws IOException {
        String what = "--logits-file " + file;
        JsonNode node;
        try {
            node = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(what + " must hold a JSON array of numbers, but holds: "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        if (node.isEmpty()) {
            throw new IllegalArgumentException(what + " must have at least one number, but is empty");
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (v.isNumber()) {
                out[i] = NumberLists.checkValue(what, i, v.floatValue());
            } else if (v.isTextual()) {
                out[i] = NumberLists.parseOne(what, i, v.asText());
            } else {
                throw new IllegalArgumentException(what + " must hold numbers, but entry " + i + " is: " + v);
            }
        }
        return out;
    }
}
