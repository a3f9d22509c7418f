package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A word of the Shapes world with its canonical English and Chinese names. */
public interface Bilingual {

    /** The canonical English name, lower case; also the name used in JSON. */
    String english();

    /** The canonical Chinese name. */
    String chinese();

    /** The name in {@code language}. */
    default String name(Language language) {
        return language == Language.ZH ? chinese() : english();
    }

    /**
     * The constant whose English name is {@code name} (trimmed, any case).
     *
     * @param what what the constants are, for the message: {@code "Unknown colour 'x'; known: [...]"}
     * @throws IllegalArgumentException naming the known names
     */
    static <E extends Enum<E> & Bilingual> E parse(Class<E> type, String what, String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.english().equals(n)) {
                return e;
            }
            known.add(e.english());
        }
        throw new IllegalArgumentException("Unknown " + what + " '" + name + "'; known: " + known);
    }
}
