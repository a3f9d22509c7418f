package dev.tempera.eval.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.graalvm.shadowed.com.ibm.icu.text.BreakIterator;
import org.graalvm.shadowed.com.ibm.icu.text.Normalizer2;
import org.graalvm.shadowed.com.ibm.icu.util.ULocale;

/**
 * How a text is cut into words before any text metric counts them. The tokenizer is part of a metric's
 * definition (eval anchors §6.2 item 15): every result records which one was used.
 *
 * <p>Both are stateless and thread-safe; neither ever returns an empty word.
 */
public enum WordSegmentation {

    /**
     * The seed's {@code desc.lower().split()}, exactly: Java's {@code toLowerCase(Locale.ROOT)} (the same full
     * Unicode lower-case mapping as Python's {@code str.lower}, final sigma included), then runs of Python
     * whitespace ({@code str.isspace}: ASCII whitespace, U+001C–U+001F, U+0085, U+00A0, U+1680, U+2000–U+200A,
     * U+2028, U+2029, U+202F, U+205F, U+3000) separate words. Punctuation stays attached ({@code "circle,"}) and a
     * Chinese sentence without spaces is one word: use {@link #ICU_WORDS} for anything but seed parity.
     */
    WHITESPACE_LOWER {
        @Override
        public List<String> words(String text) {
            Objects.requireNonNull(text, "text");
            String lower = text.toLowerCase(Locale.ROOT);
            List<String> out = new ArrayList<>();
            int start = -1;
            for (int i = 0; i < lower.length(); i++) {
                if (isPythonSpace(lower.charAt(i))) {
                    if (start >= 0) {
                        out.add(lower.substring(start, i));
                        start = -1;
                    }
                } else if (start < 0) {
                    start = i;
                }
            }
            if (start >= 0) {
                out.add(lower.substring(start));
            }
            return out;
        }
    },

    /**
     * Unicode-aware words: the text is NFKC-case-folded (so {@code "ＡＢＣ"} is {@code "abc"} and case is ignored),
     * then cut with ICU4J's word {@link BreakIterator} (UAX #29 plus ICU's dictionary for Chinese and Japanese, so
     * {@code "红色的圆形"} is {@code 红色 / 的 / 圆形}); segments that are not words (whitespace, punctuation,
     * symbols, emoji: rule status below {@code WORD_NONE_LIMIT}) are dropped. Numbers such as {@code "3.5"} and
     * contractions such as {@code "it's"} stay one word.
     */
    ICU_WORDS {
        @Override
        public List<String> words(String text) {
            Objects.requireNonNull(text, "text");
            String folded = Normalizer2.getNFKCCasefoldInstance().normalize(text);
            BreakIterator it = BreakIterator.getWordInstance(ULocale.ROOT);
            it.setText(folded);
            List<String> out = new ArrayList<>();
            int start = it.first();
            for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
                if (it.getRuleStatus() >= BreakIterator.WORD_NONE_LIMIT) {
                    out.add(folded.substring(start, end));
                }
            }
            return out;
        }
    };

    /** The words of {@code text}, in order; an empty list for a text without words. */
    public abstract List<String> words(String text);

    /** {@link #words} of each text, in order. */
    public List<List<String>> wordsOfAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        List<List<String>> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null) {
                throw new IllegalArgumentException("texts[" + i + "] must be a string, but is: null");
            }
            out.add(words(t));
        }
        return out;
    }

    /** Python's {@code str.isspace()} for one UTF-16 unit (every such character is in the BMP). */
    static boolean isPythonSpace(char c) {
        if (c <= 0x20) {
            return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
        }
        return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029
                || c == 0x202f || c == 0x205f || c == 0x3000;
    }
}
