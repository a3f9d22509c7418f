package dev.tempera.runtime.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * How Python's {@code str()} and {@code repr()} write the values a template prints, so that {@code {{ flag }}} gives
 * {@code True} (not Java's {@code true}), {@code {{ 1e-05 }}} gives {@code 1e-05} (not {@code 1.0E-5}) and
 * {@code {{ ['a', 1] }}} gives {@code ['a', 1]}.
 *
 * <p>One difference cannot be removed: Jinjava has no separate "undefined", so both an undefined variable and
 * {@code none} arrive here as {@code null} and print as the empty string. Jinja prints undefined as empty (which is
 * what templates rely on) but {@code none} as {@code None}.
 */
final class PythonStr {

    private PythonStr() {}

    /** {@code str(value)}; {@code null} (undefined or none) is the empty string. */
    static String str(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof CharSequence) {
            return value.toString();
        }
        return repr(value);
    }

    /** {@code repr(value)} for the values templates hold: strings, numbers, booleans, None, lists and dicts. */
    static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof CharSequence) {
            return reprString(value.toString());
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return floatRepr(((Number) value).doubleValue());
        }
        if (value instanceof Number) {
            return value.toString();
        }
        if (value instanceof Map<?, ?>) {
            StringBuilder out = new StringBuilder("{");
            Iterator<? extends Map.Entry<?, ?>> it = ((Map<?, ?>) value).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append('}').toString();
        }
        if (value instanceof Collection<?>) {
            StringBuilder out = new StringBuilder("[");
            Iterator<?> it = ((Collection<?>) value).iterator();
            while (it.hasNext()) {
                out.append(repr(it.next()));
                if (it.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append(']').toString();
        }
        return value.toString();
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back as the same double, in positional notation
     * when the decimal exponent is in [-4, 16) and scientific ({@code 1e-05}, {@code 1e+16}) otherwise.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDecimal(d);
        String digits = shortest.unscaledValue().abs().toString();
        // value = digits * 10^-scale = 0.digits * 10^decpt
        int decpt = digits.length() - shortest.scale();
        StringBuilder out = new StringBuilder();
        if (d < 0) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt >= digits.length()) {
                out.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            } else {
                out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            }
        } else {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exponent = decpt - 1;
            out.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                out.append('0');
            }
            out.append(abs);
        }
        return out.toString();
    }

    /** The decimal with the fewest significant digits (1..17) that rounds back to {@code d}, trailing zeros removed. */
    private static BigDecimal shortestDecimal(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return strip(candidate);
            }
        }
        return strip(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
    }

    private static BigDecimal strip(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        // keep at least one digit in the unscaled value (stripTrailingZeros of 100 gives 1E+2, which is what we want)
        return stripped.unscaledValue().equals(BigInteger.ZERO) ? BigDecimal.ZERO : stripped;
    }

    /** Python's {@code repr(str)}: single quotes unless the text has a single quote and no double quote. */
    static String reprString(String s) {
        char quote = (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) ? '"' : '\'';
        StringBuilder out = new StringBuilder(s.length() + 2).append(quote);
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else if (isPrintable(cp)) {
                out.appendCodePoint(cp);
            } else if (cp < 0x100) {
                out.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.append(String.format("\\U%08x", cp));
            }
        }
        return out.append(quote).toString();
    }

    /** {@code str.isprintable()} for one code point: not a control, format, surrogate, private, unassigned or separator (space excepted). */
    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
