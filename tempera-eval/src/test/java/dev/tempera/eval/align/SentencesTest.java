package dev.tempera.eval.align;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentencesTest {

    @Test
    void splitsAfterTerminatorsFollowedBySpaceOrEnd() {
        assertThat(Sentences.split("A red circle. A blue square! Is it green? Yes; it is."))
                .containsExactly("A red circle.", "A blue square!", "Is it green?", "Yes;", "it is.");
    }

    @Test
    void keepsDecimalsAndAbbreviationsWithoutSpaceWhole() {
        assertThat(Sentences.split("It is 3.5 cm wide, e.g.x here. Next")).containsExactly("It is 3.5 cm wide, e.g.x here.", "Next");
    }

    @Test
    void splitsChineseRightAfterFullWidthTerminators() {
        assertThat(Sentences.split("蓝色背景上有一个红色圆形。底部有一个黄色正方形！是绿色的吗？不是；是黄色的…完"))
                .containsExactly("蓝色背景上有一个红色圆形。", "底部有一个黄色正方形！", "是绿色的吗？", "不是；", "是黄色的…", "完");
    }

    @Test
    void splitsAtLineBreaksAndKeepsClosingQuotesWithTheirSentence() {
        assertThat(Sentences.split("He said \"stop.\" Then left\nnew line")).containsExactly("He said \"stop.\"", "Then left",
                "new line");
        assertThat(Sentences.split("他说：“好。”然后走了")).containsExactly("他说：“好。”", "然后走了");
    }

    @Test
    void dropsPiecesWithoutLettersOrDigits() {
        assertThat(Sentences.split("... !!! Real one. ——")).containsExactly("Real one.");
        assertThat(Sentences.split("")).isEmpty();
        assertThat(Sentences.split("   ")).isEmpty();
    }
}
