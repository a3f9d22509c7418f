package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad inputs tried: n = 0, inconsistent counts, a sentenceMean above 1, a null normalisation. */
class DistinctNTest {

    // A = a red circle; B = a red square a red. Unigram counts over the set: a 3, red 3, circle 1, square 1.
    private static final List<List<String>> SET = List.of(List.of("a", "red", "circle"),
            List.of("a", "red", "square", "a", "red"));

    @Test
    void unigramsUnderEveryNormalisation() {
        DistinctN d = DistinctN.ofWords(SET, 1);
        // 4 distinct of 8 unigrams; 8 tokens; singletons circle, square = 2
        assertThat(d).isEqualTo(new DistinctN(1, 4, 2, 8, 8, 0.8));
        assertThat(d.value()).isEqualTo(0.5);
        assertThat(d.value(DistinctNormalisation.PER_TOKEN)).isEqualTo(0.5);
        assertThat(d.value(DistinctNormalisation.SINGLETONS_PER_NGRAM)).isEqualTo(0.25);
        // sentence mean: A 3 distinct / 3 tokens = 1, B 3 / 5 = 0.6; mean 0.8
        assertThat(d.value(DistinctNormalisation.SENTENCE_MEAN)).isCloseTo(0.8, within(1e-15));
    }

    @Test
    void bigramsSeparateTheNormalisations() {
        DistinctN d = DistinctN.ofWords(SET, 2);
        // bigrams: A (a red)(red circle); B (a red)(red square)(square a)(a red): 6 in all, 4 distinct,
        // "a red" 3 times, the other three once
        assertThat(d.ngrams()).isEqualTo(6);
        assertThat(d.distinct()).isEqualTo(4);
        assertThat(d.value()).isEqualTo(4.0 / 6);                                     // Tevet
        assertThat(d.value(DistinctNormalisation.PER_TOKEN)).isEqualTo(4.0 / 8);     // Li et al.
        assertThat(d.value(DistinctNormalisation.SINGLETONS_PER_NGRAM)).isEqualTo(3.0 / 6); // degen
        // A: 2 distinct / 3 tokens; B: 3 distinct / 5 tokens; mean of the two
        assertThat(d.value(DistinctNormalisation.SENTENCE_MEAN)).isCloseTo((2.0 / 3 + 3.0 / 5) / 2, within(1e-15));
    }

    @Test
    void ngramsDoNotSpanOutputs() {
        // joined, "circle a" would be a bigram; per output it is not: 2 + 1 bigrams, all distinct
        DistinctN d = DistinctN.ofWords(List.of(List.of("a", "circle"), List.of("a", "square")), 2);
        assertThat(d.ngrams()).isEqualTo(2);
        assertThat(d.value()).isEqualTo(1.0);
    }

    @Test
    void outputsShorterThanNGiveZeroNotNaN() {
        DistinctN d = DistinctN.ofWords(List.of(List.of("a"), List.of()), 3);
        for (DistinctNormalisation norm : DistinctNormalisation.values()) {
            assertThat(d.value(norm)).as(norm.name()).isZero();
        }
        assertThat(DistinctN.ofWords(List.of(), 1).value()).isZero();
    }

    @Test
    void identicalOutputsHaveDistinctOneOverK() {
        // 4 copies of the same 3 words: 3 distinct of 12
        DistinctN d = DistinctN.of(List.of("a red circle", "a red circle", "a red circle", "a red circle"), 1,
                WordSegmentation.ICU_WORDS);
        assertThat(d.value()).isEqualTo(0.25);
        assertThat(d.value(DistinctNormalisation.SINGLETONS_PER_NGRAM)).isZero();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> DistinctN.ofWords(SET, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 1, but is: 0");
        assertThatThrownBy(() -> new DistinctN(1, 5, 1, 4, 4, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("counts must satisfy 0 <= singletons <= distinct <= ngrams <= tokens, but are: singletons 1,"
                        + " distinct 5, ngrams 4, tokens 4");
        assertThatThrownBy(() -> new DistinctN(1, 1, 1, 4, 4, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sentenceMean must be in [0, 1], but is: 1.5");
        assertThatThrownBy(() -> DistinctN.ofWords(SET, 1).value(null)).isInstanceOf(NullPointerException.class);
    }
}
