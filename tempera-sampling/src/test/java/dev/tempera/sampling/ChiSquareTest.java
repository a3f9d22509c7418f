package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 100,000 fixed-seed draws per processor chain against the processed distribution.
 *
 * <p>Pearson's chi-square over the kept tokens, df = kept - 1, must stay below the critical value at
 * alpha = 1e-4 (Wilson-Hilferty, z = 3.719). With fixed seeds the test is deterministic; the
 * threshold says how surprising a pass would be for a wrong sampler. As a control, the same draws
 * must fail against the unprocessed softmax, so the test can fail.
 */
class ChiSquareTest {

    private static final int DRAWS = 100_000;
    private static final float[] LOGITS = {2.1f, 1.7f, 1.2f, 0.9f, 0.5f, 0.3f, 0.1f, -0.4f, -1f, -1.5f, -2f, -3f};

    static Stream<Arguments> chains() {
        return Stream.of(ProcessorOrder.values()).flatMap(order -> Stream.of(
                Arguments.of(order, SamplingParams.builder().temperature(1)),
                Arguments.of(order, SamplingParams.builder().temperature(0.7).topP(0.9)),
                Arguments.of(order, SamplingParams.builder().temperature(1.3).topK(5)),
                Arguments.of(order, SamplingParams.builder().temperature(0.8).minP(0.1)),
                Arguments.of(order, SamplingParams.builder().temperature(1).typicalP(0.8)),
                Arguments.of(order, SamplingParams.builder().temperature(0.9).topK(8).topP(0.95).minP(0.05)),
                Arguments.of(order, SamplingParams.builder().temperature(1).topNSigma(1.5)),
                Arguments.of(order, SamplingParams.builder().temperature(1).epsilonCutoff(0.03).etaCutoff(0.02)),
                Arguments.of(order, SamplingParams.builder().temperature(1.1).dynatempRange(0.5))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("chains")
    void drawsFollowTheProcessedDistribution(ProcessorOrder order, SamplingParams.Builder builder) {
        SamplingParams params = builder.order(order).seed(20261128).maxTokens(DRAWS).build();
        Sampler sampler = Sampler.create(params, LOGITS.length);
        double[] expected = sampler.distribution(LOGITS);
        long[] counts = new long[LOGITS.length];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampler.next(LOGITS)]++;
        }
        for (int t = 0; t < LOGITS.length; t++) {
            if (expected[t] == 0) {
                assertThat(counts[t]).as("token %d was removed but drawn", t).isZero();
            }
        }
        double[] stat = chiSquare(counts, expected);
        assertThat(stat[0]).as("chi-square with df %s", stat[1]).isLessThan(critical(stat[1]));

        double[] raw = Sampler.create(SamplingParams.builder().seed(1).build(), LOGITS.length).distribution(LOGITS);
        boolean differs = false;
        for (int t = 0; t < raw.length; t++) {
            differs |= Math.abs(raw[t] - expected[t]) > 0.01;
        }
        if (differs) {
            double[] control = chiSquare(counts, raw);
            assertThat(control[0]).as("control against the unprocessed softmax").isGreaterThan(critical(control[1]));
        }
    }

    /** {statistic, degrees of freedom} over the tokens with expected probability > 0. */
    static double[] chiSquare(long[] counts, double[] probs) {
        double stat = 0;
        int cells = 0;
        for (int t = 0; t < counts.length; t++) {
            if (probs[t] > 0) {
                double e = probs[t] * DRAWS;
                stat += (counts[t] - e) * (counts[t] - e) / e;
                cells++;
            } else if (counts[t] > 0) {
                stat = Double.POSITIVE_INFINITY;
            }
        }
        return new double[] {stat, Math.max(1, cells - 1)};
    }

    /** Upper 1e-4 quantile of chi-square with df degrees of freedom (Wilson-Hilferty). */
    static double critical(double df) {
        double z = 3.719;
        double a = 2 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
