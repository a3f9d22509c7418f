package dev.tempera.shapes;

import java.util.Locale;

/**
 * What a shape is. Every kind is drawn upright (the triangle and the star point up), filled, and fits in a box of
 * side {@code 2.2 × radius} around its anchor (see {@link Size#radius()}).
 */
public enum ShapeKind {
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
    public String english() {
        return english;
    }

    /** The canonical Chinese noun ({@code "圆形"}). */
    public String chinese() {
        return chinese;
    }

    /** The name in {@code language}. */
    public String name(Language language) {
        return language == Language.ZH ? chinese : english;
    }

    /**
     * Parses a canonical English name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static ShapeKind parse(String name) {
        for (ShapeKind k : values()) {
            if (k.english.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("Unknown shape kind '" + name + "'; known: " + Names.english(values()));
    }
}
