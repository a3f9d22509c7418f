package dev.tempera.eval.reference;

import dev.tempera.eval.internal.NgramIds;
import java.util.ArrayList;
import java.util.List;

/**
 * BLEU-1..4 as coco-caption computes it for captions: corpus-level, "closest" reference length, no real smoothing.
 *
 * <p>Definition (tylin/coco-caption {@code pycocoevalcap/bleu/bleu_scorer.py}, eval anchors §4.2):
 * <ul>
 *   <li>per image: c = candidate length, r = the reference length closest to c (ties to the shorter),
 *       guess_n = max(0, c − n + 1), correct_n = Σ_g min(count_cand(g), max over references count_ref(g));</li>
 *   <li>corpus: sum c, r, guess_n and correct_n over images; Bleu_k = (Π_{n≤k} (correct_n + 10⁻¹⁵) /
 *       (guess_n + 10⁻⁹))^(1/k), times exp(1 − 1/ratio) when ratio = (c + 10⁻¹⁵)/(r + 10⁻⁹) &lt; 1;</li>
 *   <li>per image: the same formula on that image's counts.</li>
 * </ul>
 * The 10⁻¹⁵/10⁻⁹ pseudo-smoothing is the reference's: an order without a match gives a value near 0, not 0, and
 * an order with no n-gram at all ({@code guess = 0}) gives a factor 10⁻⁶. Note that ratio is a hair below 1 even
 * when c = r, so the brevity factor is 1 − 10⁻¹⁰ rather than 1, as in the reference.
 *
 * <p>What callers trip on: coco-caption tokenises with Stanford PTB 3.4.1 and drops punctuation tokens; this
 * class takes tokens, so numbers match coco-caption exactly only for tokens cut the same way. It is not NLTK's
 * sentence BLEU ({@link dev.tempera.eval.text.NltkSentenceBleu}) nor sacreBLEU; never compare across them.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * List<ReferenceScore> bleu = CocoBleu.score(candidates, references);   // Bleu_1 .. Bleu_4
 * double bleu4 = bleu.get(3).corpus();
 * }</pre>
 */
public final class CocoBleu {

    /** coco-caption's order. */
    public static final int ORDER = 4;

    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private CocoBleu() {
    }

    /**
     * Bleu_1..Bleu_4 of one tokenised candidate per image against that image's tokenised references.
     *
     * @return four scores, Bleu_1 first
     * @throws IllegalArgumentException when there is no candidate, the lists differ in length, an image has no
     *     reference, or an entry is null
     */
    public static List<ReferenceScore> score(List<List<String>> candidates, List<List<List<String>>> references) {
        CaptionSets.check(candidates, references);
        int images = candidates.size();
        long testLen = 0;
        long refLen = 0;
        long[] guess = new long[ORDER];
        long[] correct = new long[ORDER];
        List<List<Double>> perImage = new ArrayList<>();
        for (int k = 0; k < ORDER; k++) {
            perImage.add(new ArrayList<>(images));
        }
        for (int i = 0; i < images; i++) {
            NgramIds ids = new NgramIds();
            int[][] cand = ids.grams(ids.tokens(candidates.get(i)), ORDER);
            int[] maxRef = new int[0];
            List<List<String>> refs = references.get(i);
            int[] refLengths = new int[refs.size()];
            for (int j = 0; j < refs.size(); j++) {
                refLengths[j] = refs.get(j).size();
                int[][] g = ids.grams(ids.tokens(refs.get(j)), ORDER);
                int[] count = new int[ids.size()];
                for (int[] order : g) {
                    for (int id : order) {
                        count[id]++;
                    }
                }
                if (maxRef.length < count.length) {
                    maxRef = java.util.Arrays.copyOf(maxRef, count.length);
                }
                for (int id = 0; id < count.length; id++) {
                    maxRef[id] = Math.max(maxRef[id], count[id]);
                }
            }
            int c = candidates.get(i).size();
            int r = closest(refLengths, c);
            long[] imageGuess = new long[ORDER];
            long[] imageCorrect = new long[ORDER];
            int[] candCount = new int[ids.size()];
            for (int n = 0; n < ORDER; n++) {
                imageGuess[n] = Math.max(0, c - n);
                for (int id : cand[n]) {
                    candCount[id]++;
                }
                for (int id : cand[n]) {
                    if (candCount[id] > 0) {
                        imageCorrect[n] += Math.min(candCount[id], id < maxRef.length ? maxRef[id] : 0);
                        candCount[id] = 0;
                    }
                }
                guess[n] += imageGuess[n];
                correct[n] += imageCorrect[n];
            }
            testLen += c;
            refLen += r;
            double[] b = bleus(imageCorrect, imageGuess, c, r);
            for (int k = 0; k < ORDER; k++) {
                perImage.get(k).add(b[k]);
            }
        }
        double[] corpus = bleus(correct, guess, testLen, refLen);
        List<ReferenceScore> out = new ArrayList<>(ORDER);
        for (int k = 0; k < ORDER; k++) {
            out.add(new ReferenceScore("Bleu_" + (k + 1), corpus[k], perImage.get(k)));
        }
        return out;
    }

    /** The cumulative Bleu_1..Bleu_4 of one set of counts, with the reference's pseudo-smoothing and BP. */
    private static double[] bleus(long[] correct, long[] guess, double testLen, double refLen) {
        double[] out = new double[ORDER];
        double product = 1;
        for (int k = 0; k < ORDER; k++) {
            product *= (correct[k] + TINY) / (guess[k] + SMALL);
            out[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (testLen + TINY) / (refLen + SMALL);
        if (ratio < 1) {
            double bp = Math.exp(1 - 1 / ratio);
            for (int k = 0; k < ORDER; k++) {
                out[k] *= bp;
            }
        }
        return out;
    }

    /** min over references of (|len − c|, len): the closest length, ties to the shorter. */
    private static int closest(int[] lengths, int c) {
        int best = lengths[0];
        for (int len : lengths) {
            int d = Math.abs(len - c);
            int bd = Math.abs(best - c);
            if (d < bd || (d == bd && len < best)) {
                best = len;
            }
        }
        return best;
    }
}
