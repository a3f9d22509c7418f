package dev.tempera.sampling;

/**
 * The seed document's two functions, reproduced exactly in float32 as PyTorch computes them, and
 * the measures {@code tempera explain} prints. Pure: inputs are never modified.
 *
 * <pre>{@code
 * Distributions.applyTemperature(new float[] {2, 1, 0.5f, 0.2f}, 0.5); // [0.824779, 0.111622, 0.041063, 0.022536]
 * Distributions.topP(new float[] {0.4f, 0.3f, 0.2f, 0.1f}, 0.7);       // [0.571429, 0.428571, 0, 0]
 * }</pre>
 */
public final class Distributions {

    private Distributions() {}

    /** {@code softmax(logits)} in float32 with a max shift; -inf entries get 0. */
    public static float[] softmax(float[] logits) {
        requireNonEmpty("logits", logits);
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            checkLogit(x);
            max = Math.max(max, x);
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("logits must have at least one finite value, but all are -inf");
        }
        float[] out = new float[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) Math.exp(logits[i] - max);
            sum += out[i];
        }
        float s = (float) sum;
        for (int i = 0; i < out.length; i++) {
            out[i] /= s;
        }
        return out;
    }

    /**
     * The seed's {@code apply_temperature}: {@code softmax(logits / T)}.
     *
     * @throws IllegalArgumentException if {@code temperature <= 0} (the seed raises "温度参数必须大于 0"),
     *     or is not finite
     */
    public static float[] applyTemperature(float[] logits, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 (温度参数必须大于 0), but is: " + temperature
                    + " (temperature 0 means greedy: use SamplingParams.greedy())");
        }
        requireNonEmpty("logits", logits);
        float t = (float) temperature;
        float[] scaled = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            checkLogit(logits[i]);
            scaled[i] = logits[i] / t;
        }
        return softmax(scaled);
    }

    /**
     * The seed's {@code top_p_sampling}: sort descending (stable: ties keep index order), cumulative
     * sums in float32, drop a token when the mass strictly before it exceeds p (the first token
     * always stays), renormalise, and return the probabilities in the original order. Float32
     * matters at the boundary: for [0.4, 0.3, 0.2, 0.1] and p = 0.7, 0.4f + 0.3f rounds to
     * 0.70000005 &gt; 0.7, so 0.2 is dropped, as in PyTorch.
     *
     * @throws IllegalArgumentException if p is not in (0, 1] or a probability is negative or not finite
     */
    public static float[] topP(float[] probs, double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], but is: " + p);
        }
        requireNonEmpty("probs", probs);
        for (int i = 0; i < probs.length; i++) {
            if (!(probs[i] >= 0) || Float.isInfinite(probs[i])) {
                throw new IllegalArgumentException("probs must be finite and >= 0, but probs[" + i + "] is: " + probs[i]);
            }
        }
        int n = probs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(probs[b], probs[a]));
        float pf = (float) p;
        float[] kept = new float[n];
        double cumulative = 0;
        boolean removeNext = false;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            boolean remove = r > 0 && removeNext;
            cumulative += probs[i];
            removeNext = (float) cumulative > pf;
            if (!remove) {
                kept[i] = probs[i];
                sum += probs[i];
            }
        }
        float s = (float) sum;
        for (int i = 0; i < n; i++) {
            kept[i] /= s;
        }
        return kept;
    }

    /** Shannon entropy in nats; zero-probability entries contribute nothing. */
    public static double entropy(double[] probs) {
        double h = 0;
        for (double q : probs) {
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return h;
    }

    /** The effective number of tokens, {@code exp(entropy)} (perplexity of the distribution). */
    public static double effectiveTokens(double[] probs) {
        return Math.exp(entropy(probs));
    }

    private static void checkLogit(float x) {
        if (Float.isNaN(x) || x == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("logits must be finite or -inf, but one is: " + x);
        }
    }

    private static void requireNonEmpty(String name, float[] a) {
        if (a == null || a.length == 0) {
            throw new IllegalArgumentException(name + " must have at least one entry, but is empty");
        }
    }
}
