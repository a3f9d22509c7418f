package dev.tempera.eval.diversity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Bad inputs tried: null, no rows, a null row, an empty row, ragged rows, NaN, infinity, a zero row. */
class PairwiseCosineTest {

    @Test
    void meanOverUnorderedPairsByHand() {
        // cos((1,0),(0,1)) = 0, cos((1,0),(1,1)) = cos((0,1),(1,1)) = 1/sqrt2:
        // distances 1, 1 - 1/sqrt2, 1 - 1/sqrt2 -> mean (3 - sqrt2)/3 = 0.5285954792089683
        float[][] v = {{1, 0}, {0, 1}, {1, 1}};
        assertThat(PairwiseCosine.meanDistance(v)).isCloseTo(0.5285954792089683, within(1e-7));
    }

    @Test
    void normalisesRawVectors() {
        // (3,0) and (0,0.5) are orthogonal whatever their lengths: distance 1
        assertThat(PairwiseCosine.meanDistance(new float[][] {{3, 0}, {0, 0.5f}})).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void identicalSingleAndOppositeSets() {
        assertThat(PairwiseCosine.meanDistance(new float[][] {{1, 2, 3}, {2, 4, 6}, {0.5f, 1, 1.5f}}))
                .isCloseTo(0.0, within(1e-7));
        assertThat(PairwiseCosine.meanDistance(new float[][] {{1, 2, 3}})).isZero();
        assertThat(PairwiseCosine.meanDistance(new float[][] {{1, 0}, {-1, 0}})).isEqualTo(2.0);
    }

    @Test
    void doesNotMutateItsInput() {
        float[][] v = {{3, 4}, {0, 2}};
        PairwiseCosine.meanDistance(v);
        assertThat(v[0]).containsExactly(3, 4);
        assertThat(v[1]).containsExactly(0, 2);
    }

    @Test
    void rejectsBadVectorsNamingThem() {
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vectors must be a non-null array of vectors, but is: null");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[0][])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vectors must hold at least 1 vector, but holds: 0");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[][] {{1}, null}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vectors[1] must be a vector, but is: null");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[][] {{}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every vector of vectors must have dimension >= 1, but vectors[0] has: 0");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[][] {{1, 2}, {1, 2, 3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every vector of vectors must have dimension 2 (that of vectors[0]), but vectors[1] has: 3");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[][] {{1, Float.NaN}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vectors[0][1] must be finite, but is: NaN");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[][] {{Float.POSITIVE_INFINITY, 1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("vectors[0][0] must be finite, but is: Infinity");
        assertThatThrownBy(() -> PairwiseCosine.meanDistance(new float[][] {{1, 0}, {0, 0}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("vectors[1] must have a non-zero norm");
    }
}
