package dev.tempera.image.pipeline;

import java.util.Objects;
import java.util.Optional;

/**
 * The SDXL-only inputs of diffusers' {@code StableDiffusionXLPipeline.__call__}.
 *
 * @param prompt2 the prompt for {@code tokenizer_2} / {@code text_encoder_2}; empty = the prompt (diffusers' default)
 * @param negativePrompt2 likewise for the negative prompt
 * @param originalSize (height, width) for the size conditioning; empty = the image size
 * @param cropsCoordsTopLeft (top, left) crop conditioning; (0, 0) by default
 * @param targetSize (height, width); empty = the image size
 */
public record SdxlOptions(Optional<String> prompt2, Optional<String> negativePrompt2, Optional<int[]> originalSize,
                          int[] cropsCoordsTopLeft, Optional<int[]> targetSize) {

    public SdxlOptions {
        Objects.requireNonNull(prompt2, "prompt2");
        Objects.requireNonNull(negativePrompt2, "negativePrompt2");
        Objects.requireNonNull(originalSize, "originalSize");
        Objects.requireNonNull(targetSize, "targetSize");
        check("originalSize", originalSize.orElse(new int[] {1, 1}), 1);
        check("cropsCoordsTopLeft", cropsCoordsTopLeft, 0);
        check("targetSize", targetSize.orElse(new int[] {1, 1}), 1);
        cropsCoordsTopLeft = cropsCoordsTopLeft.clone();
    }

    private static void check(String name, int[] pair, int min) {
        if (pair == null || pair.length != 2 || pair[0] < min || pair[1] < min) {
            throw new IllegalArgumentException(name + " must be two numbers >= " + min + ", but is: "
                    + (pair == null ? "null" : java.util.Arrays.toString(pair)));
        }
    }

    /** diffusers' defaults: the same prompts for both encoders, size conditioning = the image size, no crop. */
    public static SdxlOptions defaults() {
        return new SdxlOptions(Optional.empty(), Optional.empty(), Optional.empty(), new int[] {0, 0},
                Optional.empty());
    }

    /** The six time ids (original h, w, crop top, left, target h, w) for an image of {@code width x height}. */
    float[] timeIds(int width, int height) {
        int[] o = originalSize.orElse(new int[] {height, width});
        int[] t = targetSize.orElse(new int[] {height, width});
        return new float[] {o[0], o[1], cropsCoordsTopLeft[0], cropsCoordsTopLeft[1], t[0], t[1]};
    }

    public SdxlOptions withOriginalSize(int h, int w) {
        return new SdxlOptions(prompt2, negativePrompt2, Optional.of(new int[] {h, w}), cropsCoordsTopLeft, targetSize);
    }

    public SdxlOptions withCrop(int top, int left) {
        return new SdxlOptions(prompt2, negativePrompt2, originalSize, new int[] {top, left}, targetSize);
    }

    public SdxlOptions withTargetSize(int h, int w) {
        return new SdxlOptions(prompt2, negativePrompt2, originalSize, cropsCoordsTopLeft, Optional.of(new int[] {h, w}));
    }
}
