package dev.tempera.image.noise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The float32 Cephes kernels against {@link StrictMath} on the inputs {@code randn} feeds them: every
 * {@code 1 - u} and {@code (float) 2pi * u} for the uniforms {@code u = k * 2^-24} (every 7th k, plus the
 * ends). They are not libm and need not round the same way; they must stay within float accuracy, which a
 * wrong constant or a swapped polynomial would break by orders of magnitude.
 */
class RandnCephesMathTest {

    private static final int GRID = 1 << 24;
    private static final float TWO_PI = (float) (2.0 * Math.PI);

    @Test
    void logIsWithinTwoUlpsOfTheTrueLogOnEveryInputRandnUses() {
        for (int k = 0; k < GRID; k = nextK(k)) {
            float u1 = 1f - k * 0x1.0p-24f;
            float actual = CephesFloatMath.log(u1);
            double exact = StrictMath.log(u1);
            assertThat(Math.abs(actual - exact)).as("log(%s)", u1)
                    .isLessThanOrEqualTo(2 * Math.ulp((float) exact));
        }
    }

    @Test
    void sinAndCosAreWithinFloatAccuracyOnEveryAngleRandnUses() {
        for (int k = 0; k < GRID; k = nextK(k)) {
            float theta = TWO_PI * (k * 0x1.0p-24f);
            long sincos = CephesFloatMath.sincos(theta);
            // |sin|, |cos| <= 1, so 2^-23 is one ulp at the top of the range.
            assertThat(Math.abs(CephesFloatMath.sinOf(sincos) - StrictMath.sin(theta))).as("sin(%s)", theta)
                    .isLessThanOrEqualTo(0x1.0p-23);
            assertThat(Math.abs(CephesFloatMath.cosOf(sincos) - StrictMath.cos(theta))).as("cos(%s)", theta)
                    .isLessThanOrEqualTo(0x1.0p-23);
        }
    }

    @Test
    void logOfOneIsExactlyZeroSoTheLargestUniformGivesRadiusZero() {
        // u = 0 gives u1 = 1: mantissa 0.5 with e = 1, then x = 0.5 + 0.5 - 1 = 0 and e = 0, so every term is 0.
        assertThat(Float.floatToRawIntBits(CephesFloatMath.log(1f))).isZero();
    }

    @Test
    void logOfZeroOrNegativeIsNaNLikeTheVectorCode() {
        // log256_ps ORs an all-ones mask into lanes with x <= 0.
        assertThat(Float.floatToRawIntBits(CephesFloatMath.log(0f))).isEqualTo(0xffffffff);
        assertThat(Float.floatToRawIntBits(CephesFloatMath.log(-2f))).isEqualTo(0xffffffff);
    }

    @Test
    void sincosOfZeroIsZeroAndOne() {
        // Octant 0: the cosine polynomial gives 1 - 0 + 0 and the sine polynomial 0 * ... + 0.
        long sincos = CephesFloatMath.sincos(0f);
        assertThat(Float.floatToRawIntBits(CephesFloatMath.sinOf(sincos))).isZero();
        assertThat(CephesFloatMath.cosOf(sincos)).isEqualTo(1f);
    }

    @Test
    void sincosKeepsTheSignOfSineForNegativeAngles() {
        // sin is odd and cos even; the kernel takes |x| and puts the input's sign back on the sine only.
        for (float x : new float[] {0.3f, 1.2f, 2.5f, 4f, 5.9f}) {
            long plus = CephesFloatMath.sincos(x);
            long minus = CephesFloatMath.sincos(-x);
            assertThat(CephesFloatMath.sinOf(minus)).isEqualTo(-CephesFloatMath.sinOf(plus));
            assertThat(CephesFloatMath.cosOf(minus)).isEqualTo(CephesFloatMath.cosOf(plus));
        }
    }

    private static int nextK(int k) {
        if (k == 0) {
            return 1;
        }
        int next = k + 7;
        return next >= GRID && k != GRID - 1 ? GRID - 1 : next;
    }
}
