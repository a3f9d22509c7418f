package dev.tempera.eval.align;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a description into sentences for {@link LongTextPolicy#SENTENCE_MEAN}: after {@code . ! ? ;} when a space
 * or the end follows (so "3.5" and "e.g.x" stay whole), right after the full-width {@code 。！？；} and {@code …}, and
 * at line breaks. Closing quotes and brackets right after a terminator stay with its sentence. Pieces without a
 * letter or digit ("...", "——") are dropped.
 */
final class Sentences {

    private Sentences() {}

    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int cut = -1;
            if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                cut = i;
            } else if (c == '。' || c == '！' || c == '？' || c == '；' || c == '…') {
                cut = afterClosers(text, i + 1);
            } else if (c == '.' || c == '!' || c == '?' || c == ';') {
                int end = afterClosers(text, i + 1);
                if (end >= n || Character.isWhitespace(text.charAt(end))) {
                    cut = end;
                }
            }
            if (cut >= 0) {
                add(out, text.substring(start, cut));
                start = cut;
                i = Math.max(i, cut - 1);
            }
        }
        add(out, text.substring(start));
        return out;
    }

    private static int afterClosers(String text, int i) {
        while (i < text.length() && "\"'”’」』)）]】".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static void add(List<String> out, String piece) {
        String s = piece.strip();
        for (int k = 0; k < s.length(); k++) {
            if (Character.isLetterOrDigit(s.codePointAt(k))) {
                out.add(s);
                return;
            }
        }
    }
}
