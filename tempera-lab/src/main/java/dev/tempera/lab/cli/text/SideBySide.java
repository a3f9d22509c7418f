package dev.tempera.lab.cli.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays texts out in columns of equal width for a terminal, wrapping at spaces where there are spaces and anywhere in
 * Chinese and Japanese text, counting East Asian wide characters as two cells. Used by {@code tempera describe} to
 * show each configuration's description next to the others.
 */
public final class SideBySide {

    private static final String GAP = " │ ";

    private SideBySide() {
    }

    /**
     * The lines of {@code headers} over {@code texts}, in columns fitting {@code width} cells, or {@code null} when a
     * column would be narrower than {@code minColumn} cells (the caller then prints the texts one after another).
     */
    public static List<String> layout(List<String> headers, List<String> texts, int width, int minColumn) {
        int n = texts.size();
        int column = (width - GAP.length() * (n - 1)) / n;
        if (column < minColumn) {
            return null;
        }
        List<List<String>> cols = new ArrayList<>();
        int rows = 0;
        for (int i = 0; i < n; i++) {
            List<String> lines = new ArrayList<>(wrap(headers.get(i), column));
            lines.add("─".repeat(column));
            lines.addAll(wrap(texts.get(i), column));
            cols.add(lines);
            rows = Math.max(rows, lines.size());
        }
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String cell = r < cols.get(i).size() ? cols.get(i).get(r) : "";
                b.append(cell);
                if (i < n - 1) {
                    b.append(" ".repeat(Math.max(0, column - cells(cell)))).append(GAP);
                }
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }

    /** {@code text} wrapped to lines of at most {@code width} cells. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            int used = 0;
            int lastSpace = -1;
            for (int i = 0; i < paragraph.length(); ) {
                int cp = paragraph.codePointAt(i);
                int w = cellWidth(cp);
                if (used + w > width && line.length() > 0) {
                    if (cp != ' ' && lastSpace > 0) {
                        String rest = line.substring(lastSpace + 1);
                        lines.add(line.substring(0, lastSpace));
                        line.setLength(0);
                        line.append(rest);
                        used = cells(rest);
                    } else {
                        lines.add(line.toString());
                        line.setLength(0);
                        used = 0;
                    }
                    lastSpace = -1;
                    if (cp == ' ') {
                        i += Character.charCount(cp);
                        continue;
                    }
                }
                if (cp == ' ') {
                    lastSpace = line.length();
                }
                line.appendCodePoint(cp);
                used += w;
                i += Character.charCount(cp);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** Terminal cells of {@code s}. */
    static int cells(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            n += cellWidth(cp);
            i += Character.charCount(cp);
        }
        return n;
    }

    private static int cellWidth(int cp) {
        Character.UnicodeBlock b = Character.UnicodeBlock.of(cp);
        if (b == Character.UnicodeBlock.CJK_UNIFIED_IDEOGRAPHS || b == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
                || b == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS
                || b == Character.UnicodeBlock.CJK_UNIFIED_IDEOGRAPHS_EXTENSION_A
                || b == Character.UnicodeBlock.HIRAGANA || b == Character.UnicodeBlock.KATAKANA
                || b == Character.UnicodeBlock.HANGUL_SYLLABLES) {
            return 2;
        }
        return 1;
    }
}
