package dev.tempera.eval.align;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a CLIP export lays out its ONNX graphs. Both keep the tokenizer files and {@code preprocessor_config.json} at
 * the folder's root.
 */
public enum ClipLayout {
    /**
     * transformers.js / onnx-community: two towers, {@code onnx/text_model.onnx} ({@code input_ids} →
     * {@code text_embeds}) and {@code onnx/vision_model.onnx} ({@code pixel_values} → {@code image_embeds}).
     */
    TRANSFORMERS_JS("onnx/text_model.onnx", "onnx/vision_model.onnx"),
    /**
     * Optimum's {@code CLIPModel} export: one graph {@code model.onnx} (or {@code onnx/model.onnx}) taking
     * {@code input_ids}, {@code pixel_values} and {@code attention_mask} together and giving {@code text_embeds},
     * {@code image_embeds} and {@code logits_per_image}.
     */
    OPTIMUM("model.onnx", null);

    private final String textFile;
    private final String visionFile;

    ClipLayout(String textFile, String visionFile) {
        this.textFile = textFile;
        this.visionFile = visionFile;
    }

    /**
     * The layout of a model folder: the two towers when both exist (they need no dummy inputs), otherwise the joint
     * graph at {@code model.onnx} or {@code onnx/model.onnx}.
     */
    public static Optional<ClipLayout> detect(Path dir) {
        if (Files.isRegularFile(dir.resolve(TRANSFORMERS_JS.textFile))
                && Files.isRegularFile(dir.resolve(TRANSFORMERS_JS.visionFile))) {
            return Optional.of(TRANSFORMERS_JS);
        }
        if (jointModel(dir).isPresent()) {
            return Optional.of(OPTIMUM);
        }
        return Optional.empty();
    }

    /** The joint graph of the Optimum layout, at the root or under {@code onnx/}. */
    static Optional<Path> jointModel(Path dir) {
        for (Path p : new Path[] {dir.resolve("model.onnx"), dir.resolve("onnx/model.onnx")}) {
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The text tower of the transformers.js layout. */
    Path textModel(Path dir) {
        return dir.resolve(TRANSFORMERS_JS.textFile);
    }

    /** The vision tower of the transformers.js layout. */
    Path visionModel(Path dir) {
        return dir.resolve(TRANSFORMERS_JS.visionFile);
    }

    /** What {@link #detect} looks for, for error messages. */
    static String expectedFiles() {
        return "onnx/text_model.onnx + onnx/vision_model.onnx (transformers.js) or model.onnx / onnx/model.onnx (Optimum)";
    }
}
