package dev.tempera.eval.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * ROUGE-L as coco-caption computes it: an LCS F-measure with β = 1.2 whose precision and recall are each
 * maximised over the references separately.
 *
 * <p>Definition (tylin/coco-caption {@code pycocoevalcap/rouge/rouge.py}, eval anchors §4.3): for candidate c and
 * references r_j, P = max_j LCS(c, r_j)/|c|, R = max_j LCS(c, r_j)/|r_j|, and
 * <pre>
 *   ROUGE_L = (1 + β²)·P·R / (R + β²·P),  β = 1.2       (0 when P or R is 0)
 * </pre>
 * The corpus value is the mean over images. This is not the F1 (β = 1) of TrustyAI or rouge-score, and because P
 * and R may come from different references it can exceed every single reference's F-measure.
 *
 * <p>What callers trip on: an empty candidate scores 0, and an empty reference contributes precision and recall 0
 * (the reference divides by zero on both). Cost O(|c|·|r|) per pair. Stateless and thread-safe.
 */
public final class CocoRougeL {

    /** coco-caption's β: recall weighs β² = 1.44 times precision. */
    public static final double BETA = 1.2;

    private CocoRougeL() {
    }

    /** ROUGE-L of one tokenised candidate per image; the corpus value is the mean. */
    public static ReferenceScore score(List<List<String>> candidates, List<List<List<String>>> references) {
        CaptionSets.check(candidates, references);
        List<Double> per = new ArrayList<>(candidates.size());
        double sum = 0;
        for (int i = 0; i < candidates.size(); i++) {
            double s = sentence(candidates.get(i), references.get(i));
            per.add(s);
            sum += s;
        }
        return new ReferenceScore("ROUGE_L", sum / candidates.size(), per);
    }

    /** ROUGE-L of one candidate against its references. */
    public static double sentence(List<String> candidate, List<List<String>> references) {
        CaptionSets.check(List.of(candidate), List.of(references));
        double pMax = 0;
        double rMax = 0;
        java.util.Map<String, Integer> idOf = new java.util.HashMap<>();
        int[] cand = ids(candidate, idOf);
        for (List<String> ref : references) {
            if (candidate.isEmpty() || ref.isEmpty()) {
                continue;
            }
            int lcs = lcs(cand, ids(ref, idOf));
            pMax = Math.max(pMax, (double) lcs / candidate.size());
            rMax = Math.max(rMax, (double) lcs / ref.size());
        }
        if (pMax == 0 || rMax == 0) {
            return 0.0;
        }
        double b2 = BETA * BETA;
        return (1 + b2) * pMax * rMax / (rMax + b2 * pMax);
    }

    /** Length of the longest common subsequence of two token lists. */
    static int lcs(List<String> a, List<String> b) {
        java.util.Map<String, Integer> idOf = new java.util.HashMap<>();
        return lcs(ids(a, idOf), ids(b, idOf));
    }

    /** LCS length of token ids, two rolling rows. */
    private static int lcs(int[] a, int[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int i = 1; i <= a.length; i++) {
            int x = a[i - 1];
            for (int j = 1; j <= b.length; j++) {
                cur[j] = x == b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }

    private static int[] ids(List<String> tokens, java.util.Map<String, Integer> idOf) {
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = idOf.computeIfAbsent(tokens.get(i), t -> idOf.size());
        }
        return out;
    }
}
