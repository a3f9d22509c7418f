package dev.tempera.image.noise;

/**
 * The double-precision Box-Muller steps PyTorch's CPU {@code randn} uses outside the float32 vector kernel,
 * both from {@code aten/src/ATen}:
 *
 * <ul>
 *   <li>{@link #transform16}: {@code normal_fill_16<double>} ({@code native/cpu/DistributionTemplates.h}),
 *       for float64 tensors of 16 or more elements. Lane {@code j} (0..7) pairs {@code u[j]} with
 *       {@code u[j + 8]}: {@code r = sqrt(-2 log(1 - u[j]))}, {@code theta = 2 pi u[j + 8]},
 *       {@code out[j] = r cos(theta)}, {@code out[j + 8] = r sin(theta)}.
 *   <li>{@link #radius}, {@link #theta}, {@link #sin}, {@link #cos} and {@link #scale}: the pieces of
 *       {@code normal_distribution<double>} ({@code core/DistributionsHelper.h}), used one element at a time
 *       for tensors under 16 elements: {@code r = sqrt(-2 log(1 - u2))}, {@code theta = 2 pi u1}; the cosine
 *       is returned and the sine cached by the generator.
 * </ul>
 *
 * <p><b>Not bit-exact in float64.</b> torch calls the C library's double {@code log}, {@code sin} and
 * {@code cos} here. This class uses {@link StrictMath} (fdlibm), the one choice that gives the same bits on
 * every JVM. Measured on 200,000 inputs of the kinds used here (JDK 17, glibc 2.36, x86-64): fdlibm's
 * {@code log} rounds differently from glibc's on about 7% of them, {@code sin} and {@code cos} on about 3%;
 * HotSpot's {@link Math} intrinsics on about 0.2%; glibc itself is not correctly rounded either (about 0.1%
 * against 200-bit mpmath), and it picks FMA or AVX variants of these functions per CPU at load time
 * ({@code sysdeps/x86_64/fpu/multiarch/e_log-fma.c}, {@code s_sin-fma.c}). So float64 {@code randn} agrees
 * with torch to a few ulps, not bit for bit, and torch's own float64 bits are not portable. float32 output
 * of the scalar path is the double result narrowed, where a last-bit difference in double almost never
 * survives (all float32 goldens match exactly).
 *
 * <p>PyTorch releases after 1.13 write {@code log1p(-u2)} instead of {@code log(1 - u2)}. For these 53-bit
 * uniforms {@code 1 - u2} is exact, so both take the logarithm of the same number and differ only where
 * the two functions round differently.
 *
 * <p>Stateless and thread-safe; no allocation.
 */
final class DoubleBoxMuller {

    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double MEAN = 0.0;
    private static final double STD = 1.0;

    private DoubleBoxMuller() {}

    /** Transforms {@code data[offset .. offset + 16)}, which must hold uniforms in [0, 1), in place. */
    static void transform16(double[] data, int offset) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1.0 - data[offset + j];
            double u2 = data[offset + j + 8];
            double radius = Math.sqrt(-2.0 * log(u1));
            double theta = TWO_PI * u2;
            data[offset + j] = radius * cos(theta) * STD + MEAN;
            data[offset + j + 8] = radius * sin(theta) * STD + MEAN;
        }
    }

    /** The radius {@code sqrt(-2 log(1 - u2))} of {@code normal_distribution<double>}. */
    static double radius(double u2) {
        return Math.sqrt(-2.0 * log(1.0 - u2));
    }

    /** The angle {@code 2 pi u1} of {@code normal_distribution<double>}. */
    static double theta(double u1) {
        return TWO_PI * u1;
    }

    /** Stand-in for the C library's {@code sin} (see the class comment). */
    static double sin(double x) {
        return StrictMath.sin(x);
    }

    /** Stand-in for the C library's {@code cos} (see the class comment). */
    static double cos(double x) {
        return StrictMath.cos(x);
    }

    private static double log(double x) {
        return StrictMath.log(x);
    }

    /** {@code transformation::normal}: {@code value * std + mean}, which also turns -0.0 into +0.0. */
    static double scale(double value) {
        return value * STD + MEAN;
    }
}
