package dev.tempera.shapes;

/**
 * Counts behind precision, recall and F1.
 *
 * @param matched stated attributes that are true
 * @param stated attributes the description states
 * @param present attributes the truth holds
 */
public record Prf(int matched, int stated, int present) {

    public Prf {
        if (matched < 0 || matched > stated || matched > present) {
            throw new IllegalArgumentException("matched must be in [0, min(stated, present)] = [0, "
                    + Math.min(stated, present) + "], but is: " + matched);
        }
    }

    /** Stated attributes that are true, as a fraction; 1 when nothing is stated (nothing false was said). */
    public double precision() {
        return stated == 0 ? 1.0 : (double) matched / stated;
    }

    /** True attributes that are stated, as a fraction; 1 when the truth holds none. */
    public double recall() {
        return present == 0 ? 1.0 : (double) matched / present;
    }

    /** Stated attributes that are not true ({@code stated - matched}): the hallucinated ones. */
    public int hallucinated() {
        return stated - matched;
    }

    /**
     * Hallucinated over stated attributes, {@code 1 - precision}: 0 when nothing is stated (nothing false was said).
     * Summed counts of several descriptions give the pooled (CHAIR_i-style) rate.
     */
    public double hallucinationRate() {
        return stated == 0 ? 0 : (double) hallucinated() / stated;
    }

    /** Harmonic mean of precision and recall; 0 when both are 0. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The counts of this and {@code o} added, for pooling several descriptions. */
    public Prf plus(Prf o) {
        return new Prf(matched + o.matched, stated + o.stated, present + o.present);
    }
}
