package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Position;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.ShapeColor;
import dev.tempera.shapes.ShapeKind;
import dev.tempera.shapes.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a scene back from the JSON that {@link DatasetWriter#toJson(Scene)} writes into {@code scenes.jsonl}:
 * {@code {"background": "purple", "shapes": [{"kind": "star", "color": "red", "size": "large", "position": "top"}]}}.
 * Names are the canonical English ones (any case; {@code grey}, {@code center}, {@code middle} accepted).
 */
public final class SceneJson {

    private SceneJson() {}

    /**
     * @throws IllegalArgumentException naming the field, what it must be and its value, or the scene rule it breaks
     */
    public static Scene parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("\"scene\" must be an object {\"background\": ..., \"shapes\": [...]}, "
                    + "but is: " + node);
        }
        ShapeColor background = name(node, "background", "scene.background", ShapeColor::parse);
        JsonNode shapes = node.get("shapes");
        if (shapes == null || !shapes.isArray()) {
            throw new IllegalArgumentException("\"scene.shapes\" must be an array of shapes, but is: " + shapes);
        }
        List<Shape> list = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            JsonNode s = shapes.get(i);
            String where = "scene.shapes[" + i + "]";
            if (!s.isObject()) {
                throw new IllegalArgumentException("\"" + where + "\" must be an object {\"kind\", \"color\", \"size\", "
                        + "\"position\"}, but is: " + s);
            }
            list.add(new Shape(name(s, "kind", where + ".kind", ShapeKind::parse),
                    name(s, "color", where + ".color", ShapeColor::parse),
                    name(s, "size", where + ".size", Size::parse),
                    name(s, "position", where + ".position", Position::parse)));
        }
        try {
            return new Scene(background, list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"scene\" is not a valid scene: " + e.getMessage(), e);
        }
    }

    private static <T> T name(JsonNode node, String key, String where, Function<String, T> parse) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("\"" + where + "\" must be a string, but is: " + v);
        }
        try {
            return parse.apply(v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + where + "\": " + e.getMessage(), e);
        }
    }
}
