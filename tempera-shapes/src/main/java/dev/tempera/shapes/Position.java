package dev.tempera.shapes;

import java.util.Locale;

/**
 * Where a shape's anchor sits, as fractions of the image width ({@link #x()}) and height ({@link #y()}), y down.
 * Side anchors are 0.22 from their edge, so a large shape keeps a margin of about 0.04 from the border.
 */
public enum Position implements Bilingual {
    LEFT("left", "左边", 0.22, 0.5),
    RIGHT("right", "右边", 0.78, 0.5),
    TOP("top", "顶部", 0.5, 0.22),
    BOTTOM("bottom", "底部", 0.5, 0.78),
    CENTRE("centre", "中间", 0.5, 0.5);

    private final String english;
    private final String chinese;
    private final double x;
    private final double y;

    Position(String english, String chinese, double x, double y) {
        this.english = english;
        this.chinese = chinese;
        this.x = x;
        this.y = y;
    }

    /** The canonical English name ({@code "centre"}, British spelling); also the name used in JSON. */
    @Override
    public String english() {
        return english;
    }

    @Override
    public String chinese() {
        return chinese;
    }


    /** Anchor x as a fraction of the image width, in [0, 1]. */
    public double x() {
        return x;
    }

    /** Anchor y as a fraction of the image height, in [0, 1], measured downwards. */
    public double y() {
        return y;
    }

    /**
     * Parses a canonical English name, case-insensitively ({@code "center"} and {@code "middle"} mean centre).
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static Position parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("center") || n.equals("middle")) {
            return CENTRE;
        }
        return Bilingual.parse(Position.class, "position", name);
    }
}
