package dev.tempera.shapes;

import java.util.ArrayList;
import dev.tempera.shapes.internal.ShapeGeometry;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Shapes-world scene: a background colour and one or two shapes. Immutable and validated:
 *
 * <ul>
 *   <li>one or two shapes;
 *   <li>no shape has the background's colour;
 *   <li>shapes sit at different positions, and their outlines are at least {@link #MIN_GAP} apart (measured
 *       exactly on the outlines, as fractions of the side of a square image). In practice a shape in the centre
 *       only has small company, and only when it is small itself; two large squares never sit at adjacent sides.
 * </ul>
 *
 * {@code Scene.of(ShapeColor.BLUE, new Shape(CIRCLE, RED, LARGE, LEFT))}
 *
 * @param background the background colour
 * @param shapes the shapes, in drawing and caption order (an unmodifiable copy is kept)
 */
public record Scene(ShapeColor background, List<Shape> shapes) {

    /** The smallest distance between two shapes' outlines, as a fraction of the side of a square image. */
    public static final double MIN_GAP = 0.05;

    /** The most shapes a scene holds. */
    public static final int MAX_SHAPES = 2;

    public Scene {
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(shapes, "shapes");
        shapes = List.copyOf(shapes);
        String problem = problem(background, shapes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why {@code background} and {@code shapes} do not form a valid scene, or null if they do. */
    private static String problem(ShapeColor background, List<Shape> shapes) {
        if (shapes.isEmpty() || shapes.size() > MAX_SHAPES) {
            return "shapes must hold 1 to " + MAX_SHAPES + " shapes, but holds: " + shapes.size();
        }
        for (Shape s : shapes) {
            if (s.color() == background) {
                return "shape colour must differ from the background (" + background.english() + "), but is: " + s;
            }
        }
        for (int i = 0; i < shapes.size(); i++) {
            for (int j = i + 1; j < shapes.size(); j++) {
                Shape a = shapes.get(i);
                Shape b = shapes.get(j);
                if (a.position() == b.position()) {
                    return "shapes must sit at different positions, but both '" + a + "' and '" + b + "' are at "
                            + a.position().english();
                }
                double clearance = ShapeGeometry.clearance(a.kind(), a.position().x(), a.position().y(),
                        a.size().radius(), b.kind(), b.position().x(), b.position().y(), b.size().radius());
                if (clearance < MIN_GAP) {
                    return String.format(Locale.ROOT,
                            "shapes must be at least %.2f apart (fraction of the image side), but '%s' and '%s' are "
                                    + "%.3f apart (next to a shape in the centre, only small shapes fit)",
                            MIN_GAP, a, b, clearance);
                }
            }
        }
        return null;
    }

    /** A scene of {@code background} and the given shapes. */
    public static Scene of(ShapeColor background, Shape... shapes) {
        return new Scene(background, List.of(shapes));
    }

    /** Whether {@code background} and {@code shapes} form a valid scene (the constructor would not throw). */
    public static boolean isValid(ShapeColor background, List<Shape> shapes) {
        return background != null && shapes != null && shapes.stream().allMatch(Objects::nonNull)
                && problem(background, shapes) == null;
    }

    /** This scene with its shapes in the opposite order; equal scenes up to order describe the same image. */
    public Scene reversed() {
        List<Shape> r = new ArrayList<>(shapes);
        java.util.Collections.reverse(r);
        return new Scene(background, r);
    }

    /** Whether {@code other} has the same background and the same shapes in any order. */
    public boolean sameAs(Scene other) {
        return background == other.background
                && shapes.size() == other.shapes.size()
                && shapes.containsAll(other.shapes)
                && other.shapes.containsAll(shapes);
    }

    @Override
    public String toString() {
        return background.english() + " background with " + String.join(" and ", shapes.stream().map(Shape::toString).toList());
    }
}
