package dev.tempera.shapes;

import java.util.Locale;

/** How much of a scene a caption states. */
public enum CaptionLevel {
    /** Each shape's colour and kind, sometimes the background colour ({@code "a red circle"}). */
    SHORT,
    /** Everything: background, and each shape's size, colour, kind and position. */
    DETAILED;

    /** The code used in JSON ({@code "short"}, {@code "detailed"}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
