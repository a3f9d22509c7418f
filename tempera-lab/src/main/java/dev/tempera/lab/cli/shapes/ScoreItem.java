package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.TextParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of {@code tempera shapes score --in}: what to score, parsed and checked before any scoring starts, so a
 * bad line fails the run at once instead of after minutes of image checks. Three kinds, told apart by their fields:
 * <ul>
 *   <li>{@link ImagePrompt}: {@code {"image": "x.png", "prompt": "a red circle"}};
 *   <li>{@link DescribedScene}: {@code {"text": "...", "scene": {...}}}, a description of a known scene;
 *   <li>{@link FreeText}: {@code {"text": "..."}}, a text that should describe a complete, valid scene.
 * </ul>
 * Every kind may carry {@code "group"} (a string); other fields are kept and echoed, not read.
 */
sealed interface ScoreItem permits ScoreItem.ImagePrompt, ScoreItem.DescribedScene, ScoreItem.FreeText {

    /** The 1-based line number in the input file. */
    int line();

    /** The line as read; not modified (the per-item result is written into a copy). */
    ObjectNode input();

    /** The group the item is summarised in besides the overall summary; empty when the line names none. */
    Optional<String> group();

    /** An image to check and the prompt it was generated from. */
    record ImagePrompt(int line, ObjectNode input, Optional<String> group, Path image, Description prompt)
            implements ScoreItem {
        public ImagePrompt {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /** A description to score against the scene it describes. */
    record DescribedScene(int line, ObjectNode input, Optional<String> group, Description text, Scene scene)
            implements ScoreItem {
        public DescribedScene {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(scene, "scene");
        }
    }

    /** A text that should state a complete, valid scene. */
    record FreeText(int line, ObjectNode input, Optional<String> group, Description text) implements ScoreItem {
        public FreeText {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * Parses one line.
     *
     * @param baseDir the input file's directory: relative image paths are resolved against it
     * @throws IllegalArgumentException saying what is wrong with the line (the caller adds the line number): not a JSON
     *     object, neither or both of "image" and "text", a blank text, a missing image file, a bad scene
     */
    static ScoreItem parse(int line, String json, Path baseDir, ObjectMapper mapper) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode input)) {
            throw new IllegalArgumentException("must be a JSON object, but is: " + abbreviate(json));
        }
        Optional<String> group = Optional.empty();
        if (input.has("group")) {
            if (!input.get("group").isTextual()) {
                throw new IllegalArgumentException("\"group\" must be a string, but is: " + input.get("group"));
            }
            group = Optional.of(input.get("group").asText());
        }
        boolean hasImage = input.has("image");
        boolean hasText = input.has("text");
        if (hasImage == hasText) {
            List<String> fields = new ArrayList<>();
            input.fieldNames().forEachRemaining(fields::add);
            throw new IllegalArgumentException((hasImage ? "has both \"image\" and \"text\"" : "has neither \"image\" nor "
                    + "\"text\"") + "; an item is {\"image\", \"prompt\"}, {\"text\", \"scene\"} or {\"text\"}, but its "
                    + "fields are: " + fields);
        }
        if (hasImage) {
            String image = nonBlank(input, "image");
            Path path = baseDir.resolve(image).normalize();
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("\"image\" must be an existing image file, but is: " + image
                        + (path.toString().equals(image) ? "" : " (" + path + ")") + ": "
                        + (Files.exists(path) ? "not a regular file" : "no such file"));
            }
            if (!input.has("prompt")) {
                throw new IllegalArgumentException("an \"image\" item needs the \"prompt\" to score it against");
            }
            return new ImagePrompt(line, input, group, path, parseText(input, "prompt"));
        }
        Description text = parseText(input, "text");
        if (input.has("scene")) {
            return new DescribedScene(line, input, group, text, SceneJson.parse(input.get("scene")));
        }
        return new FreeText(line, input, group, text);
    }

    private static Description parseText(ObjectNode input, String key) {
        return TextParser.parse(nonBlank(input, key));
    }

    private static String nonBlank(ObjectNode input, String key) {
        JsonNode v = input.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string with at least one non-blank character, "
                    + "but is: " + v);
        }
        return v.asText();
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }
}
