package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Lists of names for error messages. */
final class Names {
    private Names() {}

    static List<String> english(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(v.name().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
