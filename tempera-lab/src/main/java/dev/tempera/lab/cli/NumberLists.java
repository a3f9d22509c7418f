package dev.tempera.lab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the number lists the commands take ({@code 2,1,0.5,0.2}, or whitespace separated in files). */
final class NumberLists {

    private NumberLists() {}

    /**
     * Parses comma- and/or whitespace-separated numbers; {@code -inf} / {@code -Infinity} are allowed
     * (a masked token), NaN and +inf are not.
     *
     * @param what the option or file named in the error, e.g. {@code --logits}
     * @throws IllegalArgumentException naming {@code what} and the bad entry
     */
    static float[] parseFloats(String what, String text) {
        List<String> parts = split(text);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(what + " must have at least one number, but is empty");
        }
        float[] out = new float[parts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parseOne(what, i, parts.get(i));
        }
        return out;
    }

    static float parseOne(String what, int index, String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        float v;
        if (t.equals("-inf") || t.equals("-infinity")) {
            v = Float.NEGATIVE_INFINITY;
        } else {
            try {
                v = Float.parseFloat(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " must be a list of numbers like 2,1,0.5,0.2, but entry "
                        + index + " is: '" + s.trim() + "'");
            }
        }
        return checkValue(what, index, v);
    }

    /** Rejects NaN and +inf, which no distribution can come from. */
    static float checkValue(String what, int index, float v) {
        if (Float.isNaN(v) || v == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(what + " must be finite or -inf, but entry " + index + " is: " + v);
        }
        return v;
    }

    private static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String p : text.split("[,\\s]+")) {
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}
