package dev.tempera.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Known-answer vectors of Philox4x32-10 from Random123's kat_vectors file. */
class Philox4x32Test {

    @Test
    void zeroKeyAndCounterGiveRandom123Vector() {
        assertThat(Philox4x32.block4(0L, 0, 0, 0, 0))
                .containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
    }

    @Test
    void allOnesGiveRandom123Vector() {
        assertThat(Philox4x32.block4(-1L, -1, -1, -1, -1))
                .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
    }

    @Test
    void piDigitsGiveRandom123Vector() {
        long key = (0x299f31d0L << 32) | 0xa4093822L;
        assertThat(Philox4x32.block4(key, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344))
                .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
    }

    @Test
    void blockIsTheFirstTwoWordsOfBlock4() {
        int[] words = Philox4x32.block4(42L, 7, 0, 1, 3);
        long packed = Philox4x32.block(42L, 7, 0, 1, 3);
        assertThat((int) (packed >>> 32)).isEqualTo(words[0]);
        assertThat((int) packed).isEqualTo(words[1]);
    }

    @Test
    void uniformIsInUnitIntervalAndDependsOnEveryKeyPart() {
        double u = Philox4x32.uniform(1, 2, 0);
        assertThat(u).isBetween(0.0, 1.0).isNotEqualTo(1.0);
        assertThat(Philox4x32.uniform(1, 2, 0)).isEqualTo(u);
        assertThat(Philox4x32.uniform(2, 2, 0)).isNotEqualTo(u);
        assertThat(Philox4x32.uniform(1, 3, 0)).isNotEqualTo(u);
        assertThat(Philox4x32.uniform(1, 2, 1)).isNotEqualTo(u);
    }

    @Test
    void uniformMeanAndVarianceMatchTheUniformDistribution() {
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double u = Philox4x32.uniform(12345, i, 0);
            sum += u;
            sumSq += u * u;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // Standard error of the mean is sqrt(1/12/n) = 6.5e-4; 5 sigma.
        assertThat(mean).isCloseTo(0.5, org.assertj.core.api.Assertions.within(3.3e-3));
        assertThat(var).isCloseTo(1.0 / 12, org.assertj.core.api.Assertions.within(2e-3));
    }
}
