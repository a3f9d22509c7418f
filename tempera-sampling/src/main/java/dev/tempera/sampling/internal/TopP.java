package dev.tempera.sampling.internal;

/**
 * Nucleus sampling: keeps the most likely tokens, in order, while the mass before each one is
 * below p, so the kept set is the smallest prefix whose mass reaches p (vLLM, transformers and
 * llama.cpp agree on this set). A mass within {@link #MASS_TOLERANCE} (relative) below p counts as
 * reaching it, as float32 sums do in the engines. At least {@code minKeep} tokens stay.
 *
 * <p>On the full vocabulary it never sorts: tokens whose total mass is below {@code 1 - top_p}
 * cannot be in the nucleus, so only the tokens above such a cut are gathered (the first of a few
 * cuts whose gathered mass reaches {@code top_p}; the last, {@code (1 - top_p) / 2V}, always does);
 * they are binned by logit, the bin where the mass crosses {@code top_p} is found, and only that
 * bin is sorted. Ties are ordered by token id.
 */
final class TopP implements LogitsProcessor {

    static final int BINS = 1024;

    /** Pre-filter cuts tried in turn, as fractions of the most likely token's weight. */
    private static final float[] CUTS = {1e-2f, 1e-4f, 1e-6f};

    /**
     * A mass counts as reaching p when it is within this relative distance below it. The engines add
     * float32 probabilities, so a prefix whose exact mass is p (the seed's [0.4, 0.3, 0.2, 0.1] at
     * p = 0.7) reaches it there; with float32 logits Tempera's double sums land a few ulps either
     * side, and this makes them land where the engines do.
     */
    static final double MASS_TOLERANCE = 1e-6;

    private final double p;
    private final int minKeep;

    TopP(double p, int minKeep) {
        this.p = p;
        this.minKeep = minKeep;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        if (p >= 1.0) {
            return;
        }
        if (c.isDense && minKeep <= 1) {
            applyDense(c);
        } else {
            applySorted(c, p, minKeep);
        }
    }

    /** Sorts the candidates and keeps the prefix; used on sparse sets and as the reference path. */
    static void applySorted(Candidates c, double p, int minKeep) {
        c.sortDescending();
        float max = c.logits[0];
        double z = c.expSum(max);
        double target = p * z * (1 - MASS_TOLERANCE);
        double before = 0;
        for (int i = 0; i < c.size; i++) {
            if (i >= minKeep && !(before < target)) {
                c.truncate(i);
                return;
            }
            before += c.exps[i];
        }
    }

    private void applyDense(Candidates c) {
        float max = c.maxLogit();
        double z = c.expSum(max);
        double target = p * z * (1 - MASS_TOLERANCE);
        // The nucleus lies above any cut whose tokens hold at least p of the mass. Try cuts at 1e-2,
        // 1e-4 and 1e-6 of the top token's weight: one gather each, which also measures the mass
        // above it; peaked distributions pass at the first. The last resort, tau, always passes:
        // everything below it holds less than V * tau = (1 - p) / 2 of the mass.
        double required = z - (z - target) * 0.999;
        double tau = 0.5 * (1.0 - p) * z / c.vocab;
        float cut = (float) tau;
        for (float guess : CUTS) {
            if (guess <= tau) {
                break;
            }
            if (c.gatherExpAtLeast(guess) >= required) {
                cut = guess;
                break;
            }
        }
        if (cut == (float) tau) {
            c.gatherExpAtLeast(cut);
        }
        c.finishExpGather();
        float lnCut = (float) Math.log(cut);
        int n = c.size;
        double[] mass = c.binMass;
        int[] count = c.binCount;
        java.util.Arrays.fill(mass, 0.0);
        java.util.Arrays.fill(count, 0);
        float binScale = BINS / -lnCut;
        for (int i = 0; i < n; i++) {
            int b = bin(c.logits[i] - max, binScale);
            mass[b] += c.exps[c.ids[i]];
            count[b]++;
        }
        double above = 0;
        int crossing = 0;
        while (crossing < BINS - 1 && above + mass[crossing] < target) {
            above += mass[crossing];
            crossing++;
        }
        // Sort the crossing bin's members and find the last one kept.
        int m = 0;
        long[] keys = c.sortKeys;
        if (keys.length < count[crossing]) {
            keys = c.sortKeys = new long[Math.max(count[crossing], keys.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            if (bin(c.logits[i] - max, binScale) == crossing) {
                keys[m++] = Candidates.descendingKey(c.logits[i], c.ids[i]);
            }
        }
        java.util.Arrays.sort(keys, 0, m);
        double before = above;
        long boundary = Long.MIN_VALUE;
        for (int j = 0; j < m; j++) {
            if (!(before < target)) {
                break;
            }
            boundary = keys[j];
            before += c.exps[(int) keys[j]];
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int b = bin(c.logits[i] - max, binScale);
            if (b < crossing || (b == crossing && Candidates.descendingKey(c.logits[i], c.ids[i]) <= boundary)) {
                c.ids[kept] = c.ids[i];
                c.logits[kept] = c.logits[i];
                kept++;
            }
        }
        c.size = kept;
    }

    private static int bin(float s, float binScale) {
        int b = (int) (-s * binScale);
        return b < 0 ? 0 : Math.min(b, BINS - 1);
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "top_p(" + p + ")";
    }
}
