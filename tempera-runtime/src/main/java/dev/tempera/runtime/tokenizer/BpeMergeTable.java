package dev.tempera.runtime.tokenizer;

/**
 * The merges of a BPE vocabulary as an open-addressing hash table from a pair of token ids to the merge's rank
 * (its line in {@code merges.txt}, 0 first) and the id of the merged token. No boxing on lookup.
 *
 * <p>Immutable after construction and thread-safe.
 */
final class BpeMergeTable {

    private static final long EMPTY = -1L;

    private final long[] keys;
    /** rank in the high 32 bits, merged id in the low 32 bits. */
    private final long[] values;
    private final int mask;
    private int size;

    BpeMergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    /**
     * Adds a merge; a pair listed twice keeps its later line, as the Python dict and the Rust map that transformers
     * and tokenizers build from the merge list do (real merge files list each pair once).
     */
    void put(int left, int right, int rank, int merged) {
        long k = key(left, right);
        int i = slot(k, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == k) {
                values[i] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
                return;
            }
            i = (i + 1) & mask;
        }
        if (size + 1 > keys.length * 3 / 4) {
            throw new IllegalStateException("merge table full: sized for fewer merges than were added");
        }
        keys[i] = k;
        values[i] = ((long) rank << 32) | (merged & 0xFFFFFFFFL);
        size++;
    }

    /** The packed (rank, merged id) of the pair, or -1 when the pair has no merge. */
    long find(int left, int right) {
        if (left < 0 || right < 0) {
            return -1L; // an unknown symbol never merges (and (-1, -1) would alias the empty-slot marker)
        }
        long k = key(left, right);
        int i = slot(k, mask);
        while (true) {
            long stored = keys[i];
            if (stored == k) {
                return values[i];
            }
            if (stored == EMPTY) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }

    static int rank(long packed) {
        return (int) (packed >>> 32);
    }

    static int merged(long packed) {
        return (int) packed;
    }

    int size() {
        return size;
    }
}
