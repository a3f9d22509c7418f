package dev.tempera.text.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.io.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The transformers.js goldens under src/test/resources/conformance (written by
 * tools/conformance/generate/tjs_goldens.mjs; see its README for what each field is).
 */
final class Goldens {

    private Goldens() {
    }

    static JsonNode read(String name) {
        try (InputStream in = Goldens.class.getResourceAsStream("/conformance/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /conformance/" + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(String name) {
        List<JsonNode> out = new ArrayList<>();
        read(name).get("cases").forEach(out::add);
        return out;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    /** A float .npy resource ({@link NpyArray}), flattened in C order. */
    static float[] npyFloats(String name) {
        try (InputStream in = Goldens.class.getResourceAsStream("/conformance/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /conformance/" + name);
            }
            return NpyArray.parse("/conformance/" + name, in.readAllBytes()).toFloats();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
