package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class SchedulerLmsCoefficientsTest {

    private static final JsonNode GOLDEN = Goldens.load("lms_coefficients.json");

    @Test
    void matchesScipyQuadOnTheFloat32IntegrandBitForBit() {
        // the golden's sigmas are diffusers' own (float32), so the quadrature sees identical inputs
        float[] sigmas = Goldens.floats(GOLDEN.get("sigmas"));
        int checked = 0;
        for (JsonNode c : GOLDEN.get("cases")) {
            int t = c.get("step_index").asInt();
            int order = c.get("order").asInt();
            double[] expected = Goldens.doubles(c.get("coefficients"));
            for (int j = 0; j < order; j++) {
                assertThat(LmsCoefficients.coefficient(sigmas, order, t, j)).as("t=%d order=%d j=%d", t, order, j)
                        .isEqualTo(expected[j]);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1 + 2 + 3 + 4 * 7);
    }

    @Test
    void coefficientsOfOneStepSumToTheSigmaIncrement() {
        // the Lagrange basis polynomials sum to 1, so their integrals sum to sigma[t+1] - sigma[t]
        float[] sigmas = {14.6f, 9.7f, 6.3f, 4.1f, 2.6f, 1.6f};
        for (int t = 0; t < 5; t++) {
            int order = Math.min(t + 1, 4);
            double sum = 0;
            for (int j = 0; j < order; j++) {
                sum += LmsCoefficients.coefficient(sigmas, order, t, j);
            }
            assertThat(sum).as("t=%d", t).isCloseTo((double) sigmas[t + 1] - sigmas[t], within(1e-5));
        }
        // order 1 is plain Euler: the single weight is the whole increment
        assertThat(LmsCoefficients.coefficient(sigmas, 1, 2, 0)).isEqualTo((double) sigmas[3] - sigmas[2],
                within(1e-12));
    }
}
