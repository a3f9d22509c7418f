package dev.tempera.eval.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every distinct token and every distinct n-gram (of any order) a dense int id, exactly (no hashing
 * collisions), so that the text metrics count n-grams in plain arrays instead of maps of strings.
 *
 * <p>A token gets an id on first sight; an n-gram's id is that of the pair (id of its first n−1 tokens, id of
 * its last token), so ids of different orders never collide and a trigram costs one lookup given its bigram.
 * Ids are {@code 0 .. size()-1} in order of first sight.
 *
 * <p>Not thread-safe: one instance per computation. Internal API.
 */
public final class NgramIds {

    private final Map<String, Integer> tokens = new HashMap<>();
    private int next;

    // (prefix id, last token id) -> id, open addressing with linear probing. java.util.HashMap<Long, ...> hashes a
    // long as high ^ low, which for two small ints collides on every (a, b) / (b, a) and made n-gram counting
    // ~15x slower on real text; fmix64 spreads the keys.
    private long[] keys = new long[1024];
    private int[] values = filled(1024);
    private int used;

    /** The number of ids handed out so far (tokens and n-grams together). */
    public int size() {
        return next;
    }

    /** The ids of {@code words}, one per word. */
    public int[] tokens(List<String> words) {
        int[] ids = new int[words.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokens.computeIfAbsent(words.get(i), w -> next++);
        }
        return ids;
    }

    /** The id of the n-gram made of the gram {@code prefix} followed by the token {@code last}. */
    public int extend(int prefix, int last) {
        long key = ((long) prefix << 32) | (last & 0xffffffffL);
        int mask = keys.length - 1;
        int slot = (int) mix(key) & mask;
        while (values[slot] >= 0) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        int id = next++;
        keys[slot] = key;
        values[slot] = id;
        if (++used * 2 > keys.length) {
            grow();
        }
        return id;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = filled(keys.length);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] >= 0) {
                int slot = (int) mix(oldKeys[i]) & mask;
                while (values[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    /** MurmurHash3's 64-bit finaliser. */
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    /**
     * The ids of all n-grams of {@code tokenIds} for n = 1..maxN: {@code result[n-1][i]} is the n-gram starting
     * at position i; order n has {@code max(0, length − n + 1)} entries.
     */
    public int[][] grams(int[] tokenIds, int maxN) {
        int[][] out = new int[maxN][];
        out[0] = tokenIds.clone();
        for (int n = 2; n <= maxN; n++) {
            int count = Math.max(0, tokenIds.length - n + 1);
            int[] prev = out[n - 2];
            int[] cur = new int[count];
            for (int i = 0; i < count; i++) {
                cur[i] = extend(prev[i], tokenIds[i + n - 1]);
            }
            out[n - 1] = cur;
        }
        return out;
    }

    /** {@link #grams} of every text, tokenised by {@link #tokens}: {@code result[text][n-1][i]}. */
    public int[][][] gramsOfAll(List<List<String>> texts, int maxN) {
        int[][][] out = new int[texts.size()][][];
        for (int t = 0; t < out.length; t++) {
            out[t] = grams(tokens(texts.get(t)), maxN);
        }
        return out;
    }
}
