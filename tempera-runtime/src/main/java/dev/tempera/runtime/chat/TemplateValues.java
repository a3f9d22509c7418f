package dev.tempera.runtime.chat;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a caller's Java values into the JSON-like values a template may hold (what Python would pass: str, int,
 * float, bool, None, list, dict with string keys), as fresh mutable copies so a render can never change the caller's
 * objects and one render never sees another's.
 */
final class TemplateValues {

    private TemplateValues() {}

    /**
     * A deep copy of {@code value}.
     *
     * @param path where the value sits, for the error message ({@code extraVariables.tools[0].function})
     * @throws IllegalArgumentException for any other type (dates, beans, records…), naming {@code path}
     */
    static Object copy(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Map<?, ?>) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException(path + " must have string keys, but has the key: "
                            + e.getKey() + (e.getKey() == null ? "" : " (" + e.getKey().getClass().getName() + ")"));
                }
                String key = (String) e.getKey();
                copy.put(key, copy(e.getValue(), path + "." + key));
            }
            return copy;
        }
        if (value instanceof Collection<?>) {
            List<Object> copy = new ArrayList<>();
            int i = 0;
            for (Object item : (Collection<?>) value) {
                copy.add(copy(item, path + "[" + i++ + "]"));
            }
            return copy;
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            List<Object> copy = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                copy.add(copy(Array.get(value, i), path + "[" + i + "]"));
            }
            return copy;
        }
        throw new IllegalArgumentException(path + " must be a string, number, boolean, null, list or map with string "
                + "keys (what a Jinja template can hold), but is: " + value.getClass().getName());
    }
}
