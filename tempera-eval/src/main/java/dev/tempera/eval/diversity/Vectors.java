package dev.tempera.eval.diversity;

/**
 * Validation and L2 normalisation shared by the embedding-diversity measures.
 *
 * <p>Package-private: callers see only {@link PairwiseCosine} and {@link Vendi}.
 */
final class Vectors {

    private Vectors() {
    }

    /**
     * Checks that {@code vectors} is a non-empty rectangular matrix of finite values with no zero row and
     * returns its rows L2-normalised in double precision (a fresh array; the input is not touched).
     */
    static double[][] unitRows(String what, float[][] vectors) {
        if (vectors == null) {
            throw new IllegalArgumentException(what + " must be a non-null array of vectors, but is: null");
        }
        if (vectors.length == 0) {
            throw new IllegalArgumentException(what + " must hold at least 1 vector, but holds: 0");
        }
        int dim = -1;
        double[][] unit = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            if (v == null) {
                throw new IllegalArgumentException(what + "[" + i + "] must be a vector, but is: null");
            }
            if (dim < 0) {
                dim = v.length;
                if (dim == 0) {
                    throw new IllegalArgumentException("every vector of " + what + " must have dimension >= 1, but " + what
                            + "[0] has: 0");
                }
            } else if (v.length != dim) {
                throw new IllegalArgumentException("every vector of " + what + " must have dimension " + dim + " (that of "
                        + what + "[0]), but " + what + "[" + i + "] has: " + v.length);
            }
            double norm2 = 0;
            for (int k = 0; k < dim; k++) {
                float x = v[k];
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException(what + "[" + i + "][" + k + "] must be finite, but is: " + x);
                }
                norm2 += (double) x * x;
            }
            if (norm2 == 0) {
                throw new IllegalArgumentException(what + "[" + i + "] must have a non-zero norm (a zero vector has no"
                        + " direction, so its cosine is undefined), but its norm is: 0");
            }
            double inv = 1.0 / Math.sqrt(norm2);
            double[] u = new double[dim];
            for (int k = 0; k < dim; k++) {
                u[k] = v[k] * inv;
            }
            unit[i] = u;
        }
        return unit;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
