package dev.tempera.eval.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * MATTR, the moving-average type–token ratio of one text (Covington &amp; McFall 2010).
 *
 * <p>Definition (kristopherkyle/lexical_diversity {@code mattr(text, window_length=50)}, eval anchors §1.2):
 * <pre>
 *   MATTR_W = mean over i = 1..N−W+1 of |types(t_i .. t_{i+W−1})| / W      when N ≥ W + 1
 *           = |types| / N  (plain TTR)                                       when N ≤ W   (the fallback)
 *           = 0                                                              when N = 0
 * </pre>
 * The window slides one token at a time with running counts, so the cost is O(N) whatever W is.
 *
 * <p>What callers trip on: VLM captions are often shorter than 50 words, and then MATTR is just TTR (the
 * reference's fallback, kept here); pick a smaller window (e.g. 25) to compare short texts. Stateless and
 * thread-safe.
 */
public final class Mattr {

    /** The reference's default window. */
    public static final int DEFAULT_WINDOW = 50;

    private Mattr() {
    }

    /** MATTR with the default window of 50 words. */
    public static double of(List<String> words) {
        return of(words, DEFAULT_WINDOW);
    }

    /**
     * MATTR with a window of {@code window} words.
     *
     * @throws IllegalArgumentException when {@code window} &lt; 1
     */
    public static double of(List<String> words, int window) {
        Objects.requireNonNull(words, "words");
        if (window < 1) {
            throw new IllegalArgumentException("window (words) must be >= 1, but is: " + window);
        }
        int n = words.size();
        if (n == 0) {
            return 0.0;
        }
        Map<String, Integer> idOf = new HashMap<>();
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = idOf.computeIfAbsent(words.get(i), w -> idOf.size());
        }
        if (n < window + 1) {
            return (double) idOf.size() / n;
        }
        int[] count = new int[idOf.size()];
        int types = 0;
        for (int i = 0; i < window; i++) {
            if (count[ids[i]]++ == 0) {
                types++;
            }
        }
        long typeSum = types;
        for (int i = window; i < n; i++) {
            if (--count[ids[i - window]] == 0) {
                types--;
            }
            if (count[ids[i]]++ == 0) {
                types++;
            }
            typeSum += types;
        }
        int windows = n - window + 1;
        return (double) typeSum / ((double) window * windows);
    }
}
