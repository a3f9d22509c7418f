package dev.tempera.eval.diversity;

/**
 * Mean pairwise cosine distance of a set of embeddings: the "embedding diversity" of K outputs.
 *
 * <p>Definition (eval anchors §1.8; the off-diagonal form of GuyTevet/diversity-eval's
 * {@code similarity2diversity}):
 * <pre>
 *   D = 1 − (2 / (K(K−1))) · Σ_{i&lt;j} cos(e_i, e_j)
 * </pre>
 * over unordered pairs only. cshaib/diversity's {@code remote_clique} averages the full K×K matrix with
 * its zero diagonal and so reports D·(K−1)/K; this class does not.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Rows are L2-normalised here, so raw (unnormalised) embeddings are fine; a zero row is rejected
 *       because it has no direction.</li>
 *   <li>The range is [0, 2]: 0 when all vectors point the same way, 1 for mutually orthogonal vectors,
 *       above 1 only when vectors point in opposite directions (rare for real embeddings).</li>
 *   <li>A single vector has no pair; the result is then 0 (no diversity), never NaN.</li>
 *   <li>Accumulation is in double precision; inputs are not mutated; the class is stateless and
 *       thread-safe.</li>
 * </ul>
 *
 * <pre>{@code
 * double d = PairwiseCosine.meanDistance(embedder.embed(descriptions));
 * }</pre>
 */
public final class PairwiseCosine {

    private PairwiseCosine() {
    }

    /**
     * Mean cosine distance 1 − cos over the K(K−1)/2 unordered pairs of rows of {@code unitOrRawVectors}.
     *
     * @param unitOrRawVectors K ≥ 1 rows of equal dimension ≥ 1, finite, none all-zero; normalised inside
     * @return the mean distance in [0, 2]; 0 for K = 1
     * @throws IllegalArgumentException for null, empty, ragged, non-finite or zero rows (the message names
     *     the row)
     */
    public static double meanDistance(float[][] unitOrRawVectors) {
        double[][] unit = Vectors.unitRows("vectors", unitOrRawVectors);
        int k = unit.length;
        if (k < 2) {
            return 0.0;
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                sum += 1.0 - Vectors.dot(unit[i], unit[j]);
            }
        }
        double mean = sum / ((double) k * (k - 1) / 2.0);
        // rounding can make 1 − cos of identical unit vectors a hair below 0
        return Math.max(0.0, Math.min(2.0, mean));
    }
}
