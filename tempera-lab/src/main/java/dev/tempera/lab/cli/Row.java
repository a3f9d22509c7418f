package dev.tempera.lab.cli;

import dev.tempera.sampling.Distributions;
import dev.tempera.sampling.ProcessorOrder;
import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One setting applied to one input: the distribution before and after the sampler's processor
 * chain ({@link Sampler#distribution}), and what it kept.
 *
 * @param label           the non-default parameters, e.g. {@code temperature=0.5, top_p=0.9}
 * @param before          the input distribution (T = 1, nothing removed)
 * @param after           the processed distribution, in token order, zeros for removed tokens
 * @param kept            tokens with a non-zero processed probability
 * @param keptMass        the mass of the kept tokens under {@code before}
 * @param entropy         entropy of {@code after}, in nats
 * @param effectiveTokens {@code exp(entropy)}
 * @param chain           the processors in the order they run
 */
record Row(String label, SamplingParams params, double[] before, double[] after, int kept, double keptMass,
           double entropy, double effectiveTokens, List<String> chain) {

    static Row of(SamplingParams params, Input input) {
        return of(params, input, false, new int[0], new int[0]);
    }

    /**
     * With {@code showOrder}, the label ends with the engine, e.g. {@code top_p=0.9 [llama.cpp]};
     * {@code prompt} and {@code generated} are the history the penalties see.
     */
    static Row of(SamplingParams params, Input input, boolean showOrder, int[] prompt, int[] generated) {
        Sampler sampler = Sampler.builder(params, input.size()).prompt(prompt).generated(generated).build();
        double[] before = input.before();
        double[] after = sampler.distribution(input.logits());
        int kept = 0;
        double mass = 0;
        for (int i = 0; i < after.length; i++) {
            if (after[i] > 0) {
                kept++;
                mass += before[i];
            }
        }
        String label = showOrder ? label(params) + " [" + params.order().id() + "]" : label(params);
        return new Row(label, params, before, after, kept, mass, Distributions.entropy(after),
                Distributions.effectiveTokens(after), sampler.chainDescription());
    }

    /** {@link SamplingParams#describe()} without the order, seed and max_tokens ({@code temperature=1}
     * when nothing else is set), which the output states once. */
    static String label(SamplingParams p) {
        String d = p.toBuilder().order(ProcessorOrder.VLLM).seed(-1).maxTokens(SamplingParams.defaults().maxTokens())
                .build().describe();
        return d.equals("defaults") ? "temperature=1" : d;
    }

    /** The parameters that differ from {@link SamplingParams#defaults()}, under their JSON names. */
    static Map<String, Object> nonDefaultParams(SamplingParams p) {
        Map<String, Object> base = SamplingParams.defaults().toMap();
        Map<String, Object> out = new LinkedHashMap<>();
        p.toMap().forEach((k, v) -> {
            if (!Objects.equals(v, base.get(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    boolean isKept(int token) {
        return after[token] > 0;
    }
}
