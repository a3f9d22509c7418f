package dev.tempera.text;

import dev.tempera.runtime.image.VisionInput;
import java.util.Objects;
import java.util.Optional;

/**
 * A prompt ready for the model: the text the tokenizer saw (chat template rendered, image placeholders expanded),
 * its token ids, and the preprocessed images.
 *
 * @param text the text that was tokenised
 * @param ids its token ids
 * @param vision the preprocessed images in prompt order, in the form the model's engine takes them (Qwen2-VL:
 *     {@link dev.tempera.runtime.image.Qwen2VlVision}); empty for a text-only prompt
 */
public record Prompt(String text, int[] ids, Optional<? extends VisionInput> vision) {

    public Prompt {
        Objects.requireNonNull(text, "text");
        ids = ids.clone();
        Objects.requireNonNull(vision, "vision");
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** The number of images in the prompt. */
    public int images() {
        return vision.map(VisionInput::numImages).orElse(0);
    }
}
