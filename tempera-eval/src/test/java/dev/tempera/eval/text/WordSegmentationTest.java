package dev.tempera.eval.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad inputs tried: a null text inside the list given to wordsOfAll. */
class WordSegmentationTest {

    @Test
    void whitespaceLowerMatchesPythonLowerSplit() {
        // python3 -c "print('ΟΔΟΣ Straße İstanbul\u3000end\u2028x\u200bY'.lower().split())" (CPython 3.11.7) gives
        // ['οδος', 'straße', 'i̇stanbul', 'end', 'x\u200by']: final sigma, İ -> i + U+0307, U+3000 and U+2028 split,
        // U+200B (zero-width space) does not.
        assertThat(WordSegmentation.WHITESPACE_LOWER.words("ΟΔΟΣ Straße İstanbul\u3000end\u2028x\u200bY"))
                .containsExactly("οδο\u03c2", "straße", "i\u0307stanbul", "end", "x\u200by");
        // NBSP, tab and a double space are whitespace to Python; punctuation stays attached
        assertThat(WordSegmentation.WHITESPACE_LOWER.words(" a red\u00a0circle,\tand  a square "))
                .containsExactly("a", "red", "circle,", "and", "a", "square");
        assertThat(WordSegmentation.WHITESPACE_LOWER.words("")).isEmpty();
        assertThat(WordSegmentation.WHITESPACE_LOWER.words(" \t\n")).isEmpty();
    }

    @Test
    void pythonSpaceSetIsExactlyStrIsspace() {
        // python3 -c "print([hex(c) for c in range(0x110000) if chr(c).isspace()])" lists exactly these 29:
        int[] python = {0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
            0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f,
            0x3000};
        for (int c = 0; c <= 0xffff; c++) {
            int cc = c;
            assertThat(WordSegmentation.isPythonSpace((char) c)).as("U+%04X", c)
                    .isEqualTo(Arrays.stream(python).anyMatch(p -> p == cc));
        }
    }

    @Test
    void icuWordsSegmentChineseAndDropPunctuation() {
        // ICU's dictionary cuts the sentence into 一个/红色/的/圆形/在/蓝色/背景/的/左边; "。" is not a word
        assertThat(WordSegmentation.ICU_WORDS.words("一个红色的圆形在蓝色背景的左边。"))
                .containsExactly("一个", "红色", "的", "圆形", "在", "蓝色", "背景", "的", "左边");
    }

    @Test
    void icuWordsFoldCaseAndWidthInMixedScripts() {
        // NFKC case folding: "ＡＢＣ" -> "abc", "１２" -> "12"; the emoji, "," and "!" are not words; "it's" and
        // "3.5" stay whole (UAX #29)
        assertThat(WordSegmentation.ICU_WORDS.words("A big RED circle, 在中间! It's 3.5 cm ＡＢＣ １２ 😀"))
                .containsExactly("a", "big", "red", "circle", "在", "中间", "it's", "3.5", "cm", "abc", "12");
        assertThat(WordSegmentation.ICU_WORDS.words("")).isEmpty();
        assertThat(WordSegmentation.ICU_WORDS.words("。，！ ... ")).isEmpty();
    }

    @Test
    void rejectsANullTextNamingItsIndex() {
        assertThatThrownBy(() -> WordSegmentation.ICU_WORDS.wordsOfAll(Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("texts[1] must be a string, but is: null");
    }
}
