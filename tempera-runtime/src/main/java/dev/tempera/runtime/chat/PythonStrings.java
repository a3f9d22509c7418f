package dev.tempera.runtime.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python 3's {@code str} methods, as chat templates call them ({@code text.strip()}, {@code s.split(',')}…), with
 * Python's rules rather than Java's: whitespace is what {@code str.isspace()} accepts (so U+00A0 and U+3000 count,
 * unlike {@link String#strip()}), {@code split()} without a separator drops empty fields, {@code replace} takes a
 * count. Stateless; every method is a pure function of its arguments.
 */
final class PythonStrings {

    private PythonStrings() {}

    /** {@code str.isspace()} for one code point: Unicode White_Space plus the ASCII separators U+001C..U+001F. */
    static boolean isSpace(int cp) {
        switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029,
                    0x202F, 0x205F, 0x3000:
                return true;
            default:
                return cp >= 0x2000 && cp <= 0x200A;
        }
    }

    /** Whether {@code s[from:]} is non-empty and all whitespace (Python's {@code \s+} full match). */
    static boolean isAllSpace(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code s.strip(chars)}; {@code chars == null} strips whitespace. */
    static String strip(String s, String chars) {
        return rstrip(lstrip(s, chars), chars);
    }

    /** {@code s.lstrip(chars)}; {@code chars == null} strips whitespace. */
    static String lstrip(String s, String chars) {
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!stripped(cp, chars)) {
                break;
            }
            i += Character.charCount(cp);
        }
        return s.substring(i);
    }

    /** {@code s.rstrip(chars)}; {@code chars == null} strips whitespace. */
    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0) {
            int cp = s.codePointBefore(end);
            if (!stripped(cp, chars)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(Character.toString(cp)) >= 0;
    }

    /**
     * {@code s.split(sep, maxsplit)}. With {@code sep == null}, splits on runs of whitespace and drops empty fields
     * (Python's special case); with a separator, keeps empty fields. {@code maxsplit < 0} means no limit.
     */
    static List<String> split(String s, String sep, int maxsplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(s.substring(i)); // the rest, trailing whitespace kept as Python does
                    break;
                }
                int start = i;
                while (i < n && !isSpace(s.charAt(i))) {
                    i++;
                }
                out.add(s.substring(start, i));
            }
            return out;
        }
        requireSeparator(sep);
        int start = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, start);
            if (at < 0) {
                break;
            }
            out.add(s.substring(start, at));
            start = at + sep.length();
        }
        out.add(s.substring(start));
        return out;
    }

    /** {@code s.rsplit(sep, maxsplit)}: like {@link #split} but counts splits from the right. */
    static List<String> rsplit(String s, String sep, int maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, -1);
        }
        List<String> reversed = new ArrayList<>();
        if (sep == null) {
            int end = s.length();
            while (true) {
                while (end > 0 && isSpace(s.charAt(end - 1))) {
                    end--;
                }
                if (end <= 0) {
                    break;
                }
                if (reversed.size() == maxsplit) {
                    reversed.add(s.substring(0, end)); // the rest, leading whitespace kept
                    break;
                }
                int stop = end;
                while (end > 0 && !isSpace(s.charAt(end - 1))) {
                    end--;
                }
                reversed.add(s.substring(end, stop));
            }
        } else {
            requireSeparator(sep);
            int end = s.length();
            while (reversed.size() < maxsplit) {
                int at = s.lastIndexOf(sep, end - sep.length());
                if (at < 0 || end - sep.length() < 0) {
                    break;
                }
                reversed.add(s.substring(at + sep.length(), end));
                end = at;
            }
            reversed.add(s.substring(0, end));
        }
        List<String> out = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
            out.add(reversed.get(i));
        }
        return out;
    }

    /** {@code s.splitlines()}: splits at every Python line boundary, line ends dropped. */
    static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (isLineBreak(c)) {
                out.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    private static boolean isLineBreak(char c) {
        switch (c) {
            case '\n', '\r', 0x0B, '\f', 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                return true;
            default:
                return false;
        }
    }

    /** {@code s.replace(old, new, count)}; {@code count < 0} replaces all. An empty {@code old} inserts between characters. */
    static String replace(String s, String old, String replacement, int count) {
        if (count == 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int done = 0;
        if (old.isEmpty()) {
            int i = 0;
            while (i <= s.length()) {
                if (count < 0 || done < count) {
                    out.append(replacement);
                    done++;
                }
                if (i == s.length()) {
                    break;
                }
                int cp = s.codePointAt(i);
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
            return out.toString();
        }
        int start = 0;
        while (count < 0 || done < count) {
            int at = s.indexOf(old, start);
            if (at < 0) {
                break;
            }
            out.append(s, start, at).append(replacement);
            start = at + old.length();
            done++;
        }
        return out.append(s.substring(start)).toString();
    }

    /** {@code s.upper()}: full Unicode mapping, independent of the default locale ({@code ß} becomes {@code SS}). */
    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /** {@code s.lower()}. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** {@code s.capitalize()}: the first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(lower(s.substring(Character.charCount(first)))).toString();
    }

    /** {@code s.title()}: each run of cased letters starts title-cased and continues lower-cased. */
    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (previousCased) {
                out.append(lower(Character.toString(cp)));
            } else {
                out.appendCodePoint(Character.toTitleCase(cp));
            }
            previousCased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    /** {@code s.find(sub)} as a code-point index, or -1. */
    static int find(String s, String sub) {
        int at = s.indexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }

    /** {@code s.rfind(sub)} as a code-point index, or -1. */
    static int rfind(String s, String sub) {
        int at = s.lastIndexOf(sub);
        return at < 0 ? -1 : s.codePointCount(0, at);
    }

    /** {@code s.count(sub)}: non-overlapping occurrences; an empty {@code sub} counts the gaps between characters. */
    static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1;
        }
        int n = 0;
        int at = s.indexOf(sub);
        while (at >= 0) {
            n++;
            at = s.indexOf(sub, at + sub.length());
        }
        return n;
    }

    private static void requireSeparator(String sep) {
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
    }
}
