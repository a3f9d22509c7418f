package dev.tempera.image.noise;

/**
 * One lane of the float32 {@code log256_ps} and {@code sincos256_ps} that PyTorch's AVX2 {@code randn}
 * kernel uses ({@code aten/src/ATen/native/cpu/avx_mathfun.h}: Julien Pommier's Cephes-based
 * {@code sse_mathfun}, ported to AVX by Giovanni Garberoglio, zlib licence). These are not libm: the results
 * differ from {@link StrictMath} in the last bits, and it is these bits torch produces on x86-64.
 *
 * <p>Every operation is float32 and mirrors the intrinsic sequence, including where GCC fuses a multiply
 * into the add that consumes it: PyTorch compiles this header with {@code -mavx2 -mfma} and GCC's default
 * {@code -ffp-contract=fast}, so a {@code _mm256_mul_ps} whose only use is an add or subtract becomes one
 * fused multiply-add (Horner steps, the three-part range reduction of sincos, the final sums). Those are
 * {@link Math#fma(float, float, float)} here; a plain {@code a * b + c} would be off by an ulp now and then.
 * The Java arithmetic is IEEE-754 binary32 with round-to-nearest, as the vector instructions are.
 *
 * <p>Domain: {@link #log} is meant for {@code (0, 1]} (it handles any positive float; zero and negatives
 * give NaN as the original does). {@link #sincos} is meant for {@code [0, 2π)}; the original has no large
 * argument reduction (accurate up to about 8192) and its float-to-int conversion is x86's, which Java's
 * saturating cast only matches below 2^31.
 *
 * <p>Stateless and thread-safe; no allocation.
 */
final class CephesFloatMath {

    // Constants are written as the C source writes them (double literals) and narrowed, as C narrows them
    // when filling the float vectors; a float literal could round the decimal differently.
    private static final float SQRTHF = (float) 0.707106781186547524;
    private static final float LOG_P0 = (float) 7.0376836292E-2;
    private static final float LOG_P1 = (float) -1.1514610310E-1;
    private static final float LOG_P2 = (float) 1.1676998740E-1;
    private static final float LOG_P3 = (float) -1.2420140846E-1;
    private static final float LOG_P4 = (float) 1.4249322787E-1;
    private static final float LOG_P5 = (float) -1.6668057665E-1;
    private static final float LOG_P6 = (float) 2.0000714765E-1;
    private static final float LOG_P7 = (float) -2.4999993993E-1;
    private static final float LOG_P8 = (float) 3.3333331174E-1;
    private static final float LOG_Q1 = (float) -2.12194440e-4;
    private static final float LOG_Q2 = (float) 0.693359375;

    private static final float FOPI = (float) 1.27323954473516; // 4 / pi
    private static final float MINUS_DP1 = (float) -0.78515625;
    private static final float MINUS_DP2 = (float) -2.4187564849853515625e-4;
    private static final float MINUS_DP3 = (float) -3.77489497744594108e-8;
    private static final float SIN_P0 = (float) -1.9515295891E-4;
    private static final float SIN_P1 = (float) 8.3321608736E-3;
    private static final float SIN_P2 = (float) -1.6666654611E-1;
    private static final float COS_P0 = (float) 2.443315711809948E-005;
    private static final float COS_P1 = (float) -1.388731625493765E-003;
    private static final float COS_P2 = (float) 4.166664568298827E-002;

    private static final int SIGN_MASK = 0x80000000;
    private static final int EXPONENT_MASK = 0x7f800000;
    /** The NaN that OR-ing an all-ones compare mask into the result produces. */
    private static final float ALL_ONES_NAN = Float.intBitsToFloat(0xffffffff);

    private CephesFloatMath() {}

    /** Natural logarithm of {@code x} as {@code log256_ps} computes it in one lane. */
    static float log(float x) {
        boolean invalid = x <= 0f;
        // _mm256_max_ps(x, min_norm) returns its second operand when x is NaN; this ternary does the same.
        x = x > Float.MIN_NORMAL ? x : Float.MIN_NORMAL;
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 0x7f;
        // Keep sign and mantissa, force the exponent of 0.5: x is now in [0.5, 1).
        x = Float.intBitsToFloat((bits & ~EXPONENT_MASK) | Float.floatToRawIntBits(0.5f));
        float e = (float) exponent + 1f;

        boolean small = x < SQRTHF;
        float tmp = small ? x : 0f;
        x = x - 1f;
        e = e - (small ? 1f : 0f);
        x = x + tmp;

        float z = x * x;
        float y = Math.fma(LOG_P0, x, LOG_P1);
        y = Math.fma(y, x, LOG_P2);
        y = Math.fma(y, x, LOG_P3);
        y = Math.fma(y, x, LOG_P4);
        y = Math.fma(y, x, LOG_P5);
        y = Math.fma(y, x, LOG_P6);
        y = Math.fma(y, x, LOG_P7);
        y = Math.fma(y, x, LOG_P8);
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = Math.fma(-z, 0.5f, y);
        x = Math.fma(e, LOG_Q2, x + y);
        return invalid ? ALL_ONES_NAN : x;
    }

    /**
     * Sine and cosine of {@code x} as {@code sincos256_ps} computes them in one lane, packed into one long
     * so the hot loop allocates nothing: read them with {@link #sinOf(long)} and {@link #cosOf(long)}.
     */
    static long sincos(float x) {
        int xBits = Float.floatToRawIntBits(x);
        int signSin = xBits & SIGN_MASK;
        x = Float.intBitsToFloat(xBits & ~SIGN_MASK);

        // Octant: j = (int)(|x| * 4/pi), rounded up to even.
        int j = (int) (x * FOPI);
        j = (j + 1) & ~1;
        float y = (float) j;
        signSin ^= (j & 4) << 29;
        boolean sinPolyIsSin = (j & 2) == 0;
        int signCos = (~(j - 2) & 4) << 29;

        // x - j * pi/4 in three parts ("extended precision modular arithmetic"), each fused.
        x = Math.fma(y, MINUS_DP1, x);
        x = Math.fma(y, MINUS_DP2, x);
        x = Math.fma(y, MINUS_DP3, x);

        float z = x * x;
        float cosPoly = Math.fma(COS_P0, z, COS_P1);
        cosPoly = Math.fma(cosPoly, z, COS_P2);
        cosPoly = cosPoly * z;
        cosPoly = Math.fma(cosPoly, z, -(z * 0.5f));
        cosPoly = cosPoly + 1f;

        float sinPoly = Math.fma(SIN_P0, z, SIN_P1);
        sinPoly = Math.fma(sinPoly, z, SIN_P2);
        sinPoly = sinPoly * z;
        sinPoly = Math.fma(sinPoly, x, x);

        // The vector code selects with masks and adds, so a masked-out lane contributes +0 (this matters
        // for the sign of zero results).
        float sinPart2 = sinPolyIsSin ? sinPoly : 0f;
        float sinPart1 = sinPolyIsSin ? 0f : cosPoly;
        float cosPart2 = sinPoly - sinPart2;
        float cosPart1 = cosPoly - sinPart1;
        float sin = sinPart1 + sinPart2;
        float cos = cosPart1 + cosPart2;

        int sinBits = Float.floatToRawIntBits(sin) ^ signSin;
        int cosBits = Float.floatToRawIntBits(cos) ^ signCos;
        return ((long) sinBits << 32) | (cosBits & 0xffffffffL);
    }

    /** The sine from a {@link #sincos(float)} result. */
    static float sinOf(long sincos) {
        return Float.intBitsToFloat((int) (sincos >>> 32));
    }

    /** The cosine from a {@link #sincos(float)} result. */
    static float cosOf(long sincos) {
        return Float.intBitsToFloat((int) sincos);
    }
}
