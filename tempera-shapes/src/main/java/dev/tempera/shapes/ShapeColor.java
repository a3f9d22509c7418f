package dev.tempera.shapes;


/**
 * The palette of the Shapes world: eleven colours far enough apart (at least 100 in Euclidean sRGB distance on the
 * 0–255 scale) that a checker can tell them apart after blur and JPEG compression. Used for backgrounds and shapes.
 */
public enum ShapeColor implements Bilingual {
    RED("red", "红色", 0xDC1E1E),
    ORANGE("orange", "橙色", 0xFA8200),
    YELLOW("yellow", "黄色", 0xFAEB28),
    GREEN("green", "绿色", 0x28AA3C),
    BLUE("blue", "蓝色", 0x1E50DC),
    PURPLE("purple", "紫色", 0x8C28C8),
    PINK("pink", "粉色", 0xF582BE),
    WHITE("white", "白色", 0xFAFAFA),
    BLACK("black", "黑色", 0x0F0F0F),
    GRAY("gray", "灰色", 0x808080),
    BROWN("brown", "棕色", 0x82501E);

    private final String english;
    private final String chinese;
    private final int rgb;

    ShapeColor(String english, String chinese, int rgb) {
        this.english = english;
        this.chinese = chinese;
        this.rgb = rgb;
    }

    /** The canonical English name, lower case ({@code "red"}); also the name used in JSON. */
    @Override
    public String english() {
        return english;
    }

    /** The canonical Chinese name ({@code "红色"}). */
    @Override
    public String chinese() {
        return chinese;
    }


    /** The sRGB value as {@code 0xRRGGBB}, as stored in a {@code TYPE_INT_RGB} image. */
    public int rgb() {
        return rgb;
    }

    public int red() {
        return (rgb >> 16) & 0xFF;
    }

    public int green() {
        return (rgb >> 8) & 0xFF;
    }

    public int blue() {
        return rgb & 0xFF;
    }

    /**
     * Parses a canonical English name, case-insensitively ({@code "grey"} is accepted for gray).
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static ShapeColor parse(String name) {
        if (name.trim().equalsIgnoreCase("grey")) {
            return GRAY;
        }
        return Bilingual.parse(ShapeColor.class, "colour", name);
    }
}
