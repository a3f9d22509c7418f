package dev.tempera.shapes;


/** How big a shape is drawn. */
public enum Size implements Bilingual {
    SMALL("small", "小", 0.10),
    LARGE("large", "大", 0.16);

    private final String english;
    private final String chinese;
    private final double radius;

    Size(String english, String chinese, double radius) {
        this.english = english;
        this.chinese = chinese;
        this.radius = radius;
    }

    @Override
    public String english() {
        return english;
    }

    /** The Chinese adjective without {@code 的} ({@code "大"}). */
    @Override
    public String chinese() {
        return chinese;
    }


    /**
     * The shape's radius as a fraction of the image's shorter side (0.10 small, 0.16 large). A circle's radius is
     * exactly this; every other kind stays within {@code 1.1 × radius} of its anchor.
     */
    public double radius() {
        return radius;
    }

    /**
     * Parses a canonical English name, case-insensitively.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static Size parse(String name) {
        return Bilingual.parse(Size.class, "size", name);
    }
}
