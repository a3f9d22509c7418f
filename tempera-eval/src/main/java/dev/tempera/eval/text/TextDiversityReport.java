package dev.tempera.eval.text;

import dev.tempera.eval.internal.NgramIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Every lexical diversity metric of one set of outputs (the K outputs for one prompt), computed from a single
 * tokenisation.
 *
 * <p>Set-level: the seed's ratio and its Unicode variant, distinct-n and Ent-n (pooled over the set), self-BLEU,
 * the compression ratio of the joined outputs. Per output, then averaged: MATTR, MTLD, lengths. Each metric's
 * definition and reference are on its own class; the options used are kept in {@link #options()}.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Self-BLEU is a similarity (higher = less diverse) and needs two outputs: it is empty for one.</li>
 *   <li>An empty output is allowed and counts as zero words; nothing is ever NaN.</li>
 *   <li>Cost: linear in the total number of words apart from self-BLEU's O(K²) length search; 64 outputs of 256
 *       words take milliseconds.</li>
 * </ul>
 *
 * <pre>{@code
 * TextDiversityReport r = TextDiversityReport.of(descriptions);
 * r.distinct().get(1).value();   // distinct-2 (Tevet)
 * r.selfBleu();                  // self-BLEU-3
 * }</pre>
 *
 * @param outputs how many outputs were scored, ≥ 1
 * @param options the tokenizer and parameters used
 * @param seed the seed's {@code calculate_diversity}, exactly (lower-cased whitespace words)
 * @param unicode the same ratio over ICU words
 * @param distinct distinct-n for n = 1..maxN (index n−1), under {@code options.segmentation()}
 * @param entropy Ent-n in nats for n = 1..maxN (index n−1)
 * @param selfBleu self-BLEU of order {@code options.selfBleuGram()}; empty for a single output
 * @param meanMattr mean MATTR over outputs
 * @param meanMtld mean MTLD over outputs
 * @param compression Whisper's zlib ratio of the outputs joined with spaces
 * @param meanWords mean words per output
 * @param meanCharacters mean Unicode code points per output
 */
public record TextDiversityReport(int outputs, TextDiversityOptions options, LexicalDiversity seed,
                                  LexicalDiversity unicode, List<DistinctN> distinct, List<Double> entropy,
                                  OptionalDouble selfBleu, double meanMattr, double meanMtld,
                                  CompressionRatio compression, double meanWords, double meanCharacters) {

    public TextDiversityReport {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(unicode, "unicode");
        Objects.requireNonNull(selfBleu, "selfBleu");
        Objects.requireNonNull(compression, "compression");
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, but is: " + outputs);
        }
        distinct = List.copyOf(distinct);
        entropy = List.copyOf(entropy);
        if (distinct.size() != options.maxN() || entropy.size() != options.maxN()) {
            throw new IllegalArgumentException("distinct and entropy must hold maxN = " + options.maxN()
                    + " values each, but hold: " + distinct.size() + " and " + entropy.size());
        }
        if (selfBleu.isPresent() == (outputs < 2)) {
            throw new IllegalArgumentException("selfBleu must be present exactly when outputs >= 2, but outputs is "
                    + outputs + " and selfBleu " + selfBleu);
        }
    }

    /** The report with {@link TextDiversityOptions#defaults()}. */
    public static TextDiversityReport of(List<String> outputs) {
        return of(outputs, TextDiversityOptions.defaults());
    }

    /**
     * The report with the given options.
     *
     * @throws IllegalArgumentException when {@code outputs} is empty or holds a null
     */
    public static TextDiversityReport of(List<String> outputs, TextDiversityOptions options) {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(options, "options");
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("outputs must hold at least 1 text, but holds: 0");
        }
        WordSegmentation seg = options.segmentation();
        List<List<String>> words = seg.wordsOfAll(outputs);
        int k = outputs.size();

        LexicalDiversity seed = LexicalDiversity.calculateDiversity(outputs);
        LexicalDiversity unicode = seg == WordSegmentation.ICU_WORDS ? LexicalDiversity.ofWords(words, seg)
                : LexicalDiversity.unicode(outputs);

        NgramIds ids = new NgramIds();
        int orders = Math.max(options.maxN(), options.selfBleuGram());
        int[][][] grams = ids.gramsOfAll(words, orders);
        List<DistinctN> distinct = new ArrayList<>();
        List<Double> entropy = new ArrayList<>();
        for (int n = 1; n <= options.maxN(); n++) {
            distinct.add(DistinctN.fromGrams(n, grams, ids.size()));
            entropy.add(NgramEntropy.fromGrams(n, grams, ids.size()));
        }
        OptionalDouble selfBleu = k < 2 ? OptionalDouble.empty()
                : OptionalDouble.of(SelfBleu.fromGrams(grams, ids.size(), options.selfBleuGram()));

        double mattr = 0;
        double mtld = 0;
        long wordCount = 0;
        long chars = 0;
        for (int i = 0; i < k; i++) {
            List<String> w = words.get(i);
            mattr += Mattr.of(w, options.mattrWindow());
            mtld += Mtld.of(w, options.mtldThreshold());
            wordCount += w.size();
            String text = outputs.get(i);
            chars += text.codePointCount(0, text.length());
        }
        return new TextDiversityReport(k, options, seed, unicode, distinct, entropy, selfBleu, mattr / k, mtld / k,
                CompressionRatio.ofSet(outputs), (double) wordCount / k, (double) chars / k);
    }
}
