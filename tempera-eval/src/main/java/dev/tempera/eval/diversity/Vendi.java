package dev.tempera.eval.diversity;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The Vendi score (Friedman &amp; Dieng, 2023): the "effective number of distinct samples" in a set, with
 * the cosine-similarity kernel.
 *
 * <p>Definition (eval anchors §1.9, following vertaix/Vendi-Score {@code vendi.py} {@code score_X} /
 * {@code score_K}): with rows e_i L2-normalised, K_ij = e_i·e_j (so K_ii = 1), λ the eigenvalues of K/n,
 * <pre>
 *   VS_q = exp(H_q(λ)),   H_1 = −Σ λ ln λ (0·ln 0 = 0),   H_q = ln(Σ λ^q) / (1 − q),   H_∞ = −ln max λ
 * </pre>
 * Eigenvalues ≤ 1e-12 are dropped before the entropy: the reference's {@code entropy_q} drops those
 * ≤ 0; the small tolerance also drops the rounding noise (±1e-17) that stands in for exact zeros, which
 * would otherwise count as whole samples at q = 0 and shifts q = 1 by less than 1e-10. Unlike the reference's {@code score_X}, the order {@code q} passed here is
 * honoured (the reference ignores it there).
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Rows are L2-normalised inside, so the kernel always has a unit diagonal; raw embeddings are
 *       fine, zero rows are rejected.</li>
 *   <li>1 ≤ VS ≤ n and VS grows with n: to compare sets of different sizes divide by n
 *       ({@link #normalisedScore}).</li>
 *   <li>When n exceeds the dimension d, the eigenvalues come from the d×d dual XᵀX/n (same non-zero
 *       spectrum, cheaper).</li>
 *   <li>Stateless and thread-safe; inputs are not mutated.</li>
 * </ul>
 *
 * <pre>{@code
 * double effective = Vendi.score(embeddings);        // q = 1
 * double perSample = Vendi.normalisedScore(embeddings); // score / n, in [1/n, 1]
 * }</pre>
 */
public final class Vendi {

    private Vendi() {
    }

    /** The Vendi score of order q = 1 (Shannon entropy), cosine kernel; see {@link #score(float[][], double)}. */
    public static double score(float[][] vectors) {
        return score(vectors, 1.0);
    }

    /**
     * The Vendi score of order {@code q} with the cosine kernel.
     *
     * @param vectors n ≥ 1 rows of equal dimension, finite, none all-zero; normalised inside
     * @param q the order, ≥ 0; 1 is Shannon, {@code Double.POSITIVE_INFINITY} is min-entropy
     * @return a value in [1, n]
     * @throws IllegalArgumentException for bad rows or a q that is negative or NaN
     */
    public static double score(float[][] vectors, double q) {
        if (!(q >= 0)) {
            throw new IllegalArgumentException("q (the Vendi order) must be in [0, +inf], but is: " + q);
        }
        double[][] unit = Vectors.unitRows("vectors", vectors);
        double[] lambda = eigenvaluesOfScaledKernel(unit);
        return clamp(Math.exp(entropy(lambda, q)), unit.length);
    }

    /** {@link #score(float[][])} divided by n: in [1/n, 1], comparable across set sizes (anchors §1.9). */
    public static double normalisedScore(float[][] vectors) {
        return score(vectors) / vectors.length;
    }

    /**
     * The Vendi score of a caller-built similarity matrix, as the reference's {@code score_K} with
     * {@code normalize=False}: {@code kernel} must be symmetric with a unit diagonal.
     *
     * @throws IllegalArgumentException when the matrix is not square, not symmetric (within 1e-9), has a
     *     diagonal entry other than 1 (within 1e-6) or holds a non-finite value
     */
    public static double scoreKernel(double[][] kernel, double q) {
        if (!(q >= 0)) {
            throw new IllegalArgumentException("q (the Vendi order) must be in [0, +inf], but is: " + q);
        }
        if (kernel == null || kernel.length == 0) {
            throw new IllegalArgumentException("kernel must be a non-empty square matrix, but is: "
                    + (kernel == null ? "null" : "0x0"));
        }
        int n = kernel.length;
        double[][] scaled = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (kernel[i] == null || kernel[i].length != n) {
                throw new IllegalArgumentException("kernel must be square " + n + "x" + n + ", but row " + i + " has length: "
                        + (kernel[i] == null ? "null" : kernel[i].length));
            }
        }
        for (int i = 0; i < n; i++) {
            if (Math.abs(kernel[i][i] - 1.0) > 1e-6) {
                throw new IllegalArgumentException("kernel diagonal must be 1 (normalise the kernel first), but kernel["
                        + i + "][" + i + "] is: " + kernel[i][i]);
            }
            for (int j = 0; j < n; j++) {
                double v = kernel[i][j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("kernel[" + i + "][" + j + "] must be finite, but is: " + v);
                }
                if (Math.abs(v - kernel[j][i]) > 1e-9) {
                    throw new IllegalArgumentException("kernel must be symmetric, but kernel[" + i + "][" + j + "] is " + v
                            + " and kernel[" + j + "][" + i + "] is: " + kernel[j][i]);
                }
                scaled[i][j] = v / n;
            }
        }
        return clamp(Math.exp(entropy(symmetricEigenvalues(scaled), q)), n);
    }

    /** Eigenvalues of K/n for K = U Uᵀ, through the smaller of the n×n primal and the d×d dual. */
    static double[] eigenvaluesOfScaledKernel(double[][] unit) {
        int n = unit.length;
        int d = unit[0].length;
        double[][] m;
        if (n <= d) {
            m = new double[n][n];
            for (int i = 0; i < n; i++) {
                m[i][i] = Vectors.dot(unit[i], unit[i]) / n;
                for (int j = i + 1; j < n; j++) {
                    double v = Vectors.dot(unit[i], unit[j]) / n;
                    m[i][j] = v;
                    m[j][i] = v;
                }
            }
        } else {
            m = new double[d][d];
            for (double[] row : unit) {
                for (int a = 0; a < d; a++) {
                    double ra = row[a];
                    for (int b = a; b < d; b++) {
                        m[a][b] += ra * row[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    m[a][b] /= n;
                    m[b][a] = m[a][b];
                }
            }
        }
        return symmetricEigenvalues(m);
    }

    private static double[] symmetricEigenvalues(double[][] m) {
        if (m.length == 1) {
            return new double[] {m[0][0]};
        }
        return new EigenDecomposition(new Array2DRowRealMatrix(m, false)).getRealEigenvalues();
    }

    /** Eigenvalues at or below this are rounding noise around 0 (the λ sum to 1). */
    static final double ZERO_EIGENVALUE = 1e-12;

    /** H_q of the eigenvalues above {@link #ZERO_EIGENVALUE}, in nats. */
    static double entropy(double[] lambda, double q) {
        if (q == 1.0) {
            double h = 0;
            for (double l : lambda) {
                if (l > ZERO_EIGENVALUE) {
                    h -= l * Math.log(l);
                }
            }
            return h;
        }
        if (q == Double.POSITIVE_INFINITY) {
            double max = 0;
            for (double l : lambda) {
                max = Math.max(max, l);
            }
            return -Math.log(max);
        }
        double s = 0;
        for (double l : lambda) {
            if (l > ZERO_EIGENVALUE) {
                s += Math.pow(l, q);
            }
        }
        return Math.log(s) / (1.0 - q);
    }

    private static double clamp(double vs, int n) {
        // rounding in the eigen-solver can move the value a hair outside its proven range [1, n]
        return Math.max(1.0, Math.min(n, vs));
    }
}
