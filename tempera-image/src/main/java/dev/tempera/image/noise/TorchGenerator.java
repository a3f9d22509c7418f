package dev.tempera.image.noise;

import java.util.Objects;

/**
 * A seeded source of standard normal noise that reproduces PyTorch's CPU generator bit for bit:
 * {@code new TorchGenerator(s).randn(shape)} equals
 * {@code torch.randn(shape, generator=torch.Generator().manual_seed(s), dtype=torch.float32)} on x86-64
 * (see the package documentation for which machines and versions that covers).
 *
 * <pre>{@code
 * TorchGenerator generator = new TorchGenerator(42);
 * float[] latents = generator.randn(1, 4, 64, 64);   // diffusers' initial latents (before * init_noise_sigma)
 * float[] stepNoise = generator.randn(1, 4, 64, 64); // an ancestral scheduler's noise for the first step
 * }</pre>
 *
 * <p><b>The stream.</b> Like {@code torch.Generator} this object is state: every call continues where the
 * last one stopped, so the noise a pipeline sees depends on the order and sizes of all draws from the same
 * generator. diffusers draws the latents first, then (for ancestral, SDE, DDIM with {@code eta > 0} and LCM
 * schedulers) one tensor of the latents' shape per step, all from the one generator;
 * {@link RandnTensor} covers its one-generator-per-image form.
 *
 * <p><b>Two algorithms, chosen by size.</b> Only the element count matters, not the shape:
 * <ul>
 *   <li>16 or more elements (every latent tensor): one 32-bit draw per element to make float uniforms for
 *       the whole tensor, then a float32 Box-Muller over each block of 16 with the Cephes polynomials of
 *       torch's AVX2 kernel ({@link Avx2BoxMuller}). If the count is not a multiple of 16, 16 fresh uniforms
 *       are drawn into the last 16 slots and that block is transformed again. So 16 extra draws are
 *       consumed, and {@code randn(n)} is not a prefix of a longer call: its last 16 values come from the
 *       fresh draws (for {@code randn(17)} only element 0 matches {@code randn(16)}).
 *   <li>Fewer than 16 elements: double-precision Box-Muller one element at a time, four 32-bit draws per
 *       pair; the second value of the pair is cached in the generator and returned by the next scalar-path
 *       element, even in a later call. The cache survives calls that take the vector path (they neither
 *       read nor clear it) and is cleared only by {@link #manualSeed}. float32 and float64 requests share it.
 * </ul>
 *
 * <p>Not thread-safe: use one generator per thread or guard it; sharing one across threads would also make
 * the noise depend on scheduling. The {@code randn} methods allocate only their result; the {@code fill}
 * methods allocate nothing.
 */
public final class TorchGenerator {

    /** The seed of a fresh {@code torch.Generator()} that was never seeded ({@code default_rng_seed_val}). */
    public static final long DEFAULT_SEED = 67280421310721L;

    /** Below this many elements torch takes the scalar (double-precision, cached) path. */
    static final int VECTOR_PATH_MIN = 16;

    private static final int FLOAT_MANTISSA_MASK = (1 << 24) - 1;
    private static final float TWO_TO_MINUS_24 = 0x1.0p-24f;
    private static final long DOUBLE_MANTISSA_MASK = (1L << 53) - 1;
    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;

    private final Mt19937 engine;
    private boolean hasCachedNormal;
    private double cachedNormal;

    /** A generator in the state of {@code torch.Generator()}: seeded with {@link #DEFAULT_SEED}. */
    public TorchGenerator() {
        this(DEFAULT_SEED);
    }

    /**
     * A generator in the state of {@code torch.Generator().manual_seed(seed)}. Only the low 32 bits of the
     * seed affect the numbers; a negative Python seed {@code s} is the Java {@code long} {@code s} (torch
     * keeps its two's-complement bits), and a Python seed in {@code [2^63, 2^64)} is
     * {@code seed - 2^64} here.
     */
    public TorchGenerator(long seed) {
        this.engine = new Mt19937(seed);
    }

    private TorchGenerator(TorchGenerator other) {
        this.engine = other.engine.copy();
        this.hasCachedNormal = other.hasCachedNormal;
        this.cachedNormal = other.cachedNormal;
    }

    /**
     * Restarts the stream as {@code generator.manual_seed(seed)} does: reseeds the engine and drops the
     * cached scalar-path normal.
     *
     * @return this generator, for chaining like torch's {@code manual_seed}
     */
    public TorchGenerator manualSeed(long seed) {
        engine.reseed(seed);
        hasCachedNormal = false;
        cachedNormal = 0.0;
        return this;
    }

    /**
     * The last seed given, as torch's {@code initial_seed()} reports it: all 64 bits, which torch prints
     * unsigned ({@link Long#toUnsignedString(long)}).
     */
    public long initialSeed() {
        return engine.seed();
    }

    /**
     * An independent generator in exactly this state (engine and cached normal), as
     * {@code g2.set_state(g.get_state())} would make; the two then produce the same numbers.
     */
    public TorchGenerator copy() {
        return new TorchGenerator(this);
    }

    /**
     * Standard normal float32 noise of the given shape, in row-major order, advancing this generator as
     * {@code torch.randn(shape, generator=g)} does. The empty shape is a scalar (one element); a shape with
     * a zero dimension returns an empty array and draws nothing.
     *
     * @throws IllegalArgumentException if a dimension is negative or the shape has more elements than a
     *     Java array can hold
     */
    public float[] randn(long... shape) {
        float[] out = new float[NoiseShape.numel(shape)];
        fillRandn(out, 0, out.length);
        return out;
    }

    /**
     * Overwrites all of {@code out} with {@code torch.randn(out.length)}, without allocating. As a method
     * reference ({@code generator::fillRandn}) this is the shape a scheduler's per-step noise callback takes.
     */
    public void fillRandn(float[] out) {
        fillRandn(Objects.requireNonNull(out, "out"), 0, out.length);
    }

    /**
     * Writes {@code torch.randn(count)} into {@code out[offset .. offset + count)}, without allocating.
     * Same numbers as {@link #randn} of any shape with {@code count} elements.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code count} is negative or the range does not
     *     fit in {@code out}
     */
    public void fillRandn(float[] out, int offset, int count) {
        checkRange(Objects.requireNonNull(out, "out").length, offset, count);
        if (count >= VECTOR_PATH_MIN) {
            for (int i = 0; i < count; i++) {
                out[offset + i] = uniformFloat();
            }
            for (int i = 0; i + VECTOR_PATH_MIN <= count; i += VECTOR_PATH_MIN) {
                Avx2BoxMuller.transform16(out, offset + i);
            }
            if (count % VECTOR_PATH_MIN != 0) {
                int tail = offset + count - VECTOR_PATH_MIN;
                for (int i = 0; i < VECTOR_PATH_MIN; i++) {
                    out[tail + i] = uniformFloat();
                }
                Avx2BoxMuller.transform16(out, tail);
            }
        } else {
            for (int i = 0; i < count; i++) {
                out[offset + i] = (float) nextScalarNormal();
            }
        }
    }

    /**
     * Standard normal float64 noise, as {@code torch.randn(shape, generator=g, dtype=torch.float64)}. A
     * different algorithm from {@link #randn} (double uniforms from two draws each, libm-style
     * {@code log}/{@code sin}/{@code cos}), so it is not the float32 noise widened; see
     * {@link DoubleBoxMuller} for how closely it can match torch.
     *
     * @throws IllegalArgumentException as {@link #randn}
     */
    public double[] randnDouble(long... shape) {
        double[] out = new double[NoiseShape.numel(shape)];
        fillRandnDouble(out, 0, out.length);
        return out;
    }

    /**
     * Writes {@code torch.randn(count, dtype=torch.float64)} into {@code out[offset .. offset + count)}.
     *
     * @throws IllegalArgumentException as {@link #fillRandn}
     */
    public void fillRandnDouble(double[] out, int offset, int count) {
        checkRange(Objects.requireNonNull(out, "out").length, offset, count);
        if (count >= VECTOR_PATH_MIN) {
            for (int i = 0; i < count; i++) {
                out[offset + i] = uniformDouble();
            }
            for (int i = 0; i + VECTOR_PATH_MIN <= count; i += VECTOR_PATH_MIN) {
                DoubleBoxMuller.transform16(out, offset + i);
            }
            if (count % VECTOR_PATH_MIN != 0) {
                int tail = offset + count - VECTOR_PATH_MIN;
                for (int i = 0; i < VECTOR_PATH_MIN; i++) {
                    out[tail + i] = uniformDouble();
                }
                DoubleBoxMuller.transform16(out, tail);
            }
        } else {
            for (int i = 0; i < count; i++) {
                out[offset + i] = nextScalarNormal();
            }
        }
    }

    /** {@code uniform_real_distribution<float>(0, 1)}: the low 24 bits of one draw, times 2^-24. */
    private float uniformFloat() {
        return (engine.random() & FLOAT_MANTISSA_MASK) * TWO_TO_MINUS_24;
    }

    /** {@code uniform_real_distribution<double>(0, 1)}: the low 53 bits of {@code random64()}, times 2^-53. */
    private double uniformDouble() {
        return (engine.random64() & DOUBLE_MANTISSA_MASK) * TWO_TO_MINUS_53;
    }

    /** {@code at::normal_distribution<double>(0, 1)} with the generator's cached second value. */
    private double nextScalarNormal() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return DoubleBoxMuller.scale(cachedNormal);
        }
        double u1 = uniformDouble();
        double u2 = uniformDouble();
        double radius = DoubleBoxMuller.radius(u2);
        double theta = DoubleBoxMuller.theta(u1);
        cachedNormal = radius * DoubleBoxMuller.sin(theta);
        hasCachedNormal = true;
        return DoubleBoxMuller.scale(radius * DoubleBoxMuller.cos(theta));
    }

    private static void checkRange(int length, int offset, int count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IllegalArgumentException("offset and count must satisfy 0 <= offset, 0 <= count, "
                    + "offset + count <= out.length (" + length + "), but are: offset " + offset
                    + ", count " + count);
        }
    }

    @Override
    public String toString() {
        return "TorchGenerator[initialSeed=" + Long.toUnsignedString(initialSeed()) + "]";
    }
}
