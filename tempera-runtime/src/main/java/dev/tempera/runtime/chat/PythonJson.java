package dev.tempera.runtime.chat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, byte for byte, for the values templates serialise (tool schemas, tool-call arguments):
 * transformers' {@code tojson} filter is {@code json.dumps(x, ensure_ascii=False, indent=None, separators=None,
 * sort_keys=False)} and templates print its result straight into the prompt, so every space matters.
 *
 * <p>The rules kept: item and key separators default to {@code ", "} and {@code ": "}, or {@code ","} and
 * {@code ": "} once an indent is given; an int indent means that many spaces, a string indent is used as is, and an
 * indent of 0 (or negative, or {@code ""}) still breaks lines; empty lists and dicts stay {@code []} and {@code {}};
 * floats are written as Python's {@code repr} ({@code 3.0}, {@code 1e-05}, {@code NaN}, {@code Infinity}); only
 * {@code "}, {@code \} and U+0000..U+001F are escaped unless {@code ensure_ascii}, which also escapes everything
 * outside U+0020..U+007E as lower-case {@code \}{@code uXXXX} (surrogate pairs above U+FFFF); dict keys keep their
 * insertion order unless sorted, and non-string keys become strings as Python converts them.
 */
final class PythonJson {

    /** Map.entry rejects null values; this stands in for them while keys are converted and sorted. */
    private static final Object NULL = new Object();

    /**
     * The {@code json.dumps} options transformers' {@code tojson} exposes.
     *
     * @param ensureAscii escape everything outside printable ASCII
     * @param indent the indent string, or {@code null} for one line
     * @param itemSeparator between items; {@code null} for Python's default
     * @param keySeparator between key and value; {@code null} for Python's default
     * @param sortKeys sort dict keys (by code point)
     */
    record Options(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {

        static final Options DEFAULT = new Options(false, null, null, null, false);

        String items() {
            return itemSeparator != null ? itemSeparator : (indent == null ? ", " : ",");
        }

        String keys() {
            return keySeparator != null ? keySeparator : ": ";
        }
    }

    private PythonJson() {}

    /**
     * Serialises {@code value}.
     *
     * @throws IllegalArgumentException for a value JSON cannot hold, as Python's "is not JSON serializable"
     */
    static String dumps(Object value, Options options) {
        StringBuilder out = new StringBuilder();
        write(out, value, options, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, Options o, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof CharSequence) {
            string(out, value.toString(), o.ensureAscii());
        } else if (value instanceof Boolean) {
            out.append((Boolean) value ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            out.append(number(((Number) value).doubleValue()));
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?>) {
            object(out, (Map<?, ?>) value, o, depth);
        } else if (value instanceof Collection<?>) {
            array(out, (Collection<?>) value, o, depth);
        } else if (value instanceof Object[]) {
            array(out, List.of((Object[]) value), o, depth);
        } else {
            throw new IllegalArgumentException("Object of type " + value.getClass().getSimpleName()
                    + " is not JSON serializable");
        }
    }

    private static void array(StringBuilder out, Collection<?> items, Options o, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            if (!first) {
                out.append(o.items());
            }
            first = false;
            newline(out, o, depth + 1);
            write(out, item, o, depth + 1);
        }
        newline(out, o, depth);
        out.append(']');
    }

    private static void object(StringBuilder out, Map<?, ?> map, Options o, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            entries.add(Map.entry(key(e.getKey()), e.getValue() == null ? NULL : e.getValue()));
        }
        if (o.sortKeys()) {
            entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : entries) {
            if (!first) {
                out.append(o.items());
            }
            first = false;
            newline(out, o, depth + 1);
            string(out, e.getKey(), o.ensureAscii());
            out.append(o.keys());
            write(out, e.getValue() == NULL ? null : e.getValue(), o, depth + 1);
        }
        newline(out, o, depth);
        out.append('}');
    }

    private static void newline(StringBuilder out, Options o, int depth) {
        if (o.indent() != null) {
            out.append('\n').append(o.indent().repeat(depth));
        }
    }

    /** Python converts str, int, float, bool and None keys to strings; anything else is a TypeError. */
    private static String key(Object key) {
        if (key instanceof CharSequence) {
            return key.toString();
        }
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean) {
            return (Boolean) key ? "true" : "false";
        }
        if (key instanceof Double || key instanceof Float || key instanceof BigDecimal) {
            return number(((Number) key).doubleValue());
        }
        if (key instanceof Number) {
            return key.toString();
        }
        throw new IllegalArgumentException("keys must be str, int, float, bool or None, not "
                + key.getClass().getSimpleName());
    }

    private static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PythonStr.floatRepr(d);
    }

    private static void string(StringBuilder out, String s, boolean ensureAscii) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // UTF-16 units are exactly the surrogate pairs Python writes for code points above U+FFFF
                    if (c < 0x20 || (ensureAscii && c > 0x7E)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
