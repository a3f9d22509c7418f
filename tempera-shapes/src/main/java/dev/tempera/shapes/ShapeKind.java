package dev.tempera.shapes;


/**
 * What a shape is. Every kind is drawn upright (the triangle and the star point up), filled, and fits in a box of
 * side {@code 2.2 × radius} around its anchor (see {@link Size#radius()}).
 */
public enum ShapeKind implements Bilingual {
    CIRCLE("circle", "圆形"),
    SQUARE("square", "正方形"),
    TRIANGLE("triangle", "三角形"),
    STAR("star", "星形"),
    DIAMOND("diamond", "菱形");

    private final String english;
    private final String chinese;

    ShapeKind(String english, String chinese) {
        this.english = english;
        this.chinese = chinese;
    }

    /** The canonical English noun, lower case ({@code "circle"}); also the name used in JSON. */
    @Override
    public String english() {
        return english;
    }

    /** The canonical Chinese noun ({@code "圆形"}). */
    @Override
    public String chinese() {
        return chinese;
    }


    /**
     * Parses a canonical English name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static ShapeKind parse(String name) {
        return Bilingual.parse(ShapeKind.class, "shape kind", name);
    }
}
