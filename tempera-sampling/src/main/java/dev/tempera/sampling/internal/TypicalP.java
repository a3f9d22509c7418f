package dev.tempera.sampling.internal;

import java.util.Arrays;

/**
 * Locally typical sampling (Meister et al. 2022): orders tokens by how far their surprise
 * {@code -log p} is from the entropy H, and keeps them in that order while the mass before each one
 * is below {@code typical_p} (transformers: {@code < mass}) or at most it (llama.cpp: {@code <= mass},
 * {@code strict = false}). At least {@code minKeep} tokens stay. Ties are ordered by token id.
 *
 * <p>With {@code s = logit - max}, {@code -log p = log Z - s}, so the distance is
 * {@code |s - E[s]|}. On the full vocabulary: the entropy comes with the exponentials, the
 * distances from one vector pass, and one more vector pass weighs eight balls around the centre;
 * only the tokens inside the smallest ball holding the target mass are gathered (no token outside
 * it can be kept), binned by distance, and only the bin where the mass crosses is sorted.
 */
final class TypicalP implements LogitsProcessor {

    /** Distance bins over the gathered tokens. */
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
        float rMax = MAX_MEANINGFUL_DISTANCE + Math.abs(center);
        int[] pos;
        float[] dist;
        int m;
        float radius = rMax;
        if (c.isDense) {
            c.kernels.negAbsDistance(c.dense, n, c.scale, max + center, negDist);
            // Eight radii doubling up to rMax, then eight evenly spaced within the octave that passed.
            radius = smallestBallRadius(c, negDist, n, target, 0f, rMax, true);
            if (radius < rMax) {
                radius = smallestBallRadius(c, negDist, n, target, radius / 2, radius, false);
            }
            // Positions and distances of the tokens in the ball, in c.ids / c.logits (free while dense).
            pos = c.ids;
            dist = c.logits;
            m = c.kernels.gatherAtLeast(negDist, n, -radius, pos, dist);
            if (m < minKeep) {
                radius = rMax;
                m = c.kernels.gatherAtLeast(negDist, n, -Float.MAX_VALUE, pos, dist);
            }
        } else {
            ScalarKernels.INSTANCE.negAbsDistance(c.logits, n, 1f, max + center, negDist);
            pos = c.scratchIds;
            dist = negDist;
            m = ScalarKernels.INSTANCE.gatherAtLeast(negDist, n, -Float.MAX_VALUE, pos, dist);
        }
        double[] binMass = c.typicalBinMass();
        int[] binCount = c.typicalBinCount();
        float binScale = BINS / Math.min(radius, rMax);
        int[] bins = c.binIndex(m);
        for (int k = 0; k < m; k++) {
            int b = bin(dist[k], binScale);
            bins[k] = b;
            binMass[b] += c.exps[pos[k]];
            binCount[b]++;
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
        int members = 0;
        for (int k = 0; k < m; k++) {
            if (bins[k] == crossing) {
                keys[members++] = key(dist[k], pos[k]);
            }
        }
        Arrays.sort(keys, 0, members);
        long boundary = Long.MIN_VALUE;
        int kept = keptBefore;
        for (int j = 0; j < members; j++) {
            if (kept >= minKeep && !passes(before, target)) {
                break;
            }
            boundary = keys[j];
            before += c.exps[(int) keys[j]];
            kept++;
        }
        // Kept: the bins before the crossing one, and its members up to the boundary. Written in place:
        // the output index never passes the one being read.
        int out = 0;
        for (int k = 0; k < m; k++) {
            int b = bins[k];
            int p = pos[k];
            if (b < crossing || (b == crossing && key(dist[k], p) <= boundary)) {
                int id = c.isDense ? p : c.ids[p];
                float x = c.isDense ? c.dense[p] * c.scale : c.logits[p];
                c.ids[out] = id;
                c.logits[out] = x;
                out++;
            }
        }
        c.size = out;
        c.isDense = false;
        c.sorted = false;
    }

    /**
     * The smallest of eight radii in {@code (lo, hi]} whose ball around the centre holds more than the
     * target mass ({@code hi} if none does): doubling from {@code hi / 128} when {@code geometric},
     * else evenly spaced. One vector pass over the distances.
     */
    private static float smallestBallRadius(Candidates c, float[] negDist, int n, double target, float lo, float hi,
            boolean geometric) {
        float[] t = c.thresholds;
        for (int j = 0; j < 8; j++) {
            t[j] = -(geometric ? (float) (hi * Math.pow(2, j - 7)) : lo + (hi - lo) * (j + 1) / 8);
        }
        t[7] = -hi;
        c.kernels.massAtLeast(negDist, c.exps, n, t, 8, c.massAtLeast);
        for (int j = 0; j < 8; j++) {
            if (c.massAtLeast[j] > target * 1.0001) {
                return -t[j];
            }
        }
        return hi;
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
