package dev.tempera.runtime.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * Jinja's {@code length} (and its alias {@code count}): Python's {@code len()}, which counts a string's code points.
 * Jinjava's counts UTF-16 units, so an emoji would count 2. Lists, dicts and other values are left to Jinjava's
 * filter.
 */
final class LengthFilter implements Filter {

    private final String name;
    private final com.hubspot.jinjava.lib.filter.LengthFilter jinjava = new com.hubspot.jinjava.lib.filter.LengthFilter();

    LengthFilter(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        if (var instanceof CharSequence) {
            String s = var.toString();
            return s.codePointCount(0, s.length());
        }
        return jinjava.filter(var, interpreter, args);
    }
}
