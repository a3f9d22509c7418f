package dev.tempera.runtime.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code tojson} filter: {@code tojson(x, ensure_ascii=False, indent=None, separators=None,
 * sort_keys=False)}, which is {@code json.dumps} with those options. It replaces Jinjava's (and Jinja's) own filter,
 * which escapes HTML characters and formats differently; tool schemas are written into prompts with it, so the output
 * must match Python's byte for byte (see {@link PythonJson}).
 *
 * <p>Arguments may be positional, in that order, or named. Truthiness decides the two flags, as in Python; the indent
 * is an integer (spaces) or a string; separators are a pair of strings. Anything else fails the render.
 */
final class ToJsonFilter implements Filter {

    private static final List<String> PARAMETERS = List.of("ensure_ascii", "indent", "separators", "sort_keys");

    @Override
    public String getName() {
        return "tojson";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return PythonJson.dumps(var, PythonJson.Options.DEFAULT);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object[] values = new Object[PARAMETERS.size()];
        if (args.length > values.length) {
            throw new IllegalArgumentException("tojson takes at most " + values.length + " arguments "
                    + PARAMETERS + ", but got: " + args.length);
        }
        System.arraycopy(args, 0, values, 0, args.length);
        for (Map.Entry<String, Object> e : kwargs.entrySet()) {
            int index = PARAMETERS.indexOf(e.getKey());
            if (index < 0) {
                throw new IllegalArgumentException("tojson has no argument '" + e.getKey() + "'; known: " + PARAMETERS);
            }
            values[index] = e.getValue();
        }
        String itemSeparator = null;
        String keySeparator = null;
        if (values[2] != null) {
            String[] pair = separators(values[2]);
            itemSeparator = pair[0];
            keySeparator = pair[1];
        }
        return PythonJson.dumps(var, new PythonJson.Options(truthy(values[0]), indent(values[1]), itemSeparator,
                keySeparator, truthy(values[3])));
    }

    /** Python's json.dumps: an int indent means that many spaces (none for 0 or less), a string is used as is. */
    private static String indent(Object indent) {
        if (indent == null) {
            return null;
        }
        if (indent instanceof String) {
            return (String) indent;
        }
        if (indent instanceof Number && !(indent instanceof Double || indent instanceof Float)) {
            return " ".repeat(Math.max(0, ((Number) indent).intValue()));
        }
        throw new IllegalArgumentException("tojson indent must be an integer or a string, but is: "
                + PythonStr.repr(indent));
    }

    private static String[] separators(Object separators) {
        if (separators instanceof Collection<?> && ((Collection<?>) separators).size() == 2) {
            Iterator<?> it = ((Collection<?>) separators).iterator();
            Object item = it.next();
            Object key = it.next();
            if (item instanceof String && key instanceof String) {
                return new String[] {(String) item, (String) key};
            }
        }
        throw new IllegalArgumentException("tojson separators must be a pair of strings (item, key), but is: "
                + PythonStr.repr(separators));
    }

    /** Python truthiness for the flag arguments. */
    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue() != 0;
        }
        if (value instanceof CharSequence) {
            return ((CharSequence) value).length() > 0;
        }
        if (value instanceof Collection<?>) {
            return !((Collection<?>) value).isEmpty();
        }
        if (value instanceof Map<?, ?>) {
            return !((Map<?, ?>) value).isEmpty();
        }
        return true;
    }
}
