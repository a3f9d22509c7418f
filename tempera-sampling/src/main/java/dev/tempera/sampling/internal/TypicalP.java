package dev.tempera.sampling.internal;

import java.util.Arrays;

/**
 * Locally typical sampling (Meister et al. 2022): orders tokens by how far their surprise
 * {@code -log p} is from the entropy H, and keeps them in that order while the mass before each one
 * is below {@code typical_p} (transformers: {@code < mass}) or at most it (llama.cpp: {@code <= mass},
 * {@code strict = false}). At least {@code minKeep} tokens stay. Ties are ordered by token id.
 *
 * <p>On the full vocabulary: one pass for the entropy (fused with the exponentials), one to bin the
 * distances, a sort of the crossing bin only, and one to gather the kept tokens.
 */
final class TypicalP implements LogitsProcessor {

    private static final int BINS = TopP.BINS;

    private final double mass;
    private final int minKeep;
    private final boolean strict;

    TypicalP(double mass, int minKeep, boolean strict) {
        this.mass = mass;
        this.minKeep = minKeep;
        this.strict = strict;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        if (mass >= 1.0) {
            return;
        }
        float max = c.maxLogit();
        c.expEntropy(max);
        double z = c.pair[0];
        double center = Math.log(z) - c.pair[1];
        double target = mass * z;
        int n = c.isDense ? c.vocab : c.size;
        // Distances, kept in c.scratchVals (indexed like the candidates).
        float[] d = c.scratchVals(n);
        float dmax = 0;
        for (int i = 0; i < n; i++) {
            float x = c.isDense ? c.dense[i] : c.logits[i];
            if (x == Float.NEGATIVE_INFINITY) {
                d[i] = Float.NaN;
                continue;
            }
            float s = (c.isDense ? x * c.scale : x) - max;
            float dist = (float) Math.abs(center - s);
            d[i] = dist;
            dmax = Math.max(dmax, dist);
        }
        double[] binMass = c.binMass;
        int[] binCount = c.binCount;
        Arrays.fill(binMass, 0.0);
        Arrays.fill(binCount, 0);
        float binScale = dmax > 0 ? BINS / dmax : 0f;
        for (int i = 0; i < n; i++) {
            if (d[i] == d[i]) {
                int b = bin(d[i], binScale);
                binMass[b] += c.exps[i];
                binCount[b]++;
            }
        }
        double before = 0;
        int keptBefore = 0;
        int crossing = 0;
        while (crossing < BINS - 1 && passes(before + binMass[crossing], target)) {
            before += binMass[crossing];
            keptBefore += binCount[crossing];
            crossing++;
        }
        // min_keep may reach past the bin where the mass crosses: move on to the bin where it is met.
        while (crossing < BINS - 1 && keptBefore + binCount[crossing] < minKeep) {
            before += binMass[crossing];
            keptBefore += binCount[crossing];
            crossing++;
        }
        long[] keys = c.sortKeys;
        if (keys.length < binCount[crossing]) {
            keys = c.sortKeys = new long[Math.max(binCount[crossing], keys.length * 2)];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] == d[i] && bin(d[i], binScale) == crossing) {
                keys[m++] = ((long) Float.floatToRawIntBits(d[i]) << 32) | i;
            }
        }
        Arrays.sort(keys, 0, m);
        long boundary = Long.MIN_VALUE;
        int kept = keptBefore;
        for (int j = 0; j < m; j++) {
            if (kept >= minKeep && !passes(before, target)) {
                break;
            }
            boundary = keys[j];
            before += c.exps[(int) keys[j]];
            kept++;
        }
        int out = 0;
        for (int i = 0; i < n; i++) {
            if (d[i] != d[i]) {
                continue;
            }
            int b = bin(d[i], binScale);
            boolean keep = b < crossing
                    || (b == crossing && (((long) Float.floatToRawIntBits(d[i]) << 32) | i) <= boundary);
            if (keep) {
                int id = c.isDense ? i : c.ids[i];
                float x = c.isDense ? c.dense[i] * c.scale : c.logits[i];
                c.ids[out] = id;
                c.logits[out] = x;
                out++;
            }
        }
        c.size = out;
        c.isDense = false;
        c.sorted = false;
    }

    private boolean passes(double massBefore, double target) {
        return strict ? massBefore < target : massBefore <= target;
    }

    private static int bin(float d, float binScale) {
        int b = (int) (d * binScale);
        return Math.min(b, BINS - 1);
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "typical_p(" + mass + ")";
    }
}
