package dev.tempera.runtime.chat;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Applies Jinja2's whitespace control to a template's source, the way Jinja2's lexer does with transformers'
 * settings ({@code trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False}), and returns an equivalent
 * template with no whitespace control left in it, for Jinjava to render with its own trimming switched off.
 *
 * <p>Why not Jinjava's {@code trimBlocks}/{@code lstripBlocks}: Jinjava strips spaces before every block tag, even
 * in the middle of a line ({@code "a {% if x %}"} loses its space), where Jinja2 only strips a line's leading
 * indentation; and it does not know the {@code +} modifiers. Chat-template output is compared byte for byte, so the
 * rules are applied here, in one pass, exactly as Jinja2's lexer applies them:
 * <ol>
 *   <li>line breaks {@code \r\n} and {@code \r} become {@code \n}, and one trailing newline is dropped;</li>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} strip all whitespace (newlines too) before the tag;</li>
 *   <li>{@code -%}}, {@code -}}}, {@code -#}} strip all whitespace after it;</li>
 *   <li>lstrip_blocks: before {@code {%} and {@code {#} (not {@code {{}, spaces and tabs between the start of the
 *       line and the tag are removed, unless the tag opens with {@code {%+};</li>
 *   <li>trim_blocks: the first newline after {@code %}} or {@code #}} is removed, unless the tag closes with
 *       {@code +%}};</li>
 *   <li>{@code {% raw %}...{% endraw %}} content is kept verbatim (its own tags obey the rules above);
 *       comments are dropped.</li>
 * </ol>
 * Every newline the pass removes is written back inside an empty comment ({@code {#\n#}}), which renders as nothing
 * but keeps Jinjava's line numbers equal to the source's, so error messages point at the right line.
 *
 * <p>Inside {@code {{ }}} and {@code {% %}} the scan skips string literals and only ends a tag when brackets balance,
 * as Jinja2 does, so {@code {{ "}}" }}} and {@code {{ {'a': 1}}}} are read correctly. The same scan reports the
 * lexical errors Jinja2 reports at load time: an unclosed tag, comment or raw block, and unbalanced brackets.
 */
final class JinjaWhitespace {

    private final String source;
    private final String origin;
    private final StringBuilder out = new StringBuilder();
    private int pos;
    /** Jinja2's {@code line_starting}: the last token consumed ended with a newline (true at the start). */
    private boolean lineStarting = true;

    private JinjaWhitespace(String source, String origin) {
        this.source = source;
        this.origin = origin;
    }

    /**
     * The template with Jinja2's whitespace control applied and removed.
     *
     * @param origin where the template came from, for error messages
     * @throws ChatTemplateException on a lexical error, with its line number
     */
    static String apply(String template, String origin) {
        JinjaWhitespace pass = new JinjaWhitespace(normaliseNewlines(template), origin);
        pass.run();
        return pass.out.toString();
    }

    /** Jinja2 3.x: only {@code \r\n}, {@code \r} and {@code \n} are line breaks; one trailing newline is dropped. */
    static String normaliseNewlines(String template) {
        String s = template.replace("\r\n", "\n").replace('\r', '\n');
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private void run() {
        while (pos < source.length()) {
            int tag = nextTagStart(pos);
            if (tag < 0) {
                emitText(source.substring(pos));
                return;
            }
            char kind = source.charAt(tag + 1); // '{', '%' or '#'
            char sign = tag + 2 < source.length() ? source.charAt(tag + 2) : 0;
            boolean raw = kind == '%' && rawBeginEnd(tag) >= 0;
            String text = source.substring(pos, tag);
            String kept = beforeTag(text, sign, kind != '{');
            emitText(kept);
            keepLines(text.substring(kept.length()));
            if (raw) {
                raw(tag);
            } else if (kind == '#') {
                comment(tag);
            } else {
                tag(tag, kind);
            }
        }
    }

    /** The first {@code {{}, {@code {%} or {@code {#} at or after {@code from}, or -1. */
    private int nextTagStart(int from) {
        int i = source.indexOf('{', from);
        while (i >= 0 && i + 1 < source.length()) {
            char next = source.charAt(i + 1);
            if (next == '{' || next == '%' || next == '#') {
                return i;
            }
            i = source.indexOf('{', i + 1);
        }
        return -1;
    }

    /** The text before a tag, with the tag's left-side whitespace control applied. */
    private String beforeTag(String text, char sign, boolean lstripApplies) {
        if (sign == '-') {
            return PythonStrings.rstrip(text, null);
        }
        if (sign != '+' && lstripApplies) {
            int lineStart = text.lastIndexOf('\n') + 1;
            if ((lineStart > 0 || lineStarting) && PythonStrings.isAllSpace(text, lineStart)) {
                return text.substring(0, lineStart);
            }
        }
        return text;
    }

    private void tag(int start, char kind) {
        int inner = start + 2;
        if (inner < source.length() && (source.charAt(inner) == '-' || source.charAt(inner) == '+')) {
            inner++;
        }
        boolean block = kind == '%';
        Deque<Character> brackets = new ArrayDeque<>();
        int i = inner;
        while (true) {
            if (i >= source.length()) {
                throw error(start, "unexpected end of template, the " + (block ? "{% tag" : "{{ expression")
                        + " opened here is never closed");
            }
            if (brackets.isEmpty()) {
                int end = block ? blockEnd(i) : variableEnd(i);
                if (end >= 0) {
                    String inside = source.substring(inner, i);
                    String body = separateBraces(inside.strip());
                    if (!block && (body.startsWith("-") || body.startsWith("+"))) {
                        body = "(" + body + ")"; // Jinjava would read "{{ -7 }}" as whitespace control and drop the sign
                    }
                    int leading = inside.indexOf(inside.strip());
                    out.append(block ? "{% " : "{{ ").append(newlines(inside.substring(0, leading))).append(body)
                            .append(newlines(inside.substring(leading + inside.strip().length())))
                            .append(block ? " %}" : " }}");
                    keepLines(source.substring(i, end));
                    lineStarting = end > 0 && source.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            char c = source.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipString(i, start);
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                brackets.push(c == '{' ? '}' : c == '(' ? ')' : ']');
            } else if (c == '}' || c == ')' || c == ']') {
                if (brackets.isEmpty()) {
                    throw error(i, "unexpected '" + c + "'");
                }
                char expected = brackets.pop();
                if (expected != c) {
                    throw error(i, "unexpected '" + c + "', expected '" + expected + "'");
                }
            }
            i++;
        }
    }

    /** If a block tag ends at {@code i} ({@code +%}}, {@code -%}}+whitespace, {@code %}}+newline), the end index. */
    private int blockEnd(int i) {
        if (source.startsWith("+%}", i)) {
            return i + 3;
        }
        if (source.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        if (source.startsWith("%}", i)) {
            return source.startsWith("\n", i + 2) ? i + 3 : i + 2;
        }
        return -1;
    }

    private int variableEnd(int i) {
        if (source.startsWith("-}}", i)) {
            return skipSpace(i + 3);
        }
        if (source.startsWith("}}", i)) {
            return i + 2;
        }
        return -1;
    }

    /** Skips a Jinja string literal starting at {@code quoteAt}; backslash escapes the next character. */
    private int skipString(int quoteAt, int tagStart) {
        char quote = source.charAt(quoteAt);
        int i = quoteAt + 1;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw error(quoteAt, "unexpected char " + PythonStr.reprString(String.valueOf(quote))
                + " (a string that is never closed)");
    }

    private void comment(int start) {
        int i = start + 2;
        if (i < source.length() && (source.charAt(i) == '-' || source.charAt(i) == '+')) {
            i++;
        }
        while (i < source.length()) {
            int end = -1;
            if (source.startsWith("+#}", i)) {
                end = i + 3;
            } else if (source.startsWith("-#}", i)) {
                end = skipSpace(i + 3);
            } else if (source.startsWith("#}", i)) {
                end = source.startsWith("\n", i + 2) ? i + 3 : i + 2;
            }
            if (end >= 0) {
                keepLines(source.substring(start, end));
                lineStarting = end > 0 && source.charAt(end - 1) == '\n';
                pos = end;
                return;
            }
            i++;
        }
        throw error(start, "Missing end of comment tag");
    }

    /** If a {@code {% raw %}} (with optional modifiers) starts at {@code start}, the index after it, else -1. */
    private int rawBeginEnd(int start) {
        int i = start + 2;
        if (i < source.length() && (source.charAt(i) == '-' || source.charAt(i) == '+')) {
            i++;
        }
        i = skipSpace(i);
        if (!source.startsWith("raw", i)) {
            return -1;
        }
        i = skipSpace(i + 3);
        if (source.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        return source.startsWith("%}", i) ? i + 2 : -1; // no trim_blocks newline after raw's opening tag
    }

    private void raw(int start) {
        int contentStart = rawBeginEnd(start);
        lineStarting = contentStart > 0 && source.charAt(contentStart - 1) == '\n';
        int i = contentStart;
        while (true) {
            int tag = source.indexOf("{%", i);
            if (tag < 0) {
                throw error(start, "Missing end of raw directive");
            }
            int j = tag + 2;
            char sign = j < source.length() ? source.charAt(j) : 0;
            if (sign == '-' || sign == '+') {
                j++;
            }
            j = skipSpace(j);
            if (source.startsWith("endraw", j)) {
                int end = blockEnd(skipSpace(j + 6));
                if (end >= 0) {
                    String content = beforeTag(source.substring(contentStart, tag), sign, true);
                    out.append("{% raw %}").append(content).append("{% endraw %}");
                    keepLines(newlines(source.substring(start, end)).substring(newlines(content).length()));
                    lineStarting = source.charAt(end - 1) == '\n';
                    pos = end;
                    return;
                }
            }
            i = tag + 2;
        }
    }

    /**
     * Puts a space between adjacent braces outside string literals: Jinjava ends an expression at the first
     * {@code }}} without counting brackets, so {@code {{ {'a': {}} }}} must reach it as {@code {{ {'a': {} } }}}.
     */
    static String separateBraces(String body) {
        StringBuilder out = new StringBuilder(body.length() + 4);
        char quote = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == '\\' && i + 1 < body.length()) {
                    out.append(c).append(body.charAt(++i));
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if ((c == '}' || c == '{') && out.length() > 0 && out.charAt(out.length() - 1) == c) {
                out.append(' ');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Keeps line numbers: for the newlines in {@code dropped}, text this pass removed, writes an empty comment
     * spanning as many lines, so that Jinjava's line numbers in later messages are the source's.
     */
    private void keepLines(String dropped) {
        String lines = newlines(dropped);
        if (!lines.isEmpty()) {
            out.append("{#").append(lines).append("#}");
        }
    }

    private static String newlines(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return "\n".repeat(n);
    }

    private int skipSpace(int i) {
        while (i < source.length() && PythonStrings.isSpace(source.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * Appends template text. Dropping a comment or whitespace can put a '{' right before a tag ("a{" + "{{ x }}"),
     * which Jinjava would read as a different tag; a text's trailing '{' is therefore written as an expression.
     */
    private void emitText(String text) {
        if (text.endsWith("{")) {
            out.append(text, 0, text.length() - 1).append("{{ '{' }}");
        } else {
            out.append(text);
        }
    }

    private ChatTemplateException error(int at, String message) {
        int line = 1;
        for (int i = 0; i < at && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return new ChatTemplateException(origin, "chat template " + origin + " has a syntax error at line " + line
                + ": " + message);
    }
}
