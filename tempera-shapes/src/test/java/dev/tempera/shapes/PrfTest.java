package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrfTest {

    @Test
    void hallucinatedAreTheStatedButFalseAttributes() {
        // 3 stated, 2 true: 1 hallucinated, rate 1/3 = 1 - precision
        Prf p = new Prf(2, 3, 9);
        assertThat(p.hallucinated()).isEqualTo(1);
        assertThat(p.hallucinationRate()).isEqualTo(1.0 / 3);
        assertThat(p.hallucinationRate()).isCloseTo(1 - p.precision(), org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void statingNothingHallucinatesNothing() {
        assertThat(new Prf(0, 0, 9).hallucinationRate()).isZero();
        assertThat(new Prf(0, 0, 9).precision()).isEqualTo(1.0);
    }

    @Test
    void plusPoolsTheCounts() {
        // (2 of 3 stated, 9 present) + (0 of 1 stated, 5 present) = 2 of 4, 14: pooled rate 2/4
        Prf pooled = new Prf(2, 3, 9).plus(new Prf(0, 1, 5));
        assertThat(pooled).isEqualTo(new Prf(2, 4, 14));
        assertThat(pooled.hallucinationRate()).isEqualTo(0.5);
    }

    @Test
    void rejectsMoreMatchedThanStated() {
        assertThatThrownBy(() -> new Prf(4, 3, 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("matched must be in [0, min(stated, present)] = [0, 3], but is: 4");
    }
}
