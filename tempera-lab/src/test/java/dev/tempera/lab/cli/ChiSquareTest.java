package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ChiSquareTest {

    @Test
    void statisticAndPValueMatchTheTextbook() {
        // Expected 50/50 of 100, observed 60/40: (10^2 + 10^2) / 50 = 4, df 1, P(chi2_1 > 4) = 0.0455.
        ChiSquare c = ChiSquare.of(new double[] {0.5, 0.5}, new long[] {60, 40});
        assertThat(c.statistic()).isCloseTo(4.0, within(1e-12));
        assertThat(c.df()).isEqualTo(1);
        assertThat(c.pValue()).isCloseTo(0.0455003, within(1e-6));
    }

    @Test
    void removedTokensDoNotCountButDrawsOnThemFailTheTest() {
        ChiSquare fine = ChiSquare.of(new double[] {0.5, 0.5, 0}, new long[] {50, 50, 0});
        assertThat(fine.df()).isEqualTo(1);
        assertThat(fine.pValue()).isEqualTo(1.0);
        ChiSquare broken = ChiSquare.of(new double[] {0.5, 0.5, 0}, new long[] {50, 49, 1});
        assertThat(broken.outside()).isEqualTo(1);
        assertThat(broken.pValue()).isZero();
    }

    @Test
    void oneKeptTokenHasNoDegreesOfFreedom() {
        ChiSquare c = ChiSquare.of(new double[] {1, 0}, new long[] {10, 0});
        assertThat(c.df()).isZero();
        assertThat(c.pValue()).isEqualTo(1.0);
    }
}
