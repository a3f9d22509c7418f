package dev.tempera.shapes;

import java.util.Locale;

/** The languages of captions and of text the parser understands. */
public enum Language {
    /** English. */
    EN,
    /** Simplified Chinese. */
    ZH;

    /** The code used in JSON and on the command line ({@code "en"}, {@code "zh"}). */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Guesses the language of {@code text}: Chinese if it contains any CJK ideograph, English otherwise. */
    public static Language detect(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.UnicodeScript.of(text.charAt(i)) == Character.UnicodeScript.HAN) {
                return ZH;
            }
        }
        return EN;
    }
}
