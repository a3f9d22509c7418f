package dev.tempera.shapes;

import java.util.Objects;
import java.util.Optional;

/**
 * A shape as a text describes it: each attribute is present only if the text states it.
 *
 * @param kind the kind, if stated
 * @param color the colour, if stated
 * @param size the size, if stated
 * @param position the position, if stated
 */
public record MentionedShape(Optional<ShapeKind> kind, Optional<ShapeColor> color, Optional<Size> size,
                             Optional<Position> position) {

    public MentionedShape {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
    }

    /** A mention that states every attribute of {@code shape}. */
    public static MentionedShape of(Shape shape) {
        return new MentionedShape(Optional.of(shape.kind()), Optional.of(shape.color()), Optional.of(shape.size()),
                Optional.of(shape.position()));
    }

    /** The shape, if every attribute is stated. */
    public Optional<Shape> toShape() {
        if (kind.isPresent() && color.isPresent() && size.isPresent() && position.isPresent()) {
            return Optional.of(new Shape(kind.get(), color.get(), size.get(), position.get()));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return String.join(" ", size.map(Size::english).orElse("?size"), color.map(ShapeColor::english).orElse("?colour"),
                kind.map(ShapeKind::english).orElse("?kind"), "at", position.map(Position::english).orElse("?position"));
    }
}
