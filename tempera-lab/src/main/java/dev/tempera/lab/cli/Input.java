package dev.tempera.lab.cli;

/**
 * A validated input distribution: the logits the sampler sees, and the values as the user gave them.
 *
 * @param kind   {@code logits} or {@code probs}
 * @param values what was given (logits, or probabilities)
 * @param logits the values as logits ({@code log p} for probabilities, with 0 → -inf)
 * @param source where it came from: an option name or a file
 */
record Input(String kind, float[] values, float[] logits, String source) {

    static Input ofLogits(float[] z, String source) {
        boolean anyFinite = false;
        for (float x : z) {
            anyFinite |= x != Float.NEGATIVE_INFINITY;
        }
        if (!anyFinite) {
            throw new IllegalArgumentException(optionOf(source) + " must have at least one finite logit, but all "
                    + z.length + " are -inf");
        }
        return new Input("logits", z, z, source);
    }

    static Input ofProbs(float[] p) {
        float[] z = new float[p.length];
        boolean anyPositive = false;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || Float.isInfinite(p[i])) {
                throw new IllegalArgumentException("--probs must be finite and >= 0, but entry " + i + " is: " + p[i]);
            }
            anyPositive |= p[i] > 0;
            z[i] = p[i] == 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(p[i]);
        }
        if (!anyPositive) {
            throw new IllegalArgumentException("--probs must have a positive entry, but all " + p.length + " are 0");
        }
        return new Input("probs", p, z, "--probs");
    }

    boolean isProbs() {
        return kind.equals("probs");
    }

    int size() {
        return logits.length;
    }

    /**
     * The distribution before any processor, in double precision: the probabilities renormalised, or
     * {@code softmax(logits)}.
     */
    double[] before() {
        double[] out = new double[logits.length];
        double sum = 0;
        if (isProbs()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = values[i];
                sum += out[i];
            }
        } else {
            double max = Double.NEGATIVE_INFINITY;
            for (float x : logits) {
                max = Math.max(max, x);
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.exp(logits[i] - max);
                sum += out[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    private static String optionOf(String source) {
        return source.startsWith("--") ? source : "--logits-file " + source;
    }
}
