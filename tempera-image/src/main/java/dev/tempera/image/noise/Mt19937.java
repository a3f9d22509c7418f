package dev.tempera.image.noise;

/**
 * The 32-bit Mersenne Twister MT19937 exactly as PyTorch's CPU generator runs it
 * ({@code aten/src/ATen/core/MT19937RNGEngine.h}): seeded with the reference {@code init_genrand}, and
 * twisting lazily, so the whole 624-word state is regenerated on the first draw after seeding and then on
 * every 624th draw.
 *
 * <p><b>Seed reduction.</b> The seed is a 64-bit value but only its low 32 bits reach the state:
 * {@code 2^32 + 5} and {@code 5} give the same stream. torch passes negative Python seeds through as their
 * two's-complement bits ({@code -1} is {@code 2^64 - 1}), which is exactly what a Java {@code long} holds,
 * so every seed torch accepts has one {@code long} with the same bits. (This is not numpy's
 * {@code RandomState(seed)} stream for seeds of 2^32 or more, which numpy rejects.)
 *
 * <p><b>Draw order.</b> {@link #random()} is one engine step. {@link #random64()} is two steps, the first
 * giving the high word, as {@code CPUGeneratorImpl::random64} does. Distributions built on top (see
 * {@link TorchGenerator}) consume these in a fixed order that is part of the contract.
 *
 * <p>Mutable and not thread-safe: confine an instance to one thread or guard it externally. {@code new
 * Mt19937(5489).random()} is {@code 3499211612} (as unsigned), the first output of the reference code.
 */
public final class Mt19937 {

    /** Number of 32-bit words of state. */
    static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private long seed;
    /** Draws left before the next twist; 1 right after seeding, so the first draw twists. */
    private int left;
    /** Index of the next state word to temper and return. */
    private int next;

    /** An engine seeded as {@code torch.Generator().manual_seed(seed)} seeds it (low 32 bits used). */
    public Mt19937(long seed) {
        reseed(seed);
    }

    private Mt19937(Mt19937 other) {
        System.arraycopy(other.state, 0, state, 0, N);
        seed = other.seed;
        left = other.left;
        next = other.next;
    }

    /**
     * Restarts the engine from {@code seed}, discarding all state; only the low 32 bits of the seed enter
     * the state, the full 64 bits are kept for {@link #seed()}.
     */
    public void reseed(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int prev = state[j - 1];
            // Arithmetic mod 2^32 is exactly Java int overflow.
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
        }
        left = 1;
        next = 0;
    }

    /** The seed last given to the constructor or {@link #reseed}, with all 64 bits (read as unsigned in torch). */
    public long seed() {
        return seed;
    }

    /**
     * The next 32-bit output. Java has no unsigned int: read it with {@link Integer#toUnsignedLong(int)}
     * when comparing with torch or the reference implementation.
     */
    public int random() {
        if (--left == 0) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** Two draws packed high word first: {@code (random() << 32) | random()}, as torch's {@code random64()}. */
    public long random64() {
        long hi = Integer.toUnsignedLong(random());
        long lo = Integer.toUnsignedLong(random());
        return (hi << 32) | lo;
    }

    /** An independent engine in the same state: both produce the same outputs from here on. */
    public Mt19937 copy() {
        return new Mt19937(this);
    }

    private void twist() {
        int[] s = state;
        int k = 0;
        for (; k < N - M; k++) {
            s[k] = s[k + M] ^ mix(s[k], s[k + 1]);
        }
        for (; k < N - 1; k++) {
            s[k] = s[k + M - N] ^ mix(s[k], s[k + 1]);
        }
        s[N - 1] = s[M - 1] ^ mix(s[N - 1], s[0]);
        left = N;
        next = 0;
    }

    private static int mix(int u, int v) {
        int y = (u & UPPER_MASK) | (v & LOWER_MASK);
        return (y >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    @Override
    public String toString() {
        return "Mt19937[seed=" + Long.toUnsignedString(seed) + ", next=" + next + "]";
    }
}
