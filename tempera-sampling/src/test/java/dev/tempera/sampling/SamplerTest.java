package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviours of one sequence's sampler: stopping, seeds, logprobs, errors and stateful processors. */
class SamplerTest {

    private static final float[] SEED_LOGITS = {2f, 1f, 0.5f, 0.2f};

    private static float[] logsOf(double... probs) {
        float[] x = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            x[i] = (float) Math.log(probs[i]);
        }
        return x;
    }

    @Test
    void sameSeedGivesSameTokensAndDifferentSeedsDiffer() {
        SamplingParams p = SamplingParams.builder().temperature(1.5).seed(7).maxTokens(200).build();
        int[] a = draw(Sampler.create(p, 4), 200);
        int[] b = draw(Sampler.create(p, 4), 200);
        int[] c = draw(Sampler.create(p.withSeed(8), 4), 200);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void childrenOfNUseSeedPlusI() {
        SamplingParams p = SamplingParams.builder().temperature(1.5).seed(7).n(2).maxTokens(50).build();
        assertThat(draw(Sampler.create(p.forChild(1), 4), 50))
                .isEqualTo(draw(Sampler.create(p.withSeed(8).toBuilder().n(1).build(), 4), 50));
    }

    @Test
    void missingSeedIsDrawnAndReported() {
        Sampler a = Sampler.create(SamplingParams.defaults(), 4);
        Sampler b = Sampler.create(SamplingParams.defaults(), 4);
        assertThat(a.seedWasRandom()).isTrue();
        assertThat(a.seed()).isNotEqualTo(b.seed());
        Sampler replay = Sampler.create(SamplingParams.builder().seed(a.seed()).build(), 4);
        assertThat(replay.seedWasRandom()).isFalse();
        assertThat(draw(replay, 16)).isEqualTo(draw(a, 16));
    }

    @Test
    void stopsOnStopTokenOnlyAfterMinTokens() {
        // Token 3 dominates; it is a stop token, held back until 5 tokens are generated.
        float[] logits = {0f, 0f, 0f, 10f};
        SamplingParams p = SamplingParams.builder().seed(1).minTokens(5).stopTokenIds(List.of(3)).maxTokens(50).build();
        Sampler s = Sampler.create(p, 4);
        int[] tokens = new int[6];
        for (int i = 0; i < 6 && !s.isFinished(); i++) {
            tokens[i] = s.next(logits);
        }
        assertThat(java.util.Arrays.copyOf(tokens, 5)).doesNotContain(3);
        assertThat(tokens[5]).isEqualTo(3);
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(s.generated()).isEqualTo(6);
        assertThatThrownBy(() -> s.next(logits)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already finished (stop) after 6 tokens");
    }

    @Test
    void aResumedSequenceContinuesExactlyAsTheUninterruptedOne() {
        SamplingParams p = SamplingParams.builder().temperature(1.3).frequencyPenalty(0.7).seed(11).maxTokens(40).build();
        Sampler whole = Sampler.builder(p, 4).prompt(1, 2).build();
        int[] all = draw(whole, 40);
        Sampler resumed = Sampler.builder(p, 4).prompt(1, 2).generated(java.util.Arrays.copyOf(all, 15)).build();
        assertThat(resumed.generated()).isEqualTo(15);
        assertThat(draw(resumed, 25)).containsExactly(java.util.Arrays.copyOfRange(all, 15, 40));
        assertThat(resumed.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void generatedTokensMustFitMaxTokens() {
        SamplingParams p = SamplingParams.builder().maxTokens(2).build();
        assertThatThrownBy(() -> Sampler.builder(p, 4).generated(0, 1).build())
                .hasMessage("generated tokens must be fewer than max_tokens (2), but are: 2");
        assertThatThrownBy(() -> Sampler.builder(p, 4).generated(7).build())
                .hasMessage("generated token ids must be in [0, 3], but one is: 7");
    }

    @Test
    void eosIdsFromTheModelStopToo() {
        Sampler s = Sampler.builder(SamplingParams.builder().seed(1).build(), 4).eosTokenIds(3).build();
        s.next(new float[] {0f, 0f, 0f, 20f});
        assertThat(s.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void stopsAtMaxTokensWithLength() {
        Sampler s = Sampler.create(SamplingParams.builder().seed(1).maxTokens(3).build(), 4);
        draw(s, 3);
        assertThat(s.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(s.generatedTokens()).hasSize(3);
    }

    // Bad inputs tried: NaN, +inf, wrong length, all -inf logits; out-of-vocabulary prompt, stop and
    // allowed ids; mismatched workspace.
    @Test
    void invalidLogitsAreRejectedWithTheirIndex() {
        Sampler s = Sampler.create(SamplingParams.builder().seed(1).build(), 4);
        assertThatThrownBy(() -> s.next(new float[] {0f, Float.NaN, 0f, 0f}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("logits must be finite or -inf, but logits[1] is: NaN");
        assertThatThrownBy(() -> s.next(new float[] {0f, 0f, Float.POSITIVE_INFINITY, 0f}))
                .hasMessage("logits must be finite or -inf, but logits[2] is: Infinity");
        assertThatThrownBy(() -> s.next(new float[3]))
                .hasMessage("logits length must be the vocabulary size 4, but is: 3");
        float[] masked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        assertThatThrownBy(() -> s.next(masked)).hasMessageContaining("all 4 are -inf");
        assertThat(s.generated()).isZero();
    }

    @Test
    void outOfVocabularyIdsAreRejected() {
        assertThatThrownBy(() -> Sampler.builder(SamplingParams.defaults(), 4).prompt(4).build())
                .hasMessage("prompt token ids must be in [0, 3], but one is: 4");
        assertThatThrownBy(() -> Sampler.create(SamplingParams.builder().stopTokenIds(List.of(9)).build(), 4))
                .hasMessage("stop and EOS token ids must be in [0, 3], but one is: 9");
        assertThatThrownBy(() -> Sampler.create(SamplingParams.builder().allowedTokenIds(List.of(5)).build(), 4))
                .hasMessage("allowed_token_ids token ids must be in [0, 3], but one is: 5");
        assertThatThrownBy(() -> Sampler.builder(SamplingParams.defaults(), 4).workspace(new SamplingWorkspace(5)).build())
                .hasMessage("workspace vocabulary size must be 4, but is: 5");
    }

    @Test
    void callerLogitsAreNeverWritten() {
        float[] logits = {2f, 1f, 0.5f, 0.2f};
        SamplingParams p = SamplingParams.builder().seed(2).repetitionPenalty(2).logitBias(java.util.Map.of(1, 3.0))
                .xtcProbability(1).xtcThreshold(0.1).temperature(0.5).topK(3).build();
        Sampler s = Sampler.builder(p, 4).prompt(0, 1).build();
        s.next(logits);
        s.distribution(logits);
        assertThat(logits).containsExactly(2f, 1f, 0.5f, 0.2f);
    }

    @Test
    void sampleReportsRawAndProcessedLogprobsRankAndAlternatives() {
        SamplingParams p = SamplingParams.builder().seed(5).temperature(0.5).topK(2).logprobs(3).build();
        Sampler s = Sampler.create(p, 4);
        TokenSample t = s.sample(SEED_LOGITS);
        double[] raw = ReferenceSampler.softmax(new double[] {2, 1, 0.5, 0.2});
        assertThat(t.token()).isIn(0, 1);
        assertThat(t.logprob()).isCloseTo(Math.log(raw[t.token()]), within(1e-6));
        // Processed: T = 0.5 then top-2 leaves e^4 and e^2.
        double p0 = Math.exp(4) / (Math.exp(4) + Math.exp(2));
        assertThat(t.processedLogprob()).isCloseTo(Math.log(t.token() == 0 ? p0 : 1 - p0), within(1e-6));
        assertThat(t.rank()).isEqualTo(t.token() + 1);
        assertThat(t.topLogprobs()).extracting(TokenLogprob::token).containsExactly(0, 1, 2);
        assertThat(t.topLogprobs().get(2).logprob()).isCloseTo(Math.log(raw[2]), within(1e-6));
        assertThat(t.finishReason()).isNull();
    }

    @Test
    void withoutLogprobsTheRawLogprobIsNaN() {
        TokenSample t = Sampler.create(SamplingParams.builder().seed(5).build(), 4).sample(SEED_LOGITS);
        assertThat(t.logprob()).isNaN();
        assertThat(t.topLogprobs()).isEmpty();
    }

    @Test
    void greedyTakesTheArgmaxAndIsOneHot() {
        Sampler s = Sampler.create(SamplingParams.greedy(), 4);
        assertThat(s.distribution(SEED_LOGITS)).containsExactly(1, 0, 0, 0);
        assertThat(s.next(new float[] {1f, 3f, 3f, 0f})).as("first of tied maxima").isEqualTo(1);
    }

    @Test
    void xtcRemovesTopChoicesExceptTheLeastLikelyAboveThreshold() {
        // 0.4 and 0.3 are above 0.25: 0.4 goes, 0.3 stays; 0.3, 0.2, 0.1 renormalised by 0.6.
        SamplingParams p = SamplingParams.builder().seed(1).xtcProbability(1).xtcThreshold(0.25).build();
        assertThat(Sampler.create(p, 4).distribution(logsOf(0.4, 0.3, 0.2, 0.1)))
                .containsExactly(new double[] {0, 0.5, 1 / 3.0, 1 / 6.0}, within(1e-6));
    }

    @Test
    void typicalKeepsTokensClosestToTheEntropy() {
        // p = 0.5, 0.25, 0.125, 0.125: H = 1.2130 nats; surprises 0.693, 1.386, 2.079, 2.079;
        // distances 0.520, 0.173, 0.866, 0.866: order 1, 0, 2, 3. typical_p 0.7: before token 0 is
        // 0.25 < 0.7 (kept), before token 2 is 0.75 (dropped).
        SamplingParams p = SamplingParams.builder().seed(1).typicalP(0.7).build();
        assertThat(Sampler.create(p, 4).distribution(logsOf(0.5, 0.25, 0.125, 0.125)))
                .containsExactly(new double[] {2 / 3.0, 1 / 3.0, 0, 0}, within(1e-6));
    }

    @Test
    void dryPenalisesTheTokenThatWouldRepeatASequence() {
        // History 1 2 3 4 1 2 3: the suffix "1 2 3" occurred before, followed by 4. Repeat length 3,
        // allowed 2: penalty 0.8 * 1.75^(3-2) = 1.4 on token 4 only.
        SamplingParams p = SamplingParams.builder().seed(1).dryMultiplier(0.8).dryBase(1.75).dryAllowedLength(2).build();
        float[] logits = new float[5];
        double[] d = Sampler.builder(p, 5).prompt(1, 2, 3, 4, 1, 2, 3).build().distribution(logits);
        double z = 4 + Math.exp(-1.4);
        assertThat(d).containsExactly(new double[] {1 / z, 1 / z, 1 / z, 1 / z, Math.exp(-1.4) / z}, within(1e-6));
    }

    @Test
    void drySequenceBreakerStopsTheMatch() {
        SamplingParams p = SamplingParams.builder().seed(1).dryMultiplier(0.8).dryAllowedLength(2)
                .drySequenceBreakers(List.of(List.of(2))).build();
        // The most recent breaker (token 2) leaves one token after it: no repeat can reach length 2.
        double[] d = Sampler.builder(p, 5).prompt(1, 2, 3, 4, 1, 2, 3).build().distribution(new float[5]);
        assertThat(d).containsExactly(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, within(1e-9));
    }

    @Test
    void mirostatV2AdaptsMuFromTheObservedSurprise() {
        // tau 0.5 -> mu starts at 1: only token 0 (surprise 1 bit) is kept; it is drawn with
        // probability 1 (surprise 0), so mu = 1 - 1 * (0 - 0.5) = 1.5, then 2.0: token 1 (2 bits) joins.
        SamplingParams p = SamplingParams.builder().seed(3).mirostat(2).mirostatTau(0.5).mirostatEta(1).build();
        Sampler s = Sampler.create(p, 4);
        float[] logits = logsOf(0.5, 0.25, 0.125, 0.125);
        assertThat(s.distribution(logits)).containsExactly(1, 0, 0, 0);
        assertThat(s.next(logits)).isZero();
        assertThat(s.next(logits)).isZero();
        assertThat(s.distribution(logits)).containsExactly(new double[] {2 / 3.0, 1 / 3.0, 0, 0}, within(1e-6));
    }

    @Test
    void mirostatV1KeepsTheEstimatedTopK() {
        SamplingParams p = SamplingParams.builder().seed(3).mirostat(1).mirostatTau(3).mirostatEta(0.1).build();
        Sampler s = Sampler.create(p, 200);
        float[] logits = new float[200];
        for (int i = 0; i < 200; i++) {
            logits[i] = (float) Math.log(1.0 / (i + 1));  // Zipf with s = 1.
        }
        double[] d = s.distribution(logits);
        long kept = java.util.Arrays.stream(d).filter(v -> v > 0).count();
        // s_hat = 1 exactly for a Zipf law, so eps_hat = 0 and k = (eps * 2^mu / (1 - V^-eps))^(1/s)
        // tends to 2^mu / ln V = 64 / 5.3 = 12.1: 12 tokens survive.
        assertThat(kept).isEqualTo(12);
        assertThat(d[0]).isGreaterThan(d[11]);
    }

    @Test
    void chainDescriptionFollowsTheOrder() {
        SamplingParams p = SamplingParams.builder().temperature(0.7).topP(0.9).minP(0.1).order(ProcessorOrder.LLAMA_CPP).build();
        assertThat(Sampler.create(p, 4).chainDescription())
                .containsExactly("top_p(0.9)", "min_p(0.1)", "temperature(0.7)", "sample");
    }

    private static int[] draw(Sampler s, int n) {
        float[] logits = {1f, 0.8f, 0.5f, 0.1f};
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.next(logits);
        }
        return out;
    }
}
