package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs tried: no outputs, a null output, options with maxN 0 and 9, selfBleuGram 0, mattrWindow 0,
 * mtldThreshold 1, a report whose lists do not match maxN, a single-output report with a self-BLEU.
 */
class TextDiversityReportTest {

    @Test
    void gathersTheHandComputedValues() {
        // Words: A = a red circle, B = a red square a red (as in DistinctNTest / NgramEntropyTest).
        TextDiversityReport r = TextDiversityReport.of(List.of("A red circle.", "a red square, a red"));
        assertThat(r.outputs()).isEqualTo(2);
        // seed: whitespace words keep punctuation: a red circle. / a red square, a red -> 8 words,
        // unique {a, red, circle., square,} = 4
        assertThat(r.seed().uniqueWords()).isEqualTo(4);
        assertThat(r.seed().totalWords()).isEqualTo(8);
        assertThat(r.unicode().lexicalDiversity()).isEqualTo(0.5);
        assertThat(r.distinct()).hasSize(4);
        assertThat(r.distinct().get(0).value()).isEqualTo(0.5);
        assertThat(r.distinct().get(1).value()).isEqualTo(4.0 / 6);
        assertThat(r.entropy().get(0)).isCloseTo(1.2554823251787535, within(1e-9));
        assertThat(r.entropy().get(1)).isCloseTo(1.2424533248940002, within(1e-9));
        // self-BLEU-3:
        //  A vs B: p1 = 2/3, p2 = 1/2 ("a red"), p3 = 0.1/1; c = 3 < r = 5 -> BP = exp(1 - 5/3)
        //          -> exp(-2/3) * (2/3 * 1/2 * 0.1)^(1/3) = 0.16523292610025755
        //  B vs A: p1 = (min(2,1) + min(2,1))/5 = 2/5, p2 = 1/4 (one "a red" clipped to 1), p3 = 0.1/3; c > r -> BP 1
        //          -> (2/5 * 1/4 * 0.1/3)^(1/3) = 0.14938015821857217
        //  mean 0.15730654215941486
        assertThat(r.selfBleu()).hasValueCloseTo(0.15730654215941486, within(1e-12));
        // MATTR falls back to TTR (both shorter than 50): A 3/3, B 3/5 -> mean 0.8
        assertThat(r.meanMattr()).isCloseTo(0.8, within(1e-15));
        // MTLD: A all distinct -> 3. B = a red square a red: forward a red square a (3/4 = .75) red (3/5 = .6 <= .72)
        // -> 1 factor, nothing left -> 5; backward red a square red (3/4) a (3/5) -> 5. Mean (3 + 5)/2 = 4
        assertThat(r.meanMtld()).isCloseTo(4.0, within(1e-12));
        // lengths: 3 and 5 words; 13 and 19 characters
        assertThat(r.meanWords()).isEqualTo(4.0);
        assertThat(r.meanCharacters()).isEqualTo(16.0);
        assertThat(r.compression()).isEqualTo(CompressionRatio.ofSet(List.of("A red circle.", "a red square, a red")));
        assertThat(r.options()).isEqualTo(TextDiversityOptions.defaults());
    }

    @Test
    void singleOutputHasNoSelfBleuAndNoNaN() {
        TextDiversityReport r = TextDiversityReport.of(List.of("a red circle"));
        assertThat(r.selfBleu()).isEmpty();
        assertFinite(r);
    }

    @Test
    void emptyOutputsAreAllowedAndGiveZeros() {
        TextDiversityReport r = TextDiversityReport.of(List.of("", "", "。"));
        // to the seed's whitespace split "。" is a word (1 of 1); to ICU it is punctuation, so no words at all
        assertThat(r.seed().totalWords()).isEqualTo(1);
        assertThat(TextDiversityReport.of(List.of("", " ")).seed().lexicalDiversity()).isZero();
        assertThat(r.unicode().totalWords()).isZero();
        assertThat(r.distinct().get(0).value()).isZero();
        assertThat(r.entropy().get(0)).isZero();
        assertThat(r.selfBleu()).hasValue(0.0);
        assertThat(r.meanMtld()).isZero();
        assertThat(r.meanWords()).isZero();
        assertFinite(r);
    }

    @Test
    void identicalOutputsAreMaximallySimilar() {
        TextDiversityReport r = TextDiversityReport.of(List.of("a big red circle on the left", "a big red circle on the left",
                "a big red circle on the left"));
        assertThat(r.selfBleu()).hasValueCloseTo(1.0, within(1e-12));
        assertThat(r.distinct().get(0).value()).isCloseTo(1.0 / 3, within(1e-15));
    }

    @Test
    void chineseOutputsGetWordLevelCounts() {
        List<String> zh = List.of("一个红色的圆形在蓝色背景的左边。", "一个红色的圆形在蓝色背景的左边。", "一个绿色的三角形在白色背景的上方。");
        TextDiversityReport r = TextDiversityReport.of(zh);
        // whitespace: three one-word outputs, two identical -> 2 unique of 3
        assertThat(r.seed().totalWords()).isEqualTo(3);
        // ICU words: 9 per output; the two identical outputs make self-BLEU well above 0 and below 1
        assertThat(r.meanWords()).isGreaterThanOrEqualTo(8.0);
        assertThat(r.selfBleu().getAsDouble()).isStrictlyBetween(0.3, 1.0);
        assertFinite(r);
    }

    @Test
    void whitespaceSegmentationIsAvailableAsAnOption() {
        TextDiversityReport r = TextDiversityReport.of(List.of("A red circle.", "a red square, a red"),
                TextDiversityOptions.defaults().withSegmentation(WordSegmentation.WHITESPACE_LOWER));
        // "circle." and "square," are words of their own now: unigrams a 3, red 3, circle. 1, square, 1 -> still 4/8
        assertThat(r.distinct().get(0).value()).isEqualTo(0.5);
        assertThat(r.options().segmentation()).isEqualTo(WordSegmentation.WHITESPACE_LOWER);
        // the unicode ratio does not depend on the option
        assertThat(r.unicode().segmentation()).isEqualTo(WordSegmentation.ICU_WORDS);
    }

    @Test
    void veryLongOutputsStayFiniteAndInRange() {
        Random random = new Random(11);
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 5_000; w++) {
                sb.append("w").append(random.nextInt(300)).append(w % 17 == 0 ? "。" : " ");
            }
            outputs.add(sb.toString());
        }
        TextDiversityReport r = TextDiversityReport.of(outputs);
        assertThat(r.meanWords()).isEqualTo(5000.0);
        assertThat(r.distinct().get(0).value()).isBetween(0.0, 1.0);
        assertThat(r.selfBleu().getAsDouble()).isBetween(0.0, 1.0);
        assertThat(r.meanMattr()).isBetween(0.0, 1.0);
        assertFinite(r);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> TextDiversityReport.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outputs must hold at least 1 text, but holds: 0");
        assertThatThrownBy(() -> TextDiversityReport.of(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("texts[1] must be a string, but is: null");
        TextDiversityOptions d = TextDiversityOptions.defaults();
        assertThatThrownBy(() -> new TextDiversityOptions(WordSegmentation.ICU_WORDS, 0, 3, 50, 0.72))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxN must be in [1, 8], but is: 0");
        assertThatThrownBy(() -> new TextDiversityOptions(WordSegmentation.ICU_WORDS, 9, 3, 50, 0.72))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxN must be in [1, 8], but is: 9");
        assertThatThrownBy(() -> d.withSelfBleuGram(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("selfBleuGram must be in [1, 8], but is: 0 (Texygen uses 3)");
        assertThatThrownBy(() -> d.withMattrWindow(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mattrWindow (words) must be >= 1, but is: 0");
        assertThatThrownBy(() -> new TextDiversityOptions(WordSegmentation.ICU_WORDS, 4, 3, 50, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mtldThreshold must be in (0, 1), but is: 1.0 (McCarthy & Jarvis use 0.72)");
        TextDiversityReport ok = TextDiversityReport.of(List.of("a b", "b c"));
        assertThatThrownBy(() -> new TextDiversityReport(2, d, ok.seed(), ok.unicode(), ok.distinct().subList(0, 2),
                ok.entropy(), ok.selfBleu(), 0, 0, ok.compression(), 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("distinct and entropy must hold maxN = 4 values each, but hold: 2 and 4");
        assertThatThrownBy(() -> new TextDiversityReport(1, d, ok.seed(), ok.unicode(), ok.distinct(), ok.entropy(),
                ok.selfBleu(), 0, 0, ok.compression(), 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("selfBleu must be present exactly when outputs >= 2, but outputs is 1");
    }

    private static void assertFinite(TextDiversityReport r) {
        assertThat(r.seed().lexicalDiversity()).isFinite();
        assertThat(r.unicode().lexicalDiversity()).isFinite();
        for (DistinctN d : r.distinct()) {
            for (DistinctNormalisation n : DistinctNormalisation.values()) {
                assertThat(d.value(n)).isFinite();
            }
        }
        r.entropy().forEach(e -> assertThat(e).isFinite());
        r.selfBleu().ifPresent(s -> assertThat(s).isFinite());
        assertThat(r.meanMattr()).isFinite();
        assertThat(r.meanMtld()).isFinite();
        assertThat(r.compression().ratio()).isFinite();
        assertThat(r.meanWords()).isFinite();
        assertThat(r.meanCharacters()).isFinite();
    }
}
