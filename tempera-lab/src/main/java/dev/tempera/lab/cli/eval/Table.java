package dev.tempera.lab.cli.eval;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * A plain-text table for a terminal: the first column left-aligned, the others right-aligned (or left, per column),
 * widths measured in terminal columns so Chinese group names (two columns per character) line up. Section lines
 * ({@link #section}) are printed as they are, between rows. Not thread-safe; print once.
 */
final class Table {

    /** Missing value: a metric that does not apply (self-BLEU of one output) or was not asked for. */
    static final String NONE = "-";

    private final List<String[]> rows = new ArrayList<>();
    private final boolean[] leftAligned;
    private int columns;

    /** @param leftAligned per column, whether it is left-aligned; columns past the array are right-aligned */
    Table(boolean... leftAligned) {
        this.leftAligned = leftAligned.clone();
    }

    Table row(String... cells) {
        columns = Math.max(columns, cells.length);
        rows.add(cells.clone());
        return this;
    }

    /** A line printed as is, e.g. {@code -- semantic diversity (all-MiniLM-L6-v2) --}. */
    Table section(String title) {
        rows.add(new String[] {null, title});
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            if (r[0] == null && r.length == 2) {
                continue;
            }
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], columns(r[c]));
            }
        }
        for (String[] r : rows) {
            if (r[0] == null && r.length == 2) {
                out.println(r[1]);
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - columns(r[c]));
                boolean left = c == 0 || (c < leftAligned.length && leftAligned[c]);
                line.append(left ? r[c] + pad : pad + r[c]);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Terminal columns of {@code s}: 2 for East Asian wide and full-width characters, else 1. */
    static int columns(String s) {
        int cols = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            cols += wide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return cols;
    }

    /** {@code s} cut to at most {@code max} terminal columns, ending in "…" when cut; line breaks shown as spaces. */
    static String clip(String s, int max) {
        String flat = s.replaceAll("\\s+", " ").strip();
        if (columns(flat) <= max) {
            return flat;
        }
        StringBuilder sb = new StringBuilder();
        int cols = 0;
        for (int i = 0; i < flat.length(); ) {
            int cp = flat.codePointAt(i);
            int w = wide(cp) ? 2 : 1;
            if (cols + w > max - 1) {
                break;
            }
            sb.appendCodePoint(cp);
            cols += w;
            i += Character.charCount(cp);
        }
        return sb.append('…').toString();
    }

    private static boolean wide(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
                || (cp >= 0x3000 && cp <= 0x303F) // CJK punctuation: 。、「」
                || (cp >= 0xFF01 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6); // full-width forms: ，！
    }

    /** Three decimals, locale-independent. */
    static String f3(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    static String f3(OptionalDouble x) {
        return x.isPresent() ? f3(x.getAsDouble()) : NONE;
    }

    static String f2(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }
}
