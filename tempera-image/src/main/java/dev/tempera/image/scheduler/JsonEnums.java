package dev.tempera.image.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Maps the string values of {@code scheduler_config.json} onto enums, failing with the allowed values. */
final class JsonEnums {

    private JsonEnums() {
    }

    /**
     * The constant whose json name is {@code text}.
     *
     * @throws IllegalArgumentException {@code "<key> must be one of [a, b], but is: 'x'"}
     */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> jsonName, String key, String text) {
        for (E e : values) {
            if (jsonName.apply(e).equals(text)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : values) {
            names.add(jsonName.apply(e));
        }
        throw new IllegalArgumentException(key + " must be one of " + names + ", but is: '" + text + "'");
    }
}
