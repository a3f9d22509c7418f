package dev.tempera.lab.cli;

import java.util.Locale;

/** Number formatting shared by the commands (locale-independent). */
final class Fmt {

    /** Vectors longer than this are summarised like NumPy does: first three, "...", last three. */
    static final int SUMMARY_THRESHOLD = 1000;

    private Fmt() {}

    /** {@code [0.824779, 0.111622, 0.041063, 0.022536]}: six decimals, exact zeros as {@code 0}. */
    static String vector(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return vector(d);
    }

    static String vector(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        boolean summarise = v.length > SUMMARY_THRESHOLD;
        for (int i = 0; i < v.length; i++) {
            if (summarise && i == 3) {
                sb.append(", ...");
                i = v.length - 3;
            }
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(p6(v[i]));
        }
        return sb.append(']').toString();
    }

    /** Six decimals; exact zero as {@code 0}. */
    static String p6(double x) {
        return x == 0 ? "0" : String.format(Locale.ROOT, "%.6f", x);
    }

    /**
     * A double as Python's {@code repr} writes it for the values one types on a command line:
     * {@code 0.5}, {@code 1.0}, {@code 2.0}, {@code 0.7} (the seed prints its labels with f-strings).
     */
    static String py(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e16) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return Double.toString(x);
    }

    /** Shortest decimal without a trailing {@code .0}: {@code 2}, {@code 0.5}, {@code -inf}. */
    static String num(double x) {
        if (x == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x);
    }

    /** A float as its shortest decimal, widened without float noise ({@code 0.2f} → {@code 0.2}). */
    static double widen(float f) {
        return Float.isInfinite(f) ? f : Double.parseDouble(Float.toString(f));
    }

    static String f(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
