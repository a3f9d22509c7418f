package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a text says about a scene: the background colour if stated, and the shapes it mentions in text order. Made by
 * {@link TextParser}; immutable.
 *
 * @param background the background colour, if stated
 * @param shapes the mentioned shapes (an unmodifiable copy is kept)
 */
public record Description(Optional<ShapeColor> background, List<MentionedShape> shapes) {

    public Description {
        Objects.requireNonNull(background, "background");
        shapes = List.copyOf(shapes);
    }

    /** A description stating everything about {@code scene}. */
    public static Description of(Scene scene) {
        return new Description(Optional.of(scene.background()), scene.shapes().stream().map(MentionedShape::of).toList());
    }

    /** Whether the text stated nothing the parser understood. */
    public boolean isEmpty() {
        return background.isEmpty() && shapes.isEmpty();
    }

    /** Every stated attribute; shape attributes carry the shape's index in {@link #shapes()}. */
    public List<Attribute> attributes() {
        List<Attribute> out = new ArrayList<>();
        background.ifPresent(c -> out.add(Attribute.background(c)));
        for (int i = 0; i < shapes.size(); i++) {
            MentionedShape m = shapes.get(i);
            int index = i;
            m.kind().ifPresent(v -> out.add(new Attribute(index, AttributeType.KIND, v.english())));
            m.color().ifPresent(v -> out.add(new Attribute(index, AttributeType.COLOR, v.english())));
            m.size().ifPresent(v -> out.add(new Attribute(index, AttributeType.SIZE, v.english())));
            m.position().ifPresent(v -> out.add(new Attribute(index, AttributeType.POSITION, v.english())));
        }
        return out;
    }

    /** The scene, if every attribute is stated and they form a valid scene. */
    public Optional<Scene> toScene() {
        if (background.isEmpty() || shapes.isEmpty()) {
            return Optional.empty();
        }
        List<Shape> full = new ArrayList<>();
        for (MentionedShape m : shapes) {
            Optional<Shape> s = m.toShape();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            full.add(s.get());
        }
        return Scene.isValid(background.get(), full) ? Optional.of(new Scene(background.get(), full)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "background " + background.map(ShapeColor::english).orElse("?") + ", shapes " + shapes;
    }
}
