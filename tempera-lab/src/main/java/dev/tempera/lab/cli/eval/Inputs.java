package dev.tempera.lab.cli.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.lab.cli.shapes.SceneJson;
import dev.tempera.shapes.Scene;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the files of {@code tempera eval text}: the outputs, the reference captions and the true scene. Everything is
 * checked before any model loads, and every problem becomes an {@link IllegalArgumentException} whose message names
 * the option, the file, the line and what the line must be (the command turns it into exit 2).
 */
final class Inputs {

    /** The keys an outputs line may hold. */
    static final List<String> OUTPUT_KEYS = List.of("text", "group", "config");
    /** The keys a references line may hold. */
    static final List<String> REFERENCE_KEYS = List.of("text");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Inputs() {}

    /**
     * One output: its line number, its text (may be empty: a model that said nothing), and the set it is summarised
     * in besides the overall one.
     */
    record Output(int line, String text, Optional<String> group) {}

    /**
     * Reads an outputs file: one JSON object a line, {@code {"text": "..."}} with an optional {@code "group"} (a
     * string) or {@code "config"} (a string, or an object such as the seed's {@code {"temperature": 0.1, "top_p":
     * 0.9, "name": "..."}}: its {@code "name"}, else its fields as {@code key=value, ...}). When a line has both,
     * {@code "group"} names its set. Blank lines are skipped.
     */
    static List<Output> outputs(String option, Path file) {
        return objects(option, file, "output", OUTPUT_KEYS, "{\"text\": \"...\", \"group\": \"...\"}",
                (line, where, node) -> new Output(line, text(where, node, false), group(where, node)));
    }

    /** Reads a references file: one {@code {"text": "..."}} a line, each a reference caption of the image. */
    static List<String> references(String option, Path file) {
        return objects(option, file, "reference", REFERENCE_KEYS, "{\"text\": \"...\"}",
                (line, where, node) -> text(where, node, true));
    }

    /**
     * Reads the true Shapes-world scene: a JSON object {@code {"background": ..., "shapes": [...]}}, or a line of a
     * dataset's {@code scenes.jsonl} (an object with a {@code "scene"} field).
     */
    static Scene scene(String option, Path file) {
        requireFile(option, file, "JSON file");
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(option + " must be a UTF-8 JSON file, but " + file + " is not UTF-8");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " must be a readable JSON file, but reading " + file
                    + " failed: " + e.getMessage());
        }
        JsonNode node;
        try {
            node = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(option + " " + file + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node != null && node.isObject() && node.has("scene") && !node.has("background")) {
            node = node.get("scene");
        }
        try {
            return SceneJson.parse(node);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Fails unless {@code file} is an existing, readable regular file. */
    static void requireFile(String option, Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(option + " must be an existing, readable " + what + ", but is: " + file
                    + " (" + (Files.isDirectory(file) ? "a directory" : Files.exists(file) ? "not readable"
                    : "no such file") + ")");
        }
    }

    private static List<String> lines(String option, Path file) {
        requireFile(option, file, "JSONL file");
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(option + " must be a UTF-8 JSONL file, but " + file + " is not UTF-8");
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " must be a readable JSONL file, but reading " + file
                    + " failed: " + e.getMessage());
        }
    }

    /** Reads one line's JSON object; {@code where} names the option, the file and the line for messages. */
    @FunctionalInterface
    private interface LineReader<T> {
        T read(int line, String where, JsonNode node);
    }

    /**
     * The non-blank lines of a JSONL file, each a JSON object with only {@code keys}, read in order by {@code reader}
     * (so the first bad line is the one reported). At least one line must be there.
     *
     * @param what what a line is, for the message when there is none ("output", "reference")
     */
    private static <T> List<T> objects(String option, Path file, String what, List<String> keys, String example,
                                       LineReader<T> reader) {
        List<T> out = new ArrayList<>();
        List<String> lines = lines(option, file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = option + " " + file + " line " + (i + 1);
            out.add(reader.read(i + 1, where, object(where, lines.get(i), keys, example)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(option + " must hold at least one " + what + " line {\"text\": \"...\"},"
                    + " but " + file + " has " + (lines.isEmpty() ? "no lines (empty file)" : "only blank lines"));
        }
        return out;
    }

    /** An output's set: its "group", else its "config"'s label, else none. */
    private static Optional<String> group(String where, JsonNode node) {
        if (node.has("group")) {
            JsonNode g = node.get("group");
            if (!g.isTextual() || g.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": \"group\" must be a non-blank string, but is: " + g);
            }
            return Optional.of(g.asText());
        }
        if (node.has("config")) {
            return Optional.of(configName(where, node.get("config")));
        }
        return Optional.empty();
    }

    private static JsonNode object(String where, String line, List<String> keys, String example) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON (" + e.getOriginalMessage()
                    + "); each line is " + example);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": must be a JSON object " + example + ", but is: "
                    + abbreviate(line));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key \"" + key + "\"; the keys are " + keys);
            }
        }
        return node;
    }

    private static String text(String where, JsonNode node, boolean nonBlank) {
        JsonNode t = node.get("text");
        if (t == null) {
            throw new IllegalArgumentException(where + ": \"text\" is missing; each line holds one text as {\"text\": "
                    + "\"...\"}");
        }
        if (!t.isTextual() || (nonBlank && t.asText().isBlank())) {
            throw new IllegalArgumentException(where + ": \"text\" must be a " + (nonBlank ? "non-blank " : "")
                    + "string, but is: " + abbreviate(t.toString()));
        }
        return t.asText();
    }

    /** A config's label: a string as is; an object's "name", else its scalar fields as "key=value, ...". */
    private static String configName(String where, JsonNode config) {
        if (config.isTextual() && !config.asText().isBlank()) {
            return config.asText();
        }
        if (config.isObject() && config.size() > 0) {
            JsonNode name = config.get("name");
            if (name != null && name.isTextual() && !name.asText().isBlank()) {
                return name.asText();
            }
            List<String> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode()) {
                    throw new IllegalArgumentException(where + ": \"config\" fields must be numbers, strings or"
                            + " booleans, but \"" + e.getKey() + "\" is: " + abbreviate(e.getValue().toString()));
                }
                parts.add(e.getKey() + "=" + e.getValue().asText());
            }
            return String.join(", ", parts);
        }
        throw new IllegalArgumentException(where + ": \"config\" must be a non-blank string or a non-empty object"
                + " such as {\"temperature\": 0.7, \"top_p\": 0.9, \"name\": \"...\"}, but is: "
                + abbreviate(config.toString()));
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }
}
