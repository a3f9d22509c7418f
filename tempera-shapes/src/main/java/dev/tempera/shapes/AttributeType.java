package dev.tempera.shapes;

import java.util.Locale;

/** The kinds of fact a scene holds and a description can state. */
public enum AttributeType {
    BACKGROUND, KIND, COLOR, SIZE, POSITION;

    /** The name used in reports and JSON ({@code "color"}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
