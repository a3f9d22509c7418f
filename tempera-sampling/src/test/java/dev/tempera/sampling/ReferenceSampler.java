package dev.tempera.sampling;

import dev.tempera.sampling.internal.Philox4x32;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The slow, obviously correct reference of the processor chains: double precision, full sorts,
 * written from the engines' semantics (research/sampling-anchors.md) and not from the fast code.
 * Order within ties is (logit descending, token id ascending). Mirostat, which carries state, is
 * tested by hand elsewhere.
 */
final class ReferenceSampler {

    private ReferenceSampler() {}

    /** The processed distribution for the next token of a sequence with history {@code tokens}. */
    static double[] distribution(SamplingParams p, float[] logits, int[] tokens, int promptLength, int[] stopIds) {
        double[] x = new double[logits.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = logits[i];
        }
        int generated = tokens.length - promptLength;
        double xtcCoin = Philox4x32.uniform(p.seed().orElse(0), generated, 1);
        switch (p.order()) {
            case VLLM -> {
                allowed(x, p);
                badWords(x, p, tokens, promptLength);
                minTokens(x, p, generated, stopIds);
                bias(x, p);
                penalties(x, p, tokens, promptLength, true);
                noRepeat(x, p, tokens, promptLength);
            }
            case TRANSFORMERS -> {
                bias(x, p);
                penalties(x, p, tokens, promptLength, true);
                noRepeat(x, p, tokens, 0);
                badWords(x, p, tokens, 0);
                minTokens(x, p, generated, stopIds);
                allowed(x, p);
            }
            case LLAMA_CPP -> {
                bias(x, p);
                allowed(x, p);
                badWords(x, p, tokens, 0);
                minTokens(x, p, generated, stopIds);
                penalties(x, p, tokens, promptLength, false);
                noRepeat(x, p, tokens, 0);
            }
        }
        if (live(x) == 0) {
            throw new IllegalStateException("every token is masked");
        }
        int keep = p.minTokensToKeep();
        if (p.isGreedy()) {
            // llama.cpp's temp <= 0 takes the max after its truncation chain; only XTC and typical-p can
            // move it there. vLLM takes it before truncation; transformers adds no warpers.
            boolean canMove = p.typicalP() < 1 || (p.xtcProbability() > 0 && p.xtcThreshold() <= 0.5);
            if (p.order() == ProcessorOrder.LLAMA_CPP && canMove && p.mirostat() == 0) {
                llamaTruncation(x, p, keep, xtcCoin);
            }
            double[] out = new double[x.length];
            out[argmax(x)] = 1;
            return out;
        }
        switch (p.order()) {
            case VLLM -> {
                temperature(x, p);
                if (p.minP() > 0) minP(x, p.minP(), 1);
                if (p.topNSigma() > 0) topNSigma(x, p.topNSigma());
                if (p.topK() > 0) topKTies(x, p.topK());
                if (p.topP() < 1) topP(x, p.topP(), 1);
                if (p.typicalP() < 1) typical(x, p.typicalP(), keep, true);
                if (p.epsilonCutoff() > 0) epsilon(x, p.epsilonCutoff(), false, keep);
                if (p.etaCutoff() > 0) epsilon(x, p.etaCutoff(), true, keep);
                xtc(x, p, xtcCoin);
            }
            case TRANSFORMERS -> {
                temperature(x, p);
                if (p.topNSigma() > 0) topNSigma(x, p.topNSigma());
                if (p.topK() > 0) topKTies(x, Math.max(p.topK(), keep));
                if (p.topP() < 1) topP(x, p.topP(), keep);
                if (p.minP() > 0) minP(x, p.minP(), keep);
                if (p.typicalP() < 1) typical(x, p.typicalP(), keep, true);
                if (p.epsilonCutoff() > 0) epsilon(x, p.epsilonCutoff(), false, keep);
                if (p.etaCutoff() > 0) epsilon(x, p.etaCutoff(), true, keep);
                xtc(x, p, xtcCoin);
            }
            case LLAMA_CPP -> {
                llamaTruncation(x, p, keep, xtcCoin);
                temperature(x, p);
            }
        }
        return softmax(x);
    }

    static void llamaTruncation(double[] x, SamplingParams p, int keep, double xtcCoin) {
        if (p.topNSigma() > 0) topNSigma(x, p.topNSigma());
        if (p.topK() > 0) topKExact(x, p.topK());
        if (p.typicalP() < 1) typical(x, p.typicalP(), keep, false);
        if (p.topP() < 1) topP(x, p.topP(), keep);
        if (p.minP() > 0) minP(x, p.minP(), keep);
        if (p.epsilonCutoff() > 0) epsilon(x, p.epsilonCutoff(), false, keep);
        if (p.etaCutoff() > 0) epsilon(x, p.etaCutoff(), true, keep);
        xtc(x, p, xtcCoin);
    }

    static double[] softmax(double[] x) {
        double max = Arrays.stream(x).max().orElseThrow();
        double[] out = new double[x.length];
        double z = 0;
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i] - max);
            z += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= z;
        }
        return out;
    }

    static int argmax(double[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Token ids by logit descending, ties by id ascending; -inf last. */
    static int[] orderDescending(double[] x) {
        return IntStream.range(0, x.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -x[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    static int live(double[] x) {
        return (int) Arrays.stream(x).filter(v -> v != Double.NEGATIVE_INFINITY).count();
    }

    static void allowed(double[] x, SamplingParams p) {
        if (p.allowedTokenIds().isEmpty()) return;
        for (int i = 0; i < x.length; i++) {
            if (!p.allowedTokenIds().contains(i)) x[i] = Double.NEGATIVE_INFINITY;
        }
    }

    static void badWords(double[] x, SamplingParams p, int[] tokens, int from) {
        for (List<Integer> w : p.badWords()) {
            int prefix = w.size() - 1;
            int n = tokens.length - from;
            if (prefix > n) continue;
            boolean match = true;
            for (int i = 0; i < prefix; i++) {
                if (tokens[tokens.length - prefix + i] != w.get(i)) match = false;
            }
            if (match) x[w.get(prefix)] = Double.NEGATIVE_INFINITY;
        }
    }

    static void minTokens(double[] x, SamplingParams p, int generated, int[] stopIds) {
        if (generated < p.minTokens()) {
            for (int id : stopIds) x[id] = Double.NEGATIVE_INFINITY;
        }
    }

    static void bias(double[] x, SamplingParams p) {
        // The fast path adds the bias in float; so does every engine (float32 logits).
        p.logitBias().forEach((id, b) -> x[id] = (float) x[id] + b.floatValue());
    }

    static void penalties(double[] x, SamplingParams p, int[] tokens, int promptLength, boolean outputOnlyCounts) {
        boolean any = p.repetitionPenalty() != 1 || p.frequencyPenalty() != 0 || p.presencePenalty() != 0;
        if (!any || p.penaltyLastN() == 0) return;
        int start = p.penaltyLastN() < 0 ? 0 : Math.max(0, tokens.length - p.penaltyLastN());
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = start; i < tokens.length; i++) {
            counts.merge(tokens[i], (!outputOnlyCounts || i >= promptLength) ? 1 : 0, Integer::sum);
        }
        float rep = (float) p.repetitionPenalty();
        float freq = (float) p.frequencyPenalty();
        float pres = (float) p.presencePenalty();
        counts.forEach((t, c) -> {
            float v = (float) x[t];
            if (rep != 1f) v = v > 0 ? v / rep : v * rep;
            v -= freq * c + (c > 0 ? pres : 0f);
            x[t] = v;
        });
    }

    static void noRepeat(double[] x, SamplingParams p, int[] tokens, int from) {
        int n = p.noRepeatNgramSize();
        if (n <= 0) return;
        List<Integer> h = new ArrayList<>();
        for (int i = from; i < tokens.length; i++) h.add(tokens[i]);
        if (h.size() + 1 < n) return;
        List<Integer> prefix = h.subList(h.size() - (n - 1), h.size());
        for (int s = 0; s + n - 1 < h.size(); s++) {
            if (h.subList(s, s + n - 1).equals(prefix)) x[h.get(s + n - 1)] = Double.NEGATIVE_INFINITY;
        }
    }

    static void temperature(double[] x, SamplingParams p) {
        if (p.dynatempRange() > 0) {
            int n = live(x);
            if (n <= 1) return;
            double minT = Math.max(0, p.temperature() - p.dynatempRange());
            double maxT = p.temperature() + p.dynatempRange();
            double[] q = softmax(x);
            double h = 0;
            for (double v : q) if (v > 0) h -= v * Math.log(v);
            double t = minT + (maxT - minT) * Math.pow(h / Math.log(n), p.dynatempExponent());
            if (t <= 0) {
                int best = argmax(x);
                for (int i = 0; i < x.length; i++) if (x[i] < x[best]) x[i] = Double.NEGATIVE_INFINITY;
                return;
            }
            for (int i = 0; i < x.length; i++) x[i] /= t;
            return;
        }
        for (int i = 0; i < x.length; i++) x[i] /= p.temperature();
    }

    /** Keeps p_i >= minP * p_max, and at least the {@code keep} most likely. */
    static void minP(double[] x, double mp, int keep) {
        double[] q = softmax(x);
        double pmax = Arrays.stream(q).max().orElseThrow();
        int[] order = orderDescending(x);
        for (int r = 0; r < order.length; r++) {
            int i = order[r];
            if (r >= keep && q[i] < mp * pmax) x[i] = Double.NEGATIVE_INFINITY;
        }
    }

    static void topKTies(double[] x, int k) {
        if (k >= x.length) return;
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double kth = sorted[x.length - k];
        for (int i = 0; i < x.length; i++) if (x[i] < kth) x[i] = Double.NEGATIVE_INFINITY;
    }

    static void topKExact(double[] x, int k) {
        int[] order = orderDescending(x);
        for (int r = k; r < order.length; r++) x[order[r]] = Double.NEGATIVE_INFINITY;
    }

    static void topP(double[] x, double p, int keep) {
        double[] q = softmax(x);
        int[] order = orderDescending(x);
        double before = 0;
        boolean cut = false;
        for (int r = 0; r < order.length; r++) {
            int i = order[r];
            // A mass within 1e-6 (relative) below p reaches it, as float32 sums do in the engines.
            if (cut || (r >= keep && before >= p * (1 - 1e-6))) {
                cut = true;
                x[i] = Double.NEGATIVE_INFINITY;
            }
            before += q[i];
        }
    }

    static void typical(double[] x, double mass, int keep, boolean strict) {
        double[] q = softmax(x);
        double h = 0;
        for (double v : q) if (v > 0) h -= v * Math.log(v);
        double ent = h;
        Integer[] idx = IntStream.range(0, x.length).filter(i -> q[i] > 0).boxed().toArray(Integer[]::new);
        Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> Math.abs(-Math.log(q[i]) - ent)).thenComparingInt(i -> i));
        double before = 0;
        boolean cut = false;
        for (int r = 0; r < idx.length; r++) {
            int i = idx[r];
            boolean passes = strict ? before < mass * (1 - 1e-6) : before <= mass * (1 + 1e-6);
            if (cut || (r >= keep && !passes)) {
                cut = true;
                x[i] = Double.NEGATIVE_INFINITY;
            }
            before += q[i];
        }
    }

    static void epsilon(double[] x, double eps, boolean eta, int keep) {
        double[] q = softmax(x);
        double cutoff = eps;
        if (eta) {
            double h = 0;
            for (double v : q) if (v > 0) h -= v * Math.log(v);
            cutoff = Math.min(eps, Math.sqrt(eps) * Math.exp(-h));
        }
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double kth = sorted[x.length - Math.min(keep, x.length)];
        for (int i = 0; i < x.length; i++) {
            if (q[i] < cutoff && x[i] < kth) x[i] = Double.NEGATIVE_INFINITY;
        }
    }

    static void topNSigma(double[] x, double n) {
        double[] finite = Arrays.stream(x).filter(v -> v != Double.NEGATIVE_INFINITY).toArray();
        double mean = Arrays.stream(finite).average().orElse(0);
        double var = Arrays.stream(finite).map(v -> (v - mean) * (v - mean)).sum() / finite.length;
        double max = Arrays.stream(finite).max().orElseThrow();
        double threshold = max - n * Math.sqrt(var);
        for (int i = 0; i < x.length; i++) if (x[i] < threshold) x[i] = Double.NEGATIVE_INFINITY;
    }

    static void xtc(double[] x, SamplingParams p, double coin) {
        if (p.xtcProbability() <= 0 || p.xtcThreshold() > 0.5 || coin > p.xtcProbability()) return;
        int n = live(x);
        if (n < 2) return;
        double[] q = softmax(x);
        int[] order = orderDescending(x);
        int above = 0;
        while (above < n && q[order[above]] >= p.xtcThreshold()) above++;
        if (above < 2 || n - (above - 1) < p.minTokensToKeep()) return;
        for (int r = 0; r < above - 1; r++) x[order[r]] = Double.NEGATIVE_INFINITY;
    }
}
