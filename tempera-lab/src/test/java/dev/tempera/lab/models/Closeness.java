package dev.tempera.lab.models;

import java.util.Arrays;

/**
 * How close one output tensor came to its golden value, element by element, under NumPy's
 * {@code allclose} rule {@code |actual - expected| <= atol + rtol * |expected|} (asymmetric: the
 * tolerance scales with the expected value only). A NaN passes only against an expected NaN;
 * an infinity only against the same infinity.
 *
 * @param count elements compared
 * @param outside elements outside the tolerance
 * @param maxAbsError the largest {@code |actual - expected|} (infinite when a NaN or infinity mismatches)
 * @param maxAbsAt C-order flat index of that element, -1 when there are no elements
 * @param worstAt flat index of the element furthest outside its tolerance (its error minus its
 *     allowance is largest), -1 when there are no elements
 */
record Closeness(long[] shape, double atol, double rtol, int count, int outside, double maxAbsError, int maxAbsAt,
                 int worstAt, double expectedAtWorst, double actualAtWorst) {

    static Closeness of(long[] shape, double[] expected, double[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("expected has " + expected.length + " elements but actual has "
                    + actual.length);
        }
        int outside = 0;
        double maxAbs = 0;
        int maxAbsAt = expected.length == 0 ? -1 : 0;
        double worstExcess = Double.NEGATIVE_INFINITY;
        int worstAt = maxAbsAt;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double err;
            double allowed;
            boolean ok;
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)) {
                // rtol * inf would allow anything (or NaN): non-finite values must match exactly.
                ok = Double.compare(e, a) == 0 || (Double.isNaN(e) && Double.isNaN(a));
                err = ok ? 0 : Double.POSITIVE_INFINITY;
                allowed = 0;
            } else {
                err = Math.abs(a - e);
                allowed = atol + rtol * Math.abs(e);
                ok = err <= allowed;
            }
            if (!ok) {
                outside++;
            }
            if (err > maxAbs) {
                maxAbs = err;
                maxAbsAt = i;
            }
            double excess = err - allowed;
            if (excess > worstExcess) {
                worstExcess = excess;
                worstAt = i;
            }
        }
        return new Closeness(shape.clone(), atol, rtol, expected.length, outside, maxAbs, maxAbsAt, worstAt,
                worstAt < 0 ? Double.NaN : expected[worstAt], worstAt < 0 ? Double.NaN : actual[worstAt]);
    }

    boolean passed() {
        return outside == 0;
    }

    /** The C-order flat index as a NumPy index, e.g. {@code [1, 5, 12]}. */
    String index(int flat) {
        long[] idx = new long[shape.length];
        long rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return Arrays.toString(idx);
    }

    /** One line: for a failure, the count outside, the max error and the worst element with both values. */
    String describe(String output) {
        String head = output + ": max |actual - expected| = " + fmt(maxAbsError)
                + (maxAbsAt >= 0 ? " at " + index(maxAbsAt) : "");
        if (passed()) {
            return head + " (" + count + " elements within atol " + atol + " + rtol " + rtol + " * |expected|)";
        }
        return head + "; " + outside + " of " + count + " elements outside atol " + atol + " + rtol " + rtol
                + " * |expected|; worst at " + index(worstAt) + " (flat " + worstAt + "): expected "
                + fmt(expectedAtWorst) + ", actual " + fmt(actualAtWorst) + ", allowed error "
                + fmt(atol + rtol * Math.abs(expectedAtWorst));
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
