package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.lab.cli.JsonlInput;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One prompt of a {@code tempera generate --in} file: a JSON object on one line, read and checked before the model
 * loads.
 *
 * <pre>{@code
 * {"prompt": "Describe this image.", "images": ["images/000027.png"], "group": "vl-en", "index": 27}
 * {"prompt": "Hi!", "system": "Answer briefly.", "params": {"temperature": 1.2, "top_p": 0.9, "seed": 3}}
 * }</pre>
 *
 * <p>Fields read: {@code prompt} (required, a string), {@code system} (a string; without it {@code --system}, else the
 * chat template's default), {@code images} (a list of paths, relative to the input file's folder or absolute; each
 * must exist now) and {@code params} (an object of sampling parameters under their JSON names, checked by
 * {@code SamplingParams.fromMap} later, when the flags are known). Every field, read or not, is copied to the output
 * line unchanged; the fields the output adds ({@link #WRITTEN}) must therefore not be in the input.
 *
 * @param number the 1-based line number in the file (blank lines count)
 * @param fields the whole object as read; callers copy it before adding to it
 * @param prompt the user's message
 * @param system the line's system message, when it has one
 * @param images the images, resolved against the input file's folder, in the order given
 * @param params the line's sampling parameters (JSON names), in the order given; empty without {@code params}
 */
record BatchLine(int number, ObjectNode fields, String prompt, Optional<String> system, List<Path> images,
                 Map<String, Object> params) {

    /** The fields each output line adds after the input's fields, in this order. */
    static final List<String> WRITTEN = List.of("text", "tokens", "finish_reason", "seed", "prompt_tokens");

    BatchLine {
        if (number < 1) {
            throw new IllegalArgumentException("number must be >= 1, but is: " + number);
        }
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(system, "system");
        images = List.copyOf(images);
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Parses one non-blank line.
     *
     * @param folder the input file's folder: relative image paths are resolved against it
     * @throws IllegalArgumentException saying what is wrong (the caller adds the file and line number): not JSON, not
     *     an object, a missing or non-string prompt, a non-string system, images that are not a list of strings or
     *     name a missing file, params that are not an object, or a field the output would overwrite
     */
    static BatchLine parse(int number, String json, Path folder, ObjectMapper mapper) {
        ObjectNode fields = JsonlInput.object(json, mapper);
        for (String name : WRITTEN) {
            if (fields.has(name)) {
                throw new IllegalArgumentException("has a field \"" + name + "\", which the output writes; rename it"
                        + " (the output adds " + WRITTEN + " to the input's fields)");
            }
        }
        JsonNode p = fields.get("prompt");
        if (p == null || p.isNull()) {
            throw new IllegalArgumentException("\"prompt\" is required (the user's message, a string), but the line "
                    + "has none");
        }
        if (!p.isTextual()) {
            throw new IllegalArgumentException("\"prompt\" must be a string, but is: " + p);
        }
        Optional<String> system = Optional.empty();
        JsonNode s = fields.get("system");
        if (s != null && !s.isNull()) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException("\"system\" must be a string, but is: " + s);
            }
            system = Optional.of(s.asText());
        }
        return new BatchLine(number, fields, p.asText(), system, images(fields.get("images"), folder),
                params(fields.get("params"), mapper));
    }

    private static List<Path> images(JsonNode node, Path folder) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("\"images\" must be a list of file paths, but is: " + node);
        }
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode x = node.get(i);
            if (!x.isTextual() || x.asText().isBlank()) {
                throw new IllegalArgumentException("\"images\"[" + i + "] must be a non-empty file path, but is: " + x);
            }
            Path file;
            try {
                file = folder.resolve(x.asText()).normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("\"images\"[" + i + "] is not a valid path: " + x);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("\"images\"[" + i + "] must name an existing file, but "
                        + file.toAbsolutePath() + " does not exist" + (Path.of(x.asText()).isAbsolute() ? ""
                        : " (relative paths are resolved against the input file's folder)"));
            }
            out.add(file);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(JsonNode node, ObjectMapper mapper) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("\"params\" must be an object of sampling parameters (e.g. "
                    + "{\"temperature\": 1.2, \"seed\": 3}), but is: " + node);
        }
        return mapper.convertValue(node, LinkedHashMap.class);
    }
}
