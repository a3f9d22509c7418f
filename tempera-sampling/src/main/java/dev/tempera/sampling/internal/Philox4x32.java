package dev.tempera.sampling.internal;

/**
 * Philox4x32-10, the counter-based generator of Random123 (Salmon et al., SC'11) that PyTorch's CUDA
 * generator and Triton's {@code tl.rand} also use. A draw is a pure function of a 64-bit key and a
 * 128-bit counter, so a sequence's random numbers depend only on (seed, position, draw index): not
 * on batch size, batch order or thread count.
 *
 * <p>Stateless and thread-safe; no allocation.
 */
public final class Philox4x32 {

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private Philox4x32() {}

    /**
     * The first two 32-bit output words of Philox4x32-10 for the given key and counter, packed as
     * {@code (word0 << 32) | word1}.
     */
    public static long block(long key, int c0, int c1, int c2, int c3) {
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        int x0 = c0;
        int x1 = c1;
        int x2 = c2;
        int x3 = c3;
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (x0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (x2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            int y0 = hi1 ^ x1 ^ k0;
            int y1 = lo1;
            int y2 = hi0 ^ x3 ^ k1;
            int y3 = lo0;
            x0 = y0;
            x1 = y1;
            x2 = y2;
            x3 = y3;
            k0 += W0;
            k1 += W1;
        }
        return ((long) x0 << 32) | (x1 & 0xFFFFFFFFL);
    }

    /** All four output words, for known-answer tests against Random123. */
    public static int[] block4(long key, int c0, int c1, int c2, int c3) {
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        int x0 = c0;
        int x1 = c1;
        int x2 = c2;
        int x3 = c3;
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (x0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (x2 & 0xFFFFFFFFL);
            int y0 = (int) (p1 >>> 32) ^ x1 ^ k0;
            int y1 = (int) p1;
            int y2 = (int) (p0 >>> 32) ^ x3 ^ k1;
            int y3 = (int) p0;
            x0 = y0;
            x1 = y1;
            x2 = y2;
            x3 = y3;
            k0 += W0;
            k1 += W1;
        }
        return new int[] {x0, x1, x2, x3};
    }

    /**
     * A uniform double in [0, 1) with 53 random bits, keyed by (seed, position, draw).
     *
     * @param seed the sequence's seed
     * @param position the index of the generated token within the sequence (0 for the first)
     * @param draw which draw at that position (0 for the token itself, 1 for XTC's coin, …)
     */
    public static double uniform(long seed, long position, int draw) {
        long bits = block(seed, (int) position, (int) (position >>> 32), draw, 0x7E3A_0001);
        return (bits >>> 11) * 0x1.0p-53;
    }
}
