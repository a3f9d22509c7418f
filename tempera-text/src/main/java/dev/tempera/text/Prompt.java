package dev.tempera.text;

import dev.tempera.runtime.image.Qwen2VlVision;
import java.util.Objects;
import java.util.Optional;

/**
 * A prompt ready for the model: the text the tokenizer saw (chat template rendered, image placeholders expanded),
 * its token ids, and the preprocessed images.
 *
 * @param text the text that was tokenised
 * @param ids its token ids
 * @param vision the images' pixel values and grids, in prompt order (empty for a text-only prompt)
 */
public record Prompt(String text, int[] ids, Optional<Qwen2VlVision> vision) {

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
        return vision.map(Qwen2VlVision::numImages).orElse(0);
    }
}
