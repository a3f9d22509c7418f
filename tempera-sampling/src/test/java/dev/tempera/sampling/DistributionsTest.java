package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The seed's {@code apply_temperature} and {@code top_p_sampling}. Expected values are the
 * seed's printed numbers; each was recomputed by hand from the exponentials in the comment.
 */
class DistributionsTest {

    private static final float[] SEED_LOGITS = {2f, 1f, 0.5f, 0.2f};
    private static final float[] SEED_PROBS = {0.4f, 0.3f, 0.2f, 0.1f};

    @Test
    void softmaxOfSeedLogits() {
        // e^2, e^1, e^0.5, e^0.2 = 7.389056, 2.718282, 1.648721, 1.221403; sum 12.977462
        // (checked with Python's math.exp: 0.569376 0.209462 0.127045 0.094117)
        assertThat(Distributions.softmax(SEED_LOGITS))
                .containsExactly(new float[] {0.569376f, 0.209462f, 0.127045f, 0.094117f}, within(5e-7f));
    }

    @Test
    void temperatureHalfSharpensAsTheSeedPrints() {
        // logits / 0.5 = 4, 2, 1, 0.4: e^4 = 54.59815, e^2 = 7.389056, e = 2.718282, e^0.4 = 1.491825
        assertThat(Distributions.applyTemperature(SEED_LOGITS, 0.5))
                .containsExactly(new float[] {0.824779f, 0.111622f, 0.041063f, 0.022536f}, within(5e-7f));
    }

    @Test
    void temperatureOneIsPlainSoftmax() {
        assertThat(Distributions.applyTemperature(SEED_LOGITS, 1.0))
                .containsExactly(Distributions.softmax(SEED_LOGITS), within(1e-7f));
    }

    @Test
    void temperatureTwoFlattens() {
        // logits / 2 = 1, 0.5, 0.25, 0.1: 2.718282, 1.648721, 1.284025, 1.105171; sum 6.756199
        // (checked with Python's math.exp: 0.402339 0.244031 0.190051 0.163579)
        assertThat(Distributions.applyTemperature(SEED_LOGITS, 2.0))
                .containsExactly(new float[] {0.402339f, 0.244031f, 0.190051f, 0.163579f}, within(5e-7f));
    }

    @Test
    void topP07KeepsTwoTokensBecauseFloat32CumsumPassesP() {
        // 0.4f + 0.3f rounds to 0.70000005 > 0.7f, so 0.2 (whose mass before is that sum) is dropped.
        assertThat(Distributions.topP(SEED_PROBS, 0.7))
                .containsExactly(new float[] {0.571429f, 0.428571f, 0f, 0f}, within(5e-7f));
    }

    @Test
    void topP09KeepsThreeTokens() {
        // cumsum 0.4, 0.70000005, 0.90000004 > 0.9f: the 0.1 token goes; 0.4, 0.3, 0.2 renormalised by 0.9.
        assertThat(Distributions.topP(SEED_PROBS, 0.9))
                .containsExactly(new float[] {0.444444f, 0.333333f, 0.222222f, 0f}, within(5e-7f));
    }

    @Test
    void topPReturnsOriginalOrder() {
        float[] shuffled = {0.1f, 0.4f, 0.2f, 0.3f};
        assertThat(Distributions.topP(shuffled, 0.7))
                .containsExactly(new float[] {0f, 0.571429f, 0f, 0.428571f}, within(5e-7f));
    }

    @Test
    void inputsAreNotModified() {
        float[] logits = SEED_LOGITS.clone();
        float[] probs = SEED_PROBS.clone();
        Distributions.applyTemperature(logits, 0.5);
        Distributions.topP(probs, 0.7);
        assertThat(logits).containsExactly(SEED_LOGITS);
        assertThat(probs).containsExactly(SEED_PROBS);
    }

    // Bad inputs tried: T = 0, T < 0, T NaN, T +inf; p = 0, p > 1, p NaN; NaN logit; negative prob; empty.
    @Test
    void nonPositiveTemperatureIsAnErrorAsInTheSeed() {
        assertThatThrownBy(() -> Distributions.applyTemperature(SEED_LOGITS, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature must be > 0").hasMessageContaining("温度参数必须大于 0")
                .hasMessageContaining("but is: 0.0");
        assertThatThrownBy(() -> Distributions.applyTemperature(SEED_LOGITS, -1))
                .hasMessageContaining("but is: -1.0");
        assertThatThrownBy(() -> Distributions.applyTemperature(SEED_LOGITS, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Distributions.applyTemperature(SEED_LOGITS, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void topPOutsideRangeIsAnError() {
        assertThatThrownBy(() -> Distributions.topP(SEED_PROBS, 0)).hasMessage("p must be in (0, 1], but is: 0.0");
        assertThatThrownBy(() -> Distributions.topP(SEED_PROBS, 1.5)).hasMessage("p must be in (0, 1], but is: 1.5");
        assertThatThrownBy(() -> Distributions.topP(SEED_PROBS, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidValuesAreErrors() {
        assertThatThrownBy(() -> Distributions.softmax(new float[] {1f, Float.NaN}))
                .hasMessageContaining("logits must be finite or -inf");
        assertThatThrownBy(() -> Distributions.topP(new float[] {0.5f, -0.1f}, 0.9))
                .hasMessageContaining("probs[1] is: -0.1");
        assertThatThrownBy(() -> Distributions.softmax(new float[0])).hasMessageContaining("empty");
    }

    @Test
    void entropyAndEffectiveTokensOfUniform() {
        double[] uniform = {0.25, 0.25, 0.25, 0.25};
        assertThat(Distributions.entropy(uniform)).isCloseTo(Math.log(4), within(1e-12));
        assertThat(Distributions.effectiveTokens(uniform)).isCloseTo(4.0, within(1e-9));
        assertThat(Distributions.entropy(new double[] {1, 0})).isEqualTo(0.0);
    }
}
