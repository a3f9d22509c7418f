package dev.tempera.lab.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClosenessTest {

    @Test
    void toleranceGrowsWithTheExpectedValueOnly() {
        // atol 0.1 + rtol 0.1 * |expected|: expected 10 allows 1.1, so 11.1 passes (error 1.1, up to
        // float rounding: 1.0999999999999996) and 11.3 fails; expected 0 allows only 0.1.
        long[] shape = {3};
        assertThat(Closeness.of(shape, new double[] {10, 0, 1}, new double[] {11.1, 0.1, 1}, 0.1, 0.1).passed()).isTrue();
        Closeness off = Closeness.of(shape, new double[] {10, 0, 1}, new double[] {11.3, 0.1, 1}, 0.1, 0.1);
        assertThat(off.passed()).isFalse();
        assertThat(off.outside()).isEqualTo(1);
        assertThat(off.worstAt()).isZero();
    }

    @Test
    void worstIsFurthestPastItsAllowanceNotTheLargestError() {
        // Element 0: error 1.0, allowed 0.01 + 0.1 * 100 = 10.01 -> inside. Element 1: error 0.5,
        // allowed 0.01 -> 0.49 outside. So the max error is at 0 but the worst element is 1.
        Closeness c = Closeness.of(new long[] {2}, new double[] {100, 0}, new double[] {101, 0.5}, 0.01, 0.1);
        assertThat(c.maxAbsAt()).isZero();
        assertThat(c.maxAbsError()).isEqualTo(1.0);
        assertThat(c.worstAt()).isEqualTo(1);
        assertThat(c.expectedAtWorst()).isZero();
        assertThat(c.actualAtWorst()).isEqualTo(0.5);
    }

    @Test
    void nanMatchesOnlyNanAndInfinityOnlyItself() {
        long[] shape = {2};
        assertThat(Closeness.of(shape, new double[] {Double.NaN, Double.NEGATIVE_INFINITY},
                new double[] {Double.NaN, Double.NEGATIVE_INFINITY}, 0, 0).passed()).isTrue();
        assertThat(Closeness.of(shape, new double[] {0, 1}, new double[] {Double.NaN, 1}, 1, 1).outside()).isEqualTo(1);
        assertThat(Closeness.of(shape, new double[] {0, Double.POSITIVE_INFINITY}, new double[] {0, 1e300}, 1, 1)
                .outside()).isEqualTo(1);
    }

    @Test
    void describeNamesTheOutputTheWorstIndexAndBothValues() {
        // shape (2, 3): flat index 4 is [1, 1].
        double[] expected = {0, 0, 0, 0, 2, 0};
        double[] actual = {0, 0, 0, 0, 2.5, 0};
        String line = Closeness.of(new long[] {2, 3}, expected, actual, 1e-4, 1e-3).describe("present.0.key");
        assertThat(line).isEqualTo("present.0.key: max |actual - expected| = 0.500000 at [1, 1]; 1 of 6 elements "
                + "outside atol 1.0E-4 + rtol 0.001 * |expected|; worst at [1, 1] (flat 4): expected 2.00000, "
                + "actual 2.50000, allowed error 0.00210000");
    }
}
