package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Golden values worked by hand from NLTK's sentence_bleu with method1 (formulas in each test).
 *
 * <p>Bad inputs tried: one output, gram 0, an empty reference list, maxN 0.
 */
class SelfBleuTest {

    private static final List<List<String>> CATS = List.of(List.of("the", "cat", "sat"),
            List.of("the", "cat", "ran"), List.of("a", "dog", "ran"));

    @Test
    void selfBleu2ByHand() {
        // all lengths 3, so r = c = 3 and BP = exp(1 - 3/3) = 1 for every hypothesis.
        // s1 vs {s2, s3}: p1 = 2/3 (the, cat), p2 = 1/2 (the cat)           -> sqrt(2/3 * 1/2)   = 0.5773502691896257
        // s2 vs {s1, s3}: p1 = 3/3 (the, cat from s1; ran from s3), p2 = 1/2 -> sqrt(1 * 1/2)     = 0.7071067811865476
        // s3 vs {s1, s2}: p1 = 1/3 (ran), p2 = 0 -> method1 0.1/2 = 0.05   -> sqrt(1/3 * 0.05)  = 0.12909944487358055
        // mean = 0.4711854984165846
        assertThat(SelfBleu.score(CATS, 2)).isCloseTo(0.4711854984165846, within(1e-12));
    }

    @Test
    void selfBleu3ByHandIsTheDefault() {
        // as above plus p3: no trigram of any hypothesis recurs -> 0.1 / 1 each
        // s1: (2/3 * 1/2 * 0.1)^(1/3) = 0.3218297948685433; s2: (1 * 1/2 * 0.1)^(1/3) = 0.3684031498640387;
        // s3: (1/3 * 0.05 * 0.1)^(1/3) = 0.11856311014966878; mean = 0.2695986849607503
        assertThat(SelfBleu.score(CATS)).isCloseTo(0.2695986849607503, within(1e-12));
        assertThat(NltkSentenceBleu.score(CATS.get(0), List.of(CATS.get(1), CATS.get(2)), 3))
                .isCloseTo(0.3218297948685433, within(1e-12));
    }

    @Test
    void brevityPenaltyUsesTheOtherOutputsLength() {
        // gram 1. [a b] vs [a b c d]: p1 = 1, c = 2 < r = 4 -> BP = exp(1 - 4/2) = e^-1 = 0.36787944117144233
        // [a b c d] vs [a b]: p1 = 2/4, c = 4 > r = 2 -> BP = 1 -> 0.5; mean 0.43393972058572117
        assertThat(SelfBleu.score(List.of(List.of("a", "b"), List.of("a", "b", "c", "d")), 1))
                .isCloseTo(0.43393972058572117, within(1e-12));
    }

    @Test
    void closestReferenceLengthTiesGoToTheShorter() {
        // hyp x y z (c = 3) against [x y] (2) and [x y w v] (4): both 1 away, nltk takes 2, so c > r and BP = 1:
        // BLEU-1 = p1 = 2/3. (Taking 4 would give exp(1 - 4/3) * 2/3 = 0.4777.)
        assertThat(NltkSentenceBleu.score(List.of("x", "y", "z"), List.of(List.of("x", "y"), List.of("x", "y", "w", "v")), 1))
                .isCloseTo(2.0 / 3, within(1e-15));
        assertThat(NltkSentenceBleu.closestReferenceLength(List.of(List.of("1", "2", "3", "4"), List.of("1", "2")), 3))
                .isEqualTo(2);
    }

    @Test
    void countsAreClippedByTheLargestCountInOneReference() {
        // hyp "a a a" vs refs "a b" and "a a c": max count of "a" in one reference is 2, so p1 = 2/3 (not 3/3 from
        // adding the references' counts). c = 3, closest r = 3 -> BP 1. BLEU-1 = 2/3
        assertThat(NltkSentenceBleu.score(List.of("a", "a", "a"), List.of(List.of("a", "b"), List.of("a", "a", "c")), 1))
                .isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void identicalOutputsScoreOneAndDisjointOnesZero() {
        List<String> s = List.of("a", "red", "circle", "on", "blue");
        assertThat(SelfBleu.score(List.of(s, s, s))).isCloseTo(1.0, within(1e-12));
        // no unigram in common: nltk returns 0 before smoothing
        assertThat(SelfBleu.score(List.of(List.of("a", "b"), List.of("c", "d")))).isZero();
        // an empty output has c = 0 -> 0; the other has no unigram match -> 0
        assertThat(SelfBleu.score(List.of(List.of(), List.of("a")))).isZero();
    }

    @Test
    void fastSetComputationEqualsSentenceBleuOnRandomSets() {
        // the O(total) top-two-counts path against the slow map-based nltk transcription, on sets with many
        // repeats (vocabulary of 5), ties in length and empty outputs
        Random random = new Random(20240605);
        for (int trial = 0; trial < 300; trial++) {
            int k = 2 + random.nextInt(6);
            int gram = 1 + random.nextInt(4);
            List<List<String>> set = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<String> words = new ArrayList<>();
                int len = random.nextInt(9);
                for (int w = 0; w < len; w++) {
                    words.add("w" + random.nextInt(5));
                }
                set.add(words);
            }
            double slow = 0;
            for (int i = 0; i < k; i++) {
                List<List<String>> refs = new ArrayList<>(set);
                refs.remove(i);
                slow += NltkSentenceBleu.score(set.get(i), refs, gram);
            }
            slow /= k;
            assertThat(SelfBleu.score(set, gram)).as("trial %d: %s gram %d", trial, set, gram)
                    .isCloseTo(slow, within(1e-12));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> SelfBleu.score(List.of(List.of("a")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("self-BLEU needs at least 2 outputs (each is scored against the others), but got: 1");
        assertThatThrownBy(() -> SelfBleu.score(CATS, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gram (the BLEU order) must be >= 1, but is: 0");
        assertThatThrownBy(() -> NltkSentenceBleu.score(List.of("a"), List.of(), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("references must hold at least 1 reference, but holds: 0");
        assertThatThrownBy(() -> NltkSentenceBleu.score(List.of("a"), List.of(List.of("a")), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxN (the BLEU order) must be >= 1, but is: 0");
    }
}
