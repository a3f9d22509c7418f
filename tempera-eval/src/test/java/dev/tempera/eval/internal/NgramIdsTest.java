package dev.tempera.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NgramIdsTest {

    @Test
    void gramsByHand() {
        NgramIds ids = new NgramIds();
        int[] t = ids.tokens(List.of("a", "b", "a", "b"));
        // tokens a = 0, b = 1
        assertThat(t).containsExactly(0, 1, 0, 1);
        int[][] g = ids.grams(t, 3);
        // bigrams (a b) (b a) (a b): the first and last are the same n-gram
        assertThat(g[1]).hasSize(3);
        assertThat(g[1][0]).isEqualTo(g[1][2]).isNotEqualTo(g[1][1]);
        // trigrams (a b a) (b a b): two distinct ids, different from every unigram and bigram id
        assertThat(g[2]).hasSize(2).doesNotHaveDuplicates();
        assertThat(List.of(g[2][0], g[2][1])).doesNotContain(0, 1, g[1][0], g[1][1]);
        assertThat(ids.grams(ids.tokens(List.of("a")), 4)[3]).isEmpty();
    }

    @Test
    void idsAreEqualExactlyWhenTheNgramsAreEqual() {
        // the open-addressing table against a map keyed by the n-gram's words, across many table growths
        Random random = new Random(1);
        NgramIds ids = new NgramIds();
        Map<String, Integer> reference = new HashMap<>();
        for (int text = 0; text < 60; text++) {
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 300; w++) {
                words.add("w" + (int) Math.pow(3000, random.nextDouble()));
            }
            int[][] grams = ids.grams(ids.tokens(words), 4);
            for (int n = 1; n <= 4; n++) {
                for (int i = 0; i + n <= words.size(); i++) {
                    String key = n + ":" + String.join(" ", words.subList(i, i + n));
                    Integer seen = reference.putIfAbsent(key, grams[n - 1][i]);
                    if (seen != null) {
                        assertThat(grams[n - 1][i]).as(key).isEqualTo(seen);
                    }
                }
            }
        }
        // distinct n-grams got distinct ids, and ids are dense
        assertThat(reference.values().stream().distinct().count()).isEqualTo(reference.size());
        assertThat(ids.size()).isEqualTo(reference.size());
    }
}
