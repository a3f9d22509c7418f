package dev.tempera.lab.cli.eval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of a float and of the seed's result dict, so {@code calculate_diversity} prints exactly what
 * the seed's code returns ({@code {'lexical_diversity': 0.8235294117647058, 'unique_words': 28, 'total_words': 34}}).
 *
 * <p>Python writes the shortest decimal that reads back as the same double, in plain notation when the decimal
 * exponent is in [−4, 16) and as {@code 1e-05} otherwise. Java 17's {@link Double#toString} is not always the
 * shortest and switches notation at other exponents, hence this class.
 */
final class PyRepr {

    private PyRepr() {}

    /** {@code repr(x)} for a Python float. */
    static String of(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (x == 0) {
            return 1 / x < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(x);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == x) {
                shortest = candidate;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = shortest.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = x < 0 ? "-" : "";
        String e = String.valueOf(Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    /**
     * The seed's {@code calculate_diversity} return value as Python prints it. With no words the seed's
     * {@code ... if total_words > 0 else 0} gives the int {@code 0}, not {@code 0.0}.
     */
    static String seedDict(double lexicalDiversity, int uniqueWords, int totalWords) {
        String ratio = totalWords > 0 ? of(lexicalDiversity) : "0";
        return "{'lexical_diversity': " + ratio + ", 'unique_words': " + uniqueWords
                + ", 'total_words': " + totalWords + "}";
    }
}
