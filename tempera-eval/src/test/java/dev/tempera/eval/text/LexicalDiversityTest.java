package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad inputs tried: a null description, a record with unique &gt; total, a ratio that does not match its counts.
 */
class LexicalDiversityTest {

    @Test
    void reproducesTheSeedsCalculateDiversity() {
        // The seed's calculate_diversity run by python3 3.11.7 on these four strings printed
        // {'lexical_diversity': 0.7619047619047619, 'unique_words': 16, 'total_words': 21}
        List<String> descriptions = List.of("A red circle on a BLUE background", "a red\u00a0circle\tand  a square",
                "一个红色的圆形 在 蓝色背景上", "ΟΔΟΣ Straße İstanbul\u3000end\u2028x\u200bY");
        LexicalDiversity d = LexicalDiversity.calculateDiversity(descriptions);
        assertThat(d.totalWords()).isEqualTo(21);
        assertThat(d.uniqueWords()).isEqualTo(16);
        assertThat(d.lexicalDiversity()).isEqualTo(0.7619047619047619);
        assertThat(d.segmentation()).isEqualTo(WordSegmentation.WHITESPACE_LOWER);
    }

    @Test
    void noWordsGivesZeroAsInTheSeed() {
        // the seed: "unique_words / total_words if total_words > 0 else 0"; python printed 0, 0, 0 for [] and ["", "   "]
        assertThat(LexicalDiversity.calculateDiversity(List.of())).isEqualTo(
                new LexicalDiversity(0, 0, 0, WordSegmentation.WHITESPACE_LOWER));
        assertThat(LexicalDiversity.calculateDiversity(List.of("", "   ")).lexicalDiversity()).isZero();
    }

    @Test
    void unicodeVariantCountsChineseWords() {
        // Whitespace sees one "word" per Chinese sentence: 2 words, 2 unique, ratio 1, which says nothing.
        // ICU: 一个/红色/的/圆形/在/蓝色/背景/的/左边 (9) + 一个/蓝色/的/方形 (4) = 13 words;
        // unique: 一个 红色 的 圆形 在 蓝色 背景 左边 方形 = 9; ratio 9/13.
        List<String> zh = List.of("一个红色的圆形在蓝色背景的左边。", "一个蓝色的方形。");
        assertThat(LexicalDiversity.calculateDiversity(zh).totalWords()).isEqualTo(2);
        LexicalDiversity u = LexicalDiversity.unicode(zh);
        assertThat(u.totalWords()).isEqualTo(13);
        assertThat(u.uniqueWords()).isEqualTo(9);
        assertThat(u.lexicalDiversity()).isEqualTo(9.0 / 13);
    }

    @Test
    void identicalOutputsHalveTheRatio() {
        // 2 x "a red circle": 6 words, 3 unique
        assertThat(LexicalDiversity.unicode(List.of("a red circle", "A red circle.")).lexicalDiversity()).isEqualTo(0.5);
    }

    @Test
    void rejectsInconsistentRecords() {
        assertThatThrownBy(() -> new LexicalDiversity(1, 3, 2, WordSegmentation.ICU_WORDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uniqueWords must be in [0, totalWords] with totalWords >= 0, but are: 3 unique of 2");
        assertThatThrownBy(() -> new LexicalDiversity(0.4, 1, 2, WordSegmentation.ICU_WORDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lexicalDiversity must be uniqueWords / totalWords = 0.5, but is: 0.4");
        assertThatThrownBy(() -> LexicalDiversity.calculateDiversity(java.util.Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("texts[1] must be a string, but is: null");
    }
}
