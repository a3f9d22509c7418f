package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad inputs tried: n = 0. */
class NgramEntropyTest {

    private static final List<List<String>> SET = List.of(List.of("a", "red", "circle"),
            List.of("a", "red", "square", "a", "red"));

    @Test
    void unigramEntropyInNats() {
        // counts a 3, red 3, circle 1, square 1 of 8: -(2 * 3/8 ln 3/8 + 2 * 1/8 ln 1/8) = 1.2554823251787535
        // (the reference's +1e-10 on the total moves this by ~1e-10)
        assertThat(NgramEntropy.of(SET, 1)).isCloseTo(1.2554823251787535, within(1e-9));
    }

    @Test
    void bigramAndTrigramEntropy() {
        // bigrams 3, 1, 1, 1 of 6: -(1/2 ln 1/2 + 3 * 1/6 ln 1/6) = 1.2424533248940002
        assertThat(NgramEntropy.of(SET, 2)).isCloseTo(1.2424533248940002, within(1e-9));
        // trigrams: 4 distinct, once each: ln 4 = 1.3862943611198906
        assertThat(NgramEntropy.of(SET, 3)).isCloseTo(Math.log(4), within(1e-9));
    }

    @Test
    void noNgramsOrOneRepeatedNgramGiveZero() {
        assertThat(NgramEntropy.of(List.of(List.of(), List.of("a")), 2)).isZero();
        assertThat(NgramEntropy.of(List.of(List.of("a", "a", "a")), 1)).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void rejectsNZero() {
        assertThatThrownBy(() -> NgramEntropy.of(SET, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 1, but is: 0");
    }
}
