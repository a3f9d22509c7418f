package dev.tempera.text;

import dev.tempera.runtime.onnx.OnnxDtype;
import dev.tempera.runtime.onnx.SessionSettings;
import dev.tempera.text.vlm.Qwen2VlModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The vision-language families Tempera runs, by config.json {@code model_type}. A new family is one line here and a
 * class beside {@link Qwen2VlModel}.
 */
public final class VisionLanguageModels {

    /** Opens one family's model from a folder. */
    @FunctionalInterface
    interface Opener {
        VisionLanguageModel open(Path dir, SessionSettings settings, OnnxDtype dtype);
    }

    private static final Map<String, Opener> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("qwen2_vl", Qwen2VlModel::open);
        FAMILIES.put("qwen2_5_vl", Qwen2VlModel::open);
    }

    private VisionLanguageModels() {
    }

    /** The model types with a vision-language engine. */
    public static java.util.Set<String> modelTypes() {
        return java.util.Collections.unmodifiableSet(FAMILIES.keySet());
    }

    /**
     * Opens the vision-language model in {@code dir} when its {@code model_type} has an engine and the folder has the
     * family's vision graph; empty otherwise (the folder is then run as a text-only model).
     */
    public static Optional<VisionLanguageModel> open(Path dir, ModelConfig config, SessionSettings settings,
                                                     OnnxDtype dtype) {
        Opener opener = FAMILIES.get(config.modelType());
        if (opener == null || !hasVisionGraph(dir)) {
            return Optional.empty();
        }
        return Optional.of(opener.open(dir, settings, dtype));
    }

    private static boolean hasVisionGraph(Path dir) {
        return !dev.tempera.runtime.onnx.OnnxFiles.variants(dir, "vision_encoder").isEmpty();
    }
}
