package dev.tempera.runtime.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;

/**
 * Jinja's {@code trim} filter, {@code str(value).strip(chars)} with Python's whitespace (U+00A0, U+3000… count),
 * replacing Jinjava's, which strips only characters up to U+0020 and turns an undefined value into {@code "null"}.
 * Llama-style templates trim every message with it.
 */
final class TrimFilter implements Filter {

    @Override
    public String getName() {
        return "trim";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return PythonStrings.strip(PythonStr.str(var), args.length > 0 ? args[0] : null);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object chars = args.length > 0 ? args[0] : kwargs.get("chars");
        if (args.length > 1 || (chars != null && !(chars instanceof String))) {
            throw new IllegalArgumentException("trim takes one optional string argument (chars), but got: "
                    + args.length + " arguments " + kwargs.keySet());
        }
        return PythonStrings.strip(PythonStr.str(var), (String) chars);
    }
}
