package dev.tempera.eval.text;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The seed's {@code calculate_diversity}: the type–token ratio of a set of outputs, pooled.
 *
 * <p>Definition (the seed document, part 5):
 * <pre>
 *   all_words = every word of every description (lower-cased, whitespace split)
 *   total_words = |all_words|,  unique_words = |set(all_words)|
 *   lexical_diversity = unique_words / total_words  if total_words &gt; 0  else 0
 * </pre>
 * {@link #calculateDiversity} reproduces it exactly, {@link #unicode} is the same ratio over
 * {@linkplain WordSegmentation#ICU_WORDS ICU words}, which gives Chinese descriptions meaningful counts.
 *
 * <p>What callers trip on: the ratio falls as texts get longer (eval anchors §1.1), so compare it only across
 * sets of similar total length; with no words at all it is 0, as in the seed, never NaN.
 *
 * <pre>{@code
 * LexicalDiversity d = LexicalDiversity.calculateDiversity(descriptions);
 * d.lexicalDiversity(); d.uniqueWords(); d.totalWords();
 * }</pre>
 *
 * @param lexicalDiversity unique / total, or 0 when total is 0
 * @param uniqueWords distinct words over the whole set
 * @param totalWords words over the whole set
 * @param segmentation how the words were cut
 */
public record LexicalDiversity(double lexicalDiversity, int uniqueWords, int totalWords,
                               WordSegmentation segmentation) {

    public LexicalDiversity {
        Objects.requireNonNull(segmentation, "segmentation");
        if (totalWords < 0 || uniqueWords < 0 || uniqueWords > totalWords) {
            throw new IllegalArgumentException("uniqueWords must be in [0, totalWords] with totalWords >= 0, but are: "
                    + uniqueWords + " unique of " + totalWords);
        }
        double expected = totalWords > 0 ? (double) uniqueWords / totalWords : 0;
        if (lexicalDiversity != expected) {
            throw new IllegalArgumentException("lexicalDiversity must be uniqueWords / totalWords = " + expected
                    + ", but is: " + lexicalDiversity);
        }
    }

    /** The seed's {@code calculate_diversity(descriptions)}, word for word. */
    public static LexicalDiversity calculateDiversity(List<String> descriptions) {
        return of(descriptions, WordSegmentation.WHITESPACE_LOWER);
    }

    /** The same ratio over ICU words (case-folded, punctuation dropped, Chinese segmented). */
    public static LexicalDiversity unicode(List<String> descriptions) {
        return of(descriptions, WordSegmentation.ICU_WORDS);
    }

    /** The ratio over words cut by {@code segmentation}. */
    public static LexicalDiversity of(List<String> descriptions, WordSegmentation segmentation) {
        Objects.requireNonNull(segmentation, "segmentation");
        return ofWords(segmentation.wordsOfAll(descriptions), segmentation);
    }

    /** The ratio over already-cut words ({@code segmentation} is recorded, not applied). */
    static LexicalDiversity ofWords(List<List<String>> words, WordSegmentation segmentation) {
        Set<String> unique = new HashSet<>();
        int total = 0;
        for (List<String> w : words) {
            unique.addAll(w);
            total += w.size();
        }
        return new LexicalDiversity(total > 0 ? (double) unique.size() / total : 0, unique.size(), total,
                segmentation);
    }
}
