package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Hand-built cases where vLLM, transformers and llama.cpp keep different tokens on the same logits.
 * Logits are logs of round probabilities so each expected value can be checked by hand.
 */
class EngineOrderTest {

    private static float[] logsOf(double... probs) {
        float[] x = new float[probs.length];
        for (int i = 0; i < probs.length; i++) {
            x[i] = (float) Math.log(probs[i]);
        }
        return x;
    }

    private static double[] distribution(SamplingParams.Builder b, ProcessorOrder order, float[] logits) {
        return Sampler.create(b.order(order).seed(1).build(), logits.length).distribution(logits);
    }

    @Test
    void temperatureFirstOrLastChangesTheNucleus() {
        // p = 0.5, 0.3, 0.15, 0.05; T = 0.5 squares them: 0.25, 0.09, 0.0225, 0.0025 (sum 0.365).
        float[] logits = logsOf(0.5, 0.3, 0.15, 0.05);
        SamplingParams.Builder b = SamplingParams.builder().temperature(0.5).topP(0.85);
        // vLLM: T first -> 0.685, 0.247, 0.062, 0.007; the mass before token 2 is 0.932 >= 0.85, so
        // {0, 1} stay: 0.25/0.34, 0.09/0.34.
        assertThat(distribution(b, ProcessorOrder.VLLM, logits))
                .containsExactly(new double[] {0.735294, 0.264706, 0, 0}, within(1e-6));
        // llama.cpp: top-p on T = 1; before token 2 is 0.8 < 0.85 so {0, 1, 2} stay, then T:
        // 0.25, 0.09, 0.0225 over 0.3625.
        assertThat(distribution(b, ProcessorOrder.LLAMA_CPP, logits))
                .containsExactly(new double[] {0.689655, 0.248276, 0.062069, 0}, within(1e-6));
    }

    @Test
    void minPBeforeOrAfterTopPChangesTheNucleus() {
        // p = 0.4, 0.3, 0.2, 0.1, min_p = 0.3 (cut 0.12), top_p = 0.75.
        float[] logits = logsOf(0.4, 0.3, 0.2, 0.1);
        SamplingParams.Builder b = SamplingParams.builder().minP(0.3).topP(0.75);
        // vLLM: min-p first drops 0.1; renormalised 0.444, 0.333, 0.222; before token 2 is 0.778 >= 0.75.
        assertThat(distribution(b, ProcessorOrder.VLLM, logits))
                .containsExactly(new double[] {0.571429, 0.428571, 0, 0}, within(1e-6));
        // transformers: top-p first on 0.4, 0.3, 0.2, 0.1: before token 2 is 0.7 < 0.75, kept; then
        // min-p keeps 0.2 (ratio 0.5 >= 0.3).
        assertThat(distribution(b, ProcessorOrder.TRANSFORMERS, logits))
                .containsExactly(new double[] {0.444444, 0.333333, 0.222222, 0}, within(1e-6));
        assertThat(distribution(b, ProcessorOrder.LLAMA_CPP, logits))
                .containsExactly(new double[] {0.444444, 0.333333, 0.222222, 0}, within(1e-6));
    }

    @Test
    void tiesAtTheTopKBoundary() {
        // Logits 3, 2, 2, 1 with top_k 2: vLLM and transformers keep both tokens tied at the k-th value.
        float[] logits = {3f, 2f, 2f, 1f};
        SamplingParams.Builder b = SamplingParams.builder().topK(2);
        double e = Math.E;
        double[] ties = {e / (e + 2), 1 / (e + 2), 1 / (e + 2), 0};
        assertThat(distribution(b, ProcessorOrder.VLLM, logits)).containsExactly(ties, within(1e-6));
        assertThat(distribution(b, ProcessorOrder.TRANSFORMERS, logits)).containsExactly(ties, within(1e-6));
        // llama.cpp keeps exactly k; Tempera breaks the tie by the lower id.
        assertThat(distribution(b, ProcessorOrder.LLAMA_CPP, logits))
                .containsExactly(new double[] {e / (e + 1), 1 / (e + 1), 0, 0}, within(1e-6));
    }

    @Test
    void seedTopPExampleKeepsWhatTheEnginesKeep() {
        // probs 0.4, 0.3, 0.2, 0.1 as float32 logits. The mass before 0.2 is exactly 0.7: vLLM and
        // transformers (float32 cumsum 0.3f <= 1 - 0.7f) and llama.cpp (0.4f + 0.3f = 0.70000005 >= 0.7)
        // all drop it, as the seed's own function does. At p = 0.9 they drop only 0.1.
        float[] logits = logsOf(0.4, 0.3, 0.2, 0.1);
        for (ProcessorOrder order : ProcessorOrder.values()) {
            assertThat(distribution(SamplingParams.builder().topP(0.7), order, logits))
                    .containsExactly(new double[] {4 / 7.0, 3 / 7.0, 0, 0}, within(1e-6));
            assertThat(distribution(SamplingParams.builder().topP(0.9), order, logits))
                    .containsExactly(new double[] {4 / 9.0, 3 / 9.0, 2 / 9.0, 0}, within(1e-6));
        }
    }

    @Test
    void transformersRaisesTopKToMinTokensToKeep() {
        float[] logits = {3f, 2f, 1f, 0f};
        SamplingParams.Builder b = SamplingParams.builder().topK(1).minTokensToKeep(2);
        assertThat(nonZero(distribution(b, ProcessorOrder.TRANSFORMERS, logits))).isEqualTo(2);
        assertThat(nonZero(distribution(b, ProcessorOrder.VLLM, logits))).isEqualTo(1);
    }

    @Test
    void frequencyPenaltyCountsPromptTokensOnlyInLlamaCpp() {
        // Token 0 appears twice in the prompt and never in the output.
        float[] logits = {1f, 1f};
        SamplingParams.Builder b = SamplingParams.builder().frequencyPenalty(0.5);
        Sampler vllm = Sampler.builder(b.order(ProcessorOrder.VLLM).seed(1).build(), 2).prompt(0, 0).build();
        Sampler llama = Sampler.builder(b.order(ProcessorOrder.LLAMA_CPP).seed(1).build(), 2).prompt(0, 0).build();
        // vLLM counts output tokens only: no change, 0.5 / 0.5.
        assertThat(vllm.distribution(logits)).containsExactly(new double[] {0.5, 0.5}, within(1e-9));
        // llama.cpp counts its window: logit 1 - 2 * 0.5 = 0 against 1.
        double p0 = 1 / (1 + Math.E);
        assertThat(llama.distribution(logits)).containsExactly(new double[] {p0, 1 - p0}, within(1e-6));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        float[] logits = {2f, -2f, 0f};
        SamplingParams p = SamplingParams.builder().repetitionPenalty(2).seed(3).build();
        Sampler s = Sampler.builder(p, 3).prompt(0, 1).build();
        // 2 -> 1, -2 -> -4, 0 untouched.
        double z = Math.exp(1) + Math.exp(-4) + 1;
        assertThat(s.distribution(logits))
                .containsExactly(new double[] {Math.exp(1) / z, Math.exp(-4) / z, 1 / z}, within(1e-6));
    }

    @Test
    void greedySeesPenaltiesButNotTruncation() {
        float[] logits = {2f, 1.5f, 0f};
        SamplingParams greedyPenalised = SamplingParams.builder().temperature(0).repetitionPenalty(2).topK(1).build();
        Sampler s = Sampler.builder(greedyPenalised, 3).prompt(0).build();
        // Token 0 is penalised to 1 < 1.5, so greedy picks token 1.
        assertThat(s.next(logits)).isEqualTo(1);
    }

    @Test
    void llamaCppGreedyTakesTheMaxAfterXtc() {
        // p = 0.4, 0.3, 0.2, 0.1 with XTC (threshold 0.25, always on) and temperature 0: llama.cpp's
        // temp <= 0 acts after XTC removed token 0, so greedy gives token 1; vLLM's argmax comes first.
        float[] logits = logsOf(0.4, 0.3, 0.2, 0.1);
        SamplingParams.Builder b = SamplingParams.builder().temperature(0).xtcProbability(1).xtcThreshold(0.25);
        assertThat(Sampler.create(b.order(ProcessorOrder.LLAMA_CPP).build(), 4).next(logits)).isEqualTo(1);
        assertThat(Sampler.create(b.order(ProcessorOrder.VLLM).build(), 4).next(logits)).isZero();
    }

    private static long nonZero(double[] d) {
        return java.util.Arrays.stream(d).filter(v -> v > 0).count();
    }
}
