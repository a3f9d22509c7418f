package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.sampling.internal.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The fast chains (bounded heaps, logit-space thresholds, binned nuclei, lazily applied temperature,
 * scalar and Vector API kernels) against {@link ReferenceSampler} (double precision, full sorts) on
 * thousands of random vocabularies and parameter sets, for each engine order.
 *
 * <p>Cases mix: vocabularies of 1 to 400 tokens (one token in 1 case of 25) and one of 20,000 (so
 * the dense binned paths run); Gaussian logits with sigma 0.1 to 10; logits drawn from a handful of
 * values (ties); all-equal logits; -inf entries (never all); temperatures from 0.02 to 80; every truncation processor with min_tokens_to_keep 1 to
 * 3; penalties over random histories. Probabilities must agree within 2e-5 for every token, so a
 * token kept by one side and dropped by the other fails unless its probability is negligible.
 * Parameters are drawn with many digits so that no cumulative mass sits exactly on a cut-off, where
 * float rounding (in the engines too) decides.
 */
class FastMatchesReferenceTest {

    @Property(tries = 1500, seed = "20261128")
    void vllmOrderMatchesReference(@ForAll long seed) {
        check(seed, ProcessorOrder.VLLM);
    }

    @Property(tries = 1500, seed = "20261129")
    void transformersOrderMatchesReference(@ForAll long seed) {
        check(seed, ProcessorOrder.TRANSFORMERS);
    }

    @Property(tries = 1500, seed = "20261130")
    void llamaCppOrderMatchesReference(@ForAll long seed) {
        check(seed, ProcessorOrder.LLAMA_CPP);
    }

    /**
     * The full-vocabulary paths (binned top-p and typical-p, heap top-k, logit-space min-p) run only
     * when the processor is the first truncation: here each runs alone on 2,000 to 30,000 tokens.
     */
    @Property(tries = 150, seed = "42")
    void fullVocabularyPathsMatchReference(@ForAll long seed) {
        Random r = new Random(seed);
        int vocab = 2000 + r.nextInt(28_000);
        float[] logits = randomLogits(r, vocab);
        ProcessorOrder order = ProcessorOrder.values()[r.nextInt(3)];
        SamplingParams.Builder b = SamplingParams.builder().order(order).seed(seed)
                .temperature(new double[] {0.3, 0.7, 1, 2}[r.nextInt(4)] * (1 + r.nextDouble() * 1e-3));
        switch (r.nextInt(5)) {
            case 0 -> b.topP(0.05 + 0.94 * r.nextDouble());
            case 1 -> b.typicalP(0.05 + 0.94 * r.nextDouble()).minTokensToKeep(1 + r.nextInt(3));
            case 2 -> b.topK(1 + r.nextInt(300));
            case 3 -> b.minP(0.001 + 0.5 * r.nextDouble());
            default -> b.epsilonCutoff(1e-5 + 1e-3 * r.nextDouble());
        }
        SamplingParams params = b.build();
        double[] expected = ReferenceSampler.distribution(params, logits, new int[0], 0, new int[0]);
        for (Kernels kernels : List.of(Kernels.scalar(), Kernels.best())) {
            double[] actual = Sampler.builder(params, vocab).workspace(new SamplingWorkspace(vocab, kernels)).build()
                    .distribution(logits);
            for (int i = 0; i < vocab; i++) {
                assertThat(actual[i]).as("token %d of %d, kernels %s, %s", i, vocab, kernels.name(), params.describe())
                        .isCloseTo(expected[i], within(2e-5));
            }
        }
    }

    static void check(long seed, ProcessorOrder order) {
        Random r = new Random(seed);
        int vocab = r.nextInt(50) == 0 ? 20_000 : r.nextInt(25) == 0 ? 1 : 1 + r.nextInt(400);
        float[] logits = randomLogits(r, vocab);
        SamplingParams params = randomParams(r, order, vocab);
        int promptLength = r.nextInt(8);
        int[] history = new int[promptLength + r.nextInt(12)];
        for (int i = 0; i < history.length; i++) {
            history[i] = r.nextInt(Math.min(vocab, 6));
        }
        int[] prompt = java.util.Arrays.copyOf(history, promptLength);
        int[] generated = java.util.Arrays.copyOfRange(history, promptLength, history.length);
        for (Kernels kernels : List.of(Kernels.scalar(), Kernels.best())) {
            Sampler sampler = Sampler.builder(params, vocab).prompt(history)
                    .workspace(new SamplingWorkspace(vocab, kernels)).build();
            // The sampler counts generated tokens from its own start, so it is given the whole history
            // as prompt; the reference is told the same.
            double[] expectedForPrompt;
            try {
                expectedForPrompt = ReferenceSampler.distribution(params, logits, history, history.length, new int[0]);
            } catch (IllegalStateException allMasked) {
                // Masks, bans and penalties removed every token: the sampler must say so, not guess.
                assertThatThrownBy(() -> sampler.distribution(logits))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("every token is masked");
                continue;
            }
            double[] actual = sampler.distribution(logits);
            for (int i = 0; i < vocab; i++) {
                assertThat(actual[i])
                        .as("token %d of %d, %s, kernels %s, params %s", i, vocab, order, kernels.name(), params.describe())
                        .isCloseTo(expectedForPrompt[i], within(2e-5));
            }
        }
        assertThat(prompt.length + generated.length).isEqualTo(history.length);
    }

    static float[] randomLogits(Random r, int vocab) {
        float[] x = new float[vocab];
        int style = r.nextInt(5);
        double sigma = new double[] {0.1, 1, 3, 10}[r.nextInt(4)];
        float[] palette = {-2f, -0.5f, 0f, 0.25f, 1f, 3f};
        for (int i = 0; i < vocab; i++) {
            x[i] = switch (style) {
                case 0, 1 -> (float) (r.nextGaussian() * sigma);
                case 2 -> palette[r.nextInt(palette.length)];
                case 3 -> 0.5f;                                             // all equal
                default -> (float) Math.round(r.nextGaussian() * sigma * 4) / 4f;
            };
        }
        if (r.nextInt(3) == 0 && vocab > 1) {
            int masked = r.nextInt(vocab);
            for (int j = 0; j < masked; j++) {
                x[r.nextInt(vocab)] = Float.NEGATIVE_INFINITY;
            }
            x[r.nextInt(vocab)] = (float) r.nextGaussian();
        }
        return x;
    }

    static SamplingParams randomParams(Random r, ProcessorOrder order, int vocab) {
        SamplingParams.Builder b = SamplingParams.builder().order(order).seed(r.nextLong() & 0xFFFFFFFFL).maxTokens(1000);
        double[] temps = {0.02, 0.3, 0.7, 1, 1.3, 3, 80};
        b.temperature(r.nextInt(12) == 0 ? 0 : temps[r.nextInt(temps.length)] * (1 + r.nextDouble() * 1e-3));
        if (r.nextBoolean()) b.topP(0.05 + 0.9 * r.nextDouble());
        if (r.nextBoolean()) b.topK(new int[] {1, 2, 3, 7, 40, 500}[r.nextInt(6)]);
        if (r.nextInt(3) == 0) b.minP(new double[] {0.01, 0.05, 0.2, 0.6}[r.nextInt(4)] * (1 + r.nextDouble() * 1e-3));
        if (r.nextInt(4) == 0) b.typicalP(0.2 + 0.75 * r.nextDouble());
        if (r.nextInt(5) == 0) b.epsilonCutoff(1e-4 + 0.01 * r.nextDouble());
        if (r.nextInt(5) == 0) b.etaCutoff(1e-4 + 0.01 * r.nextDouble());
        if (r.nextInt(5) == 0) b.topNSigma(0.5 + 2 * r.nextDouble());
        if (r.nextInt(5) == 0) b.xtcProbability(0.3 + 0.7 * r.nextDouble()).xtcThreshold(0.05 + 0.4 * r.nextDouble());
        if (r.nextInt(6) == 0) b.dynatempRange(0.1 + r.nextDouble()).dynatempExponent(0.5 + r.nextDouble());
        if (r.nextInt(3) == 0) b.minTokensToKeep(1 + r.nextInt(3));
        if (r.nextInt(3) == 0) {
            b.repetitionPenalty(1 + r.nextDouble()).frequencyPenalty(r.nextDouble()).presencePenalty(r.nextDouble() - 0.5);
            b.penaltyLastN(new int[] {-1, 3, 64}[r.nextInt(3)]);
        }
        if (r.nextInt(6) == 0) {
            List<Integer> allowed = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(Math.min(vocab, 10)); i++) allowed.add(r.nextInt(vocab));
            b.allowedTokenIds(allowed);
        }
        if (r.nextInt(6) == 0) b.logitBias(java.util.Map.of(r.nextInt(vocab), r.nextGaussian() * 5));
        if (r.nextInt(6) == 0) b.noRepeatNgramSize(1 + r.nextInt(3));
        if (r.nextInt(6) == 0) b.badWords(List.of(List.of(r.nextInt(vocab)), List.of(r.nextInt(vocab), r.nextInt(vocab))));
        return b.build();
    }
}
