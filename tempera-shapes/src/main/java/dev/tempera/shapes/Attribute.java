package dev.tempera.shapes;

import java.util.Objects;

/**
 * One fact about a scene, such as "shape 0 is red".
 *
 * @param shape the index of the shape it is about (in the scene or description it came from), or -1 for the
 *     background
 * @param type what kind of fact it is
 * @param value the canonical English value ({@code "red"}, {@code "left"})
 */
public record Attribute(int shape, AttributeType type, String value) {

    public Attribute {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((shape == -1) != (type == AttributeType.BACKGROUND) || shape < -1) {
            throw new IllegalArgumentException("shape must be -1 exactly for the background attribute, but is: "
                    + shape + " for " + type.code());
        }
    }

    static Attribute background(ShapeColor c) {
        return new Attribute(-1, AttributeType.BACKGROUND, c.english());
    }

    @Override
    public String toString() {
        return shape < 0 ? "background=" + value : "shape" + (shape + 1) + "." + type.code() + "=" + value;
    }
}
