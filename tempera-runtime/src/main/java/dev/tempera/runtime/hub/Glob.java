package dev.tempera.runtime.hub;

import java.util.regex.Pattern;

/**
 * A file name pattern over {@code /}-separated repo paths: {@code *} is any run of characters except {@code /},
 * {@code **} any run including {@code /}, {@code ?} one character except {@code /}; everything else is literal.
 * So {@code *.json} matches {@code config.json} but not {@code onnx/config.json}; {@code **}{@code .json} matches both.
 */
final class Glob {

    private final String text;
    private final Pattern regex;

    Glob(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("glob must not be empty, but is: '" + text + "'");
        }
        this.text = text;
        StringBuilder sb = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '*' && c != '?') {
                literal.append(c);
                continue;
            }
            if (literal.length() > 0) {
                sb.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            if (c == '?') {
                sb.append("[^/]");
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                sb.append(".*");
                i++;
            } else {
                sb.append("[^/]*");
            }
        }
        if (literal.length() > 0) {
            sb.append(Pattern.quote(literal.toString()));
        }
        this.regex = Pattern.compile(sb.toString());
    }

    boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
