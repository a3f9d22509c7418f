package dev.tempera.text;

import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.runtime.tokenizer.TextTokenizer;
import java.util.List;

/**
 * A language model that also reads images. Each family (Qwen2-VL / Qwen2.5-VL today; SmolVLM's tiles and Florence-2's
 * encoder-decoder would be classes beside it) owns the two steps that differ between families: how a rendered chat
 * prompt and its images become token ids and vision tensors ({@link #prepare}), and the prompt pass that merges image
 * features into the embeddings ({@link #prefill}). Decoding is the shared {@link LanguageModel#decode}.
 * {@link VisionLanguageModels} opens the right one for a model folder.
 */
public interface VisionLanguageModel extends LanguageModel {

    /**
     * Turns the chat template's output (one placeholder per image, as the family's template writes it) and the images
     * (in placeholder order) into a prompt: images preprocessed with the folder's preprocessor_config.json,
     * placeholders expanded to each image's token count, the text tokenised. A text-only prompt is allowed.
     *
     * @throws IllegalArgumentException when placeholders and images disagree in number or an image is unusable
     */
    Prompt prepare(String text, List<RgbPixels> images, TextTokenizer tokenizer);

    /**
     * Runs the prompt pass (vision encoder, embeddings, decoder) and writes the next token's logits.
     *
     * @throws IllegalArgumentException when the prompt does not fit the context or its images do not fit its tokens
     */
    DecodeState prefill(Prompt prompt, float[] logits);
}
