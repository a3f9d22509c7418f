package dev.tempera.image.noise;

/**
 * MT19937 written the textbook way (Matsumoto and Nishimura's {@code init_genrand} / {@code genrand_int32}):
 * values held in {@code long}s masked to 32 bits, the whole state regenerated eagerly when exhausted. Slow
 * and plain on purpose, so that {@link Mt19937}'s int-overflow arithmetic and lazy twist can be checked
 * against it.
 */
final class ReferenceMt19937 {

    private static final int N = 624;
    private static final int M = 397;
    private static final long MASK32 = 0xFFFFFFFFL;

    private final long[] mt = new long[N];
    private int index;

    ReferenceMt19937(long seed) {
        mt[0] = seed & MASK32;
        for (int i = 1; i < N; i++) {
            mt[i] = (1812433253L * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) & MASK32;
        }
        index = N;
    }

    /** The next output as an unsigned value in [0, 2^32). */
    long next() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                long y = (mt[k] & 0x80000000L) | (mt[(k + 1) % N] & 0x7FFFFFFFL);
                long mag = (y & 1) == 0 ? 0 : 0x9908B0DFL;
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ mag;
            }
            index = 0;
        }
        long y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680L;
        y ^= (y << 15) & 0xEFC60000L;
        y ^= y >>> 18;
        return y & MASK32;
    }
}
