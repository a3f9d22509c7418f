package dev.tempera.lab.cli;

import org.apache.commons.math3.special.Gamma;

/**
 * Pearson's chi-square goodness-of-fit of observed counts against a distribution, over the tokens
 * the distribution keeps (probability &gt; 0).
 *
 * @param statistic {@code sum (observed - expected)^2 / expected} over the kept tokens
 * @param df        kept tokens - 1
 * @param pValue    {@code Q(df/2, statistic/2)}, the regularized upper incomplete gamma; 1 when df = 0,
 *                  0 when a token outside the kept set was drawn
 * @param outside   draws of tokens the distribution gives probability 0 (a sampler bug if not 0)
 */
record ChiSquare(double statistic, int df, double pValue, long outside) {

    static ChiSquare of(double[] probs, long[] counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double x = 0;
        int kept = 0;
        long outside = 0;
        for (int i = 0; i < probs.length; i++) {
            if (probs[i] > 0) {
                kept++;
                double expected = total * probs[i];
                double d = counts[i] - expected;
                x += d * d / expected;
            } else {
                outside += counts[i];
            }
        }
        int df = Math.max(0, kept - 1);
        double p;
        if (outside > 0) {
            p = 0;
        } else if (df == 0) {
            p = 1;
        } else {
            p = Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
        }
        return new ChiSquare(x, df, p, outside);
    }
}
