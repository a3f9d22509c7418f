package dev.tempera.shapes;

import java.util.Objects;

/**
 * One shape of a scene. Immutable; all components are required.
 *
 * @param kind what it is
 * @param color its fill colour
 * @param size how big it is drawn
 * @param position where its anchor sits
 */
public record Shape(ShapeKind kind, ShapeColor color, Size size, Position position) {

    public Shape {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
    }

    @Override
    public String toString() {
        return size.english() + " " + color.english() + " " + kind.english() + " at " + position.english();
    }
}
