package dev.tempera.runtime.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much ONNX Runtime rewrites a graph before running it. {@link #ALL} (ORT's default) is fastest;
 * {@link #DISABLE} runs the graph exactly as exported, which helps when comparing against another runtime.
 */
public enum GraphOptimization {
    DISABLE(OptLevel.NO_OPT),
    BASIC(OptLevel.BASIC_OPT),
    EXTENDED(OptLevel.EXTENDED_OPT),
    ALL(OptLevel.ALL_OPT);

    private final OptLevel level;

    GraphOptimization(OptLevel level) {
        this.level = level;
    }

    OptLevel ortLevel() {
        return level;
    }

    /** {@code disable}, {@code basic}, {@code extended} or {@code all}, any case. */
    public static GraphOptimization parse(String text) {
        for (GraphOptimization g : values()) {
            if (g.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return g;
            }
        }
        throw new IllegalArgumentException("Unknown graph optimization '" + text + "'; known: "
                + Arrays.stream(values()).map(GraphOptimization::toString).collect(Collectors.joining(", ", "[", "]")));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
