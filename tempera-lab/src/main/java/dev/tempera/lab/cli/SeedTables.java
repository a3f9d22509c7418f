package dev.tempera.lab.cli;

import dev.tempera.sampling.Distributions;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed document's two printed tables, computed with the seed's own functions
 * ({@link Distributions#applyTemperature}, {@link Distributions#topP}) in float32 as PyTorch does,
 * one line per {@code print} of the seed's code.
 */
final class SeedTables {

    private SeedTables() {}

    /**
     * Part 1: {@code print("原始概率:", softmax(logits))}, then per temperature
     * {@code print(f"温度 {temp} 后的概率: ...")}. A temperature of 0 (greedy for the sampler) is
     * shown as the seed's error, since its {@code apply_temperature} raises for it.
     */
    static List<String> temperature(float[] logits, List<Double> temperatures, Lang lang) {
        List<String> lines = new ArrayList<>();
        lines.add(lang.original() + " " + Fmt.vector(Distributions.softmax(logits)));
        for (double t : temperatures) {
            String row;
            try {
                row = Fmt.vector(Distributions.applyTemperature(logits, t));
            } catch (IllegalArgumentException e) {
                row = "ValueError: 温度参数必须大于 0 (the seed's apply_temperature rejects T <= 0; the sampler treats "
                        + "T = 0 as greedy)";
            }
            lines.add(lang.temperature(t) + " " + row);
        }
        return lines;
    }

    /** Part 2: {@code print("原始概率:", probs)}, then per p {@code print(f"Top-P (p={p}) 后的概率: ...")}. */
    static List<String> topP(float[] probs, List<Double> ps, Lang lang) {
        List<String> lines = new ArrayList<>();
        lines.add(lang.original() + " " + Fmt.vector(probs));
        for (double p : ps) {
            lines.add(lang.topP(p) + " " + Fmt.vector(Distributions.topP(probs, p)));
        }
        return lines;
    }
}
