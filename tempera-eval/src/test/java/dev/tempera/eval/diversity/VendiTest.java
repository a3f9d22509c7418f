package dev.tempera.eval.diversity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs tried: q = -1 and NaN, a zero row, a kernel that is not square, not symmetric, with a non-unit
 * diagonal, with NaN, empty.
 */
class VendiTest {

    // cos = 1/2 between the two rows: K/2 = [[1/2, 1/4], [1/4, 1/2]], eigenvalues 3/4 and 1/4
    private static final float[][] HALF = {{1, 0}, {0.5f, (float) Math.sqrt(0.75)}};

    @Test
    void identicalVectorsCountAsOne() {
        // K = all ones; K/3 has eigenvalues 1, 0, 0 -> H = 0 -> VS = 1
        assertThat(Vendi.score(new float[][] {{1, 2}, {2, 4}, {3, 6}})).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void orthogonalVectorsCountAsN() {
        // K = I; eigenvalues of I/3 are 1/3 x 3 -> H = ln 3 -> VS = 3
        assertThat(Vendi.score(new float[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 5}})).isCloseTo(3.0, within(1e-9));
        assertThat(Vendi.normalisedScore(new float[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 5}})).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void shannonOrderByHand() {
        // H_1 = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.5623351446188083 -> VS = exp(H) = 1.7547653506033232
        assertThat(Vendi.score(HALF)).isCloseTo(1.7547653506033232, within(1e-6));
    }

    @Test
    void otherOrdersByHand() {
        // q = 2: H = -ln(9/16 + 1/16) -> VS = 1/0.625 = 1.6
        assertThat(Vendi.score(HALF, 2)).isCloseTo(1.6, within(1e-6));
        // q = inf: H = -ln max = -ln 3/4 -> VS = 4/3
        assertThat(Vendi.score(HALF, Double.POSITIVE_INFINITY)).isCloseTo(4.0 / 3, within(1e-6));
        // q = 0: H = ln(number of positive eigenvalues) = ln 2 -> VS = 2
        assertThat(Vendi.score(HALF, 0)).isCloseTo(2.0, within(1e-9));
        // q = 0 on identical vectors: the rounding-noise eigenvalues are not counted
        assertThat(Vendi.score(new float[][] {{1, 2}, {2, 4}, {3, 6}}, 0)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void singleVectorScoresOne() {
        assertThat(Vendi.score(new float[][] {{0.3f, -2}})).isEqualTo(1.0);
    }

    @Test
    void dualPathForMoreVectorsThanDimensionsMatchesTheKernel() {
        // n = 4 > d = 2 takes the d x d dual X^T X / n; (1,0) (0,1) twice each -> eigenvalues 1/2, 1/2 -> VS = 2
        assertThat(Vendi.score(new float[][] {{1, 0}, {0, 1}, {2, 0}, {0, 3}})).isCloseTo(2.0, within(1e-9));
        // random sets: the dual and the explicit n x n cosine kernel agree
        Random random = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = 3 + random.nextInt(20);
            int d = 2 + random.nextInt(5);
            float[][] x = new float[n][d];
            for (float[] row : x) {
                for (int k = 0; k < d; k++) {
                    row[k] = (float) random.nextGaussian();
                }
            }
            double[][] unit = Vectors.unitRows("x", x);
            double[][] kernel = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    kernel[i][j] = i == j ? 1.0 : Vectors.dot(unit[i], unit[j]);
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    kernel[i][j] = kernel[j][i];
                }
            }
            double q = trial % 2 == 0 ? 1.0 : 2.0;
            assertThat(Vendi.score(x, q)).as("trial %d n %d d %d", trial, n, d)
                    .isCloseTo(Vendi.scoreKernel(kernel, q), within(1e-9));
        }
    }

    @Test
    void staysWithinOneToNOnManyVectors() {
        Random random = new Random(9);
        float[][] x = new float[200][16];
        for (float[] row : x) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
        assertThat(Vendi.score(x)).isBetween(1.0, 16.0);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Vendi.score(HALF, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("q (the Vendi order) must be in [0, +inf], but is: -1.0");
        assertThatThrownBy(() -> Vendi.score(HALF, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("q (the Vendi order) must be in [0, +inf], but is: NaN");
        assertThatThrownBy(() -> Vendi.score(new float[][] {{0, 0}})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("vectors[0] must have a non-zero norm");
        assertThatThrownBy(() -> Vendi.scoreKernel(new double[0][], 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel must be a non-empty square matrix, but is: 0x0");
        assertThatThrownBy(() -> Vendi.scoreKernel(new double[][] {{1, 0}, {0}}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel must be square 2x2, but row 1 has length: 1");
        assertThatThrownBy(() -> Vendi.scoreKernel(new double[][] {{1, 0.5}, {0.4, 1}}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel must be symmetric, but kernel[0][1] is 0.5 and kernel[1][0] is: 0.4");
        assertThatThrownBy(() -> Vendi.scoreKernel(new double[][] {{2, 0}, {0, 1}}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kernel diagonal must be 1 (normalise the kernel first), but kernel[0][0] is: 2.0");
        assertThatThrownBy(() -> Vendi.scoreKernel(new double[][] {{1, Double.NaN}, {Double.NaN, 1}}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel[0][1] must be finite, but is: NaN");
    }
}
