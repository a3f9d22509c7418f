package dev.tempera.runtime.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The weight precision of an exported ONNX graph, as the file-name suffix transformers.js and the onnx-community
 * exports use: {@code onnx/decoder_model_merged_q4f16.onnx} is the {@link #Q4F16} variant of
 * {@code decoder_model_merged}; the {@link #FP32} variant has no suffix.
 *
 * <p>{@code q8} is spelled {@code _quantized} in file names (not {@code _q8}). The dtype names are lowercase
 * ({@link #id()}); {@link #parse} accepts any case.
 */
public enum OnnxDtype {
    FP32(""),
    FP16("_fp16"),
    INT8("_int8"),
    UINT8("_uint8"),
    Q8("_quantized"),
    Q4("_q4"),
    Q4F16("_q4f16"),
    BNB4("_bnb4"),
    Q2("_q2"),
    Q2F16("_q2f16"),
    Q1("_q1"),
    Q1F16("_q1f16");

    private final String suffix;

    OnnxDtype(String suffix) {
        this.suffix = suffix;
    }

    /** The file-name suffix before {@code .onnx}. */
    public String suffix() {
        return suffix;
    }

    /** The lowercase name: {@code fp32}, {@code q4f16}... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code base + suffix + ".onnx"}, e.g. {@code model_fp16.onnx}. */
    public String fileName(String base) {
        return base + suffix + ".onnx";
    }

    /**
     * The dtype named {@code text} (any case).
     *
     * @throws IllegalArgumentException listing the known dtypes
     */
    public static OnnxDtype parse(String text) {
        if (text != null) {
            for (OnnxDtype d : values()) {
                if (d.id().equalsIgnoreCase(text.trim())) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("Unknown ONNX dtype '" + text + "'; known: "
                + Arrays.stream(values()).map(OnnxDtype::id).collect(Collectors.joining(", ", "[", "]")));
    }

    /**
     * The dtype whose file {@code fileName} (no folder) is for graph {@code base}: {@code model_q4.onnx} →
     * {@link #Q4} for base {@code model}; empty for other graphs ({@code model_merged.onnx}) and other files.
     */
    public static Optional<OnnxDtype> ofFile(String base, String fileName) {
        if (!fileName.startsWith(base) || !fileName.endsWith(".onnx") || fileName.length() < base.length() + 5) {
            return Optional.empty();
        }
        String suffix = fileName.substring(base.length(), fileName.length() - ".onnx".length());
        return Arrays.stream(values()).filter(d -> d.suffix.equals(suffix)).findFirst();
    }

    @Override
    public String toString() {
        return id();
    }
}
