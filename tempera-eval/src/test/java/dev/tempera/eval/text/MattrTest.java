package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad inputs tried: window 0 and -1. */
class MattrTest {

    private static final List<String> ABAC = List.of("a", "b", "a", "c");

    @Test
    void slidingWindowsByHand() {
        // W = 3, N = 4 >= W + 1: windows (a b a) 2/3 and (b a c) 3/3; mean 5/6
        assertThat(Mattr.of(ABAC, 3)).isCloseTo(5.0 / 6, within(1e-15));
        // W = 2: (a b) (b a) (a c) all 2/2
        assertThat(Mattr.of(ABAC, 2)).isEqualTo(1.0);
        // W = 1: every window has one type
        assertThat(Mattr.of(ABAC, 1)).isEqualTo(1.0);
    }

    @Test
    void textsNoLongerThanTheWindowFallBackToTtr() {
        // lexical_diversity: len(text) < window_length + 1 -> TTR = 3 types / 4 tokens
        assertThat(Mattr.of(ABAC)).isEqualTo(0.75);
        assertThat(Mattr.of(ABAC, 4)).isEqualTo(0.75);
        assertThat(Mattr.of(List.of())).isZero();
    }

    @Test
    void equalsTheNaiveWindowMeanOnLongTexts() {
        // 2,000 words from a 40-word vocabulary: the O(N) running counts against recounting every window
        Random random = new Random(7);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            words.add("w" + random.nextInt(40));
        }
        for (int window : new int[] {1, 7, 50, 100}) {
            double sum = 0;
            int windows = words.size() - window + 1;
            for (int i = 0; i < windows; i++) {
                sum += (double) new HashSet<>(words.subList(i, i + window)).size() / window;
            }
            assertThat(Mattr.of(words, window)).as("window %d", window).isCloseTo(sum / windows, within(1e-12));
        }
    }

    @Test
    void rejectsNonPositiveWindows() {
        assertThatThrownBy(() -> Mattr.of(ABAC, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window (words) must be >= 1, but is: 0");
        assertThatThrownBy(() -> Mattr.of(ABAC, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("window (words) must be >= 1, but is: -1");
    }
}
