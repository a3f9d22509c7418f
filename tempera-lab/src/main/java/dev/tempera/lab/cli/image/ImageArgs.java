package dev.tempera.lab.cli.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text forms {@code tempera image} reads in flags and in the lines of an {@code --in} file: seed lists
 * ({@code 0-3}, {@code 0,7,42}) and pairs of numbers ({@code 512x512}). Every method takes {@code what}, the name of
 * the input as messages should show it ({@code --seeds}, or {@code "seeds"} for a JSON key), and throws
 * {@link IllegalArgumentException} naming it, the accepted form and the value.
 */
final class ImageArgs {

    /** The most seeds one range may expand to (a typo such as {@code 0-10000000} must not allocate millions). */
    static final int MAX_RANGE = 1000;

    private ImageArgs() {
    }

    /** {@code "0-3"} → 0, 1, 2, 3; {@code "0,7,42"} → 0, 7, 42; ranges and single seeds mix ({@code "0-2,9"}). */
    static List<Long> seeds(String what, String text) {
        List<Long> out = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1); // from 1: a leading '-' is a negative seed's sign
                if (dash > 0) {
                    long a = Long.parseLong(p.substring(0, dash).trim());
                    long b = Long.parseLong(p.substring(dash + 1).trim());
                    if (b < a || b - a >= MAX_RANGE) {
                        throw new IllegalArgumentException(what + ": a range must go up and hold at most " + MAX_RANGE
                                + " seeds, but is: " + p);
                    }
                    for (long s = a; s <= b; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be seeds and ranges like 0-3 or 0,7,42, but is: " + text);
        }
        return out;
    }

    /** {@code "512x768"} → {512, 768}, the numbers in the order written. */
    static int[] size(String what, String text) {
        int[] p = pairOrNull(text);
        if (p == null) {
            throw new IllegalArgumentException(what + " must be WIDTHxHEIGHT (e.g. 512x512), but is: " + text);
        }
        return p;
    }

    /** {@code "1024x768"} → {1024, 768}: the two numbers of an SDXL size or crop conditioning. */
    static int[] pair(String what, String text) {
        int[] p = pairOrNull(text);
        if (p == null) {
            throw new IllegalArgumentException(what + " must be two numbers AxB (e.g. 1024x1024), but is: " + text);
        }
        return p;
    }

    private static int[] pairOrNull(String text) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x", -1);
        if (p.length != 2) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim())};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
