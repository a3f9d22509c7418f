package dev.tempera.image.noise;

/**
 * The float32 Box-Muller step of PyTorch's x86 {@code randn} kernel ({@code normal_fill_16_AVX2} in
 * {@code aten/src/ATen/native/cpu/DistributionTemplates.h}), one lane at a time: it turns 16 uniforms into
 * 16 standard normals in place. Lane {@code j} (0..7) pairs {@code u[j]} with {@code u[j + 8]}:
 *
 * <pre>
 *   radius = sqrt(-2 * log(1 - u[j]))      log: {@link CephesFloatMath#log}, float32
 *   theta  = (float)(2 pi) * u[j + 8]       a float32 multiply
 *   out[j]     = fma(radius * cos(theta), std, mean)
 *   out[j + 8] = fma(radius * sin(theta), std, mean)   sin, cos: {@link CephesFloatMath#sincos}
 * </pre>
 *
 * with {@code mean = 0} and {@code std = 1} for {@code randn}. The fused multiply-add by 1 and add of +0
 * is kept because it turns a {@code -0.0} product into {@code +0.0}, as the vector code does.
 *
 * <p>Stateless and thread-safe; no allocation.
 */
final class Avx2BoxMuller {

    /** {@code _mm256_set1_ps(2.0f * c10::pi<double>)}: 2 pi computed in double, then narrowed. */
    private static final float TWO_PI = (float) (2.0 * Math.PI);
    private static final float MEAN = 0f;
    private static final float STD = 1f;

    private Avx2BoxMuller() {}

    /** Transforms {@code data[offset .. offset + 16)}, which must hold uniforms in [0, 1), in place. */
    static void transform16(float[] data, int offset) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1f - data[offset + j];
            float u2 = data[offset + j + 8];
            // A float square root through double is still correctly rounded (53 >= 2 * 24 + 2 bits).
            float radius = (float) Math.sqrt(-2f * CephesFloatMath.log(u1));
            float theta = TWO_PI * u2;
            long sincos = CephesFloatMath.sincos(theta);
            float n1 = radius * CephesFloatMath.cosOf(sincos);
            float n2 = radius * CephesFloatMath.sinOf(sincos);
            data[offset + j] = Math.fma(n1, STD, MEAN);
            data[offset + j + 8] = Math.fma(n2, STD, MEAN);
        }
    }
}
