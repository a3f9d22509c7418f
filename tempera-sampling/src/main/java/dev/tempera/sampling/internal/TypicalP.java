package dev.tempera.sampling.internal;

import java.util.Arrays;

/**
 * Locally typical sampling (Meister et al. 2022): orders tokens by how far their surprise
 * {@code -log p} is from the entropy H, and keeps them in that order while the mass before each one
 * is below {@code typical_p} (transformers: {@code < mass}) or at most it (llama.cpp: {@code <= mass},
 * {@code strict = false}). At least {@code minKeep} tokens stay. Ties are ordered by token id.
 *
 * <p>With {@code s = logit - max}, {@code -log p = log Z - s}, so the distance is
 * {@code |s - E[s]|}: the entropy comes from the exponential pass ({@code Σ e·s}), the distances
 * from one vector pass, and only the bin of distances where the mass crosses {@code typical_p} is
 * sorted. No sort of the vocabulary.
 */
final class TypicalP implements LogitsProcessor {

    /** Distance bins; tokens further than the last bin's edge share it. */
    static final int BINS = 4096;
    /** Exponentials below e^-104 are 0 in float: such tokens carry no mass. */
    private static final float MAX_MEANINGFUL_DISTANCE = 104f;

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
        float center = (float) (Math.log(z) - c.pair[1]);   // E[s] <= 0
        // Strict (< mass): a mass just below it counts as reaching it; non-strict (<= mass): a mass
        // just above it still passes. Both as float32 sums behave in the engines.
        double target = mass * z * (strict ? 1 - TopP.MASS_TOLERANCE : 1 + TopP.MASS_TOLERANCE);
        int n = c.isDense ? c.vocab : c.size;
        float[] negDist = c.scratchVals(n);
        if (c.isDense) {
            c.kernels.negAbsDistance(c.dense, n, c.scale, max + center, negDist);
        } else {
            ScalarKernels.INSTANCE.negAbsDistance(c.logits, n, 1f, max + center, negDist);
        }
        double[] binMass = c.typicalBinMass();
        int[] binCount = c.typicalBinCount();
        float binScale = BINS / (MAX_MEANINGFUL_DISTANCE + Math.abs(center));
        int[] bins = c.binIndex(n);
        for (int i = 0; i < n; i++) {
            float nd = negDist[i];
            if (nd != Float.NEGATIVE_INFINITY) {
                int b = bin(nd, binScale);
                bins[i] = b;
                binMass[b] += c.exps[i];
                binCount[b]++;
            } else {
                bins[i] = -1;
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
        // Sort the crossing bin by (distance, position) and find the last token kept.
        long[] keys = c.sortKeys;
        if (keys.length < binCount[crossing]) {
            keys = c.sortKeys = new long[Math.max(binCount[crossing], keys.length * 2)];
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (bins[i] == crossing) {
                keys[m++] = key(negDist[i], i);
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
        // Kept: every token nearer than the boundary, and those at its distance up to its position.
        float boundaryNegDist;
        int boundaryPos;
        if (boundary == Long.MIN_VALUE) {
            boundaryNegDist = crossing == 0 ? Float.POSITIVE_INFINITY : -((crossing + 1) / binScale);
            boundaryPos = -1;
        } else {
            boundaryNegDist = -Float.intBitsToFloat((int) (boundary >>> 32));
            boundaryPos = (int) boundary;
        }
        int gathered = c.kernels.gatherAtLeast(negDist, n, boundaryNegDist, c.scratchIds, negDist);
        int out = 0;
        for (int k = 0; k < gathered; k++) {
            int pos = c.scratchIds[k];
            float nd = negDist[k];
            if (nd == boundaryNegDist && pos > boundaryPos && boundaryPos >= 0) {
                continue;
            }
            if (boundary == Long.MIN_VALUE && bins[pos] >= crossing) {
                continue;
            }
            int id = c.isDense ? pos : c.ids[pos];
            float x = c.isDense ? c.dense[pos] * c.scale : c.logits[pos];
            c.ids[out] = id;
            c.logits[out] = x;
            out++;
        }
        c.size = out;
        c.isDense = false;
        c.sorted = false;
    }

    /** Sort key: distance ascending (non-negative float bits order like ints), then position. */
    private static long key(float negDist, int position) {
        return ((long) Float.floatToRawIntBits(-negDist) << 32) | position;
    }

    private boolean passes(double massBefore, double target) {
        return strict ? massBefore < target : massBefore <= target;
    }

    private static int bin(float negDist, float binScale) {
        int b = (int) (-negDist * binScale);
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
