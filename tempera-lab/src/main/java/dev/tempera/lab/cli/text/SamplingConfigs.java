package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Named sampling configurations read from a YAML (or JSON) file, as {@code examples/seed-configs.yaml}:
 * <pre>
 * configs:
 *   - name: 低温度，高 Top-P
 *     temperature: 0.1
 *     top_p: 0.9
 * </pre>
 * A bare list of entries is accepted too. Parameter names are {@link dev.tempera.sampling.SamplingParams}'s JSON names;
 * they are checked when merged ({@link SamplingOptions#merge}), where an unknown name or a value out of range fails
 * with the file and the entry named.
 */
public final class SamplingConfigs {

    /** One entry: its name and its parameters (JSON names, values as YAML gave them). */
    public record Entry(String name, Map<String, Object> params) {
        public Entry {
            Objects.requireNonNull(name, "name");
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    private SamplingConfigs() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException when the file is missing, not YAML, empty, or an entry has no name, a
     *     duplicate name or a non-scalar value
     */
    public static List<Entry> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--configs: file does not exist: " + file);
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--configs: " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        JsonNode list = root != null && root.isObject() ? root.get("configs") : root;
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("--configs: " + file + " must hold a non-empty list 'configs' of "
                    + "entries with a name and sampling parameters");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode e : list) {
            i++;
            if (!e.isObject() || !e.hasNonNull("name") || e.get("name").asText().isBlank()) {
                throw new IllegalArgumentException("--configs: entry " + i + " of " + file + " must be a mapping with "
                        + "a non-empty 'name'");
            }
            String name = e.get("name").asText();
            if (!names.add(name)) {
                throw new IllegalArgumentException("--configs: " + file + " has two entries named '" + name + "'");
            }
            Map<String, Object> params = new LinkedHashMap<>();
            var fields = e.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                if (f.getKey().equals("name")) {
                    continue;
                }
                params.put(f.getKey(), value(file, name, f.getKey(), f.getValue()));
            }
            out.add(new Entry(name, params));
        }
        return out;
    }

    private static Object value(Path file, String entry, String key, JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<Object> items = new ArrayList<>();
            for (JsonNode x : v) {
                items.add(value(file, entry, key, x));
            }
            return items;
        }
        throw new IllegalArgumentException("--configs: '" + key + "' of entry '" + entry + "' in " + file
                + " must be a number, string, boolean or list, but is: " + v);
    }
}
