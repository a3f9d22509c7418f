package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad inputs tried: thresholds 0, 1, -0.5 and NaN. */
class MtldTest {

    private static List<String> words(String s) {
        return List.of(s.split(" "));
    }

    @Test
    void wholeFactorsOnly() {
        // a b a | b a b: TTR 2/3 = 0.667 <= 0.72 at the 3rd and 6th word -> 2 factors, nothing left; 6/2 = 3.
        // The reversed text is the same pattern: 3. MTLD = 3.
        assertThat(Mtld.of(words("a b a b a b"))).isEqualTo(3.0);
    }

    @Test
    void partialFactorAtTheEnd() {
        // forward: a b a (2/3 -> factor 1) | c d (TTR 1 -> partial 0): 5 / 1 = 5
        // backward: d c a b a: TTR 4/5 = 0.8 never <= 0.72 -> partial (1 - 0.8)/(1 - 0.72) = 0.714285...: 5 / 0.714285 = 7
        // MTLD = (5 + 7) / 2 = 6
        assertThat(Mtld.of(words("a b a c d"))).isCloseTo(6.0, within(1e-12));
    }

    @Test
    void resetsWhenTtrEqualsTheThreshold() {
        // threshold 0.5. forward: a b a a -> 2/4 = 0.5 <= 0.5, factor 1 | c d: partial 0 -> 6 / 1 = 6
        // (with a strict "<" it would run on: 4/6 at the end, partial (1-2/3)/0.5 -> 9)
        // backward: d c a a b a -> 4/6 at the end, partial (1 - 2/3)/0.5 = 2/3 -> 6 / (2/3) = 9
        // MTLD = (6 + 9) / 2 = 7.5
        assertThat(Mtld.of(words("a b a a c d"), 0.5)).isCloseTo(7.5, within(1e-12));
    }

    @Test
    void allDistinctWordsScoreTheirCount() {
        // no factor completes and the rest has TTR 1: LexicalRichness counts one factor -> N / 1
        assertThat(Mtld.of(words("a b c"))).isEqualTo(3.0);
        assertThat(Mtld.of(List.of("一"))).isEqualTo(1.0);
    }

    @Test
    void emptyTextScoresZero() {
        assertThat(Mtld.of(List.of())).isZero();
    }

    @Test
    void longRepetitiveTextIsFiniteAndSmall() {
        Random random = new Random(3);
        List<String> w = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            w.add("w" + random.nextInt(5));
        }
        double m = Mtld.of(w);
        // 5 word types: a factor closes within a handful of words
        assertThat(m).isFinite().isBetween(3.0, 10.0);
    }

    @Test
    void rejectsThresholdsOutsideTheOpenUnitInterval() {
        for (double t : new double[] {0, 1, -0.5, Double.NaN}) {
            assertThatThrownBy(() -> Mtld.of(words("a b"), t)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("threshold (a type-token ratio) must be in (0, 1), but is: " + t
                            + " (McCarthy & Jarvis use 0.72)");
        }
    }
}
