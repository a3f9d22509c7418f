package dev.tempera.runtime.image;

/**
 * The preprocessed images of one prompt, in whatever form a vision-language model family takes them (Qwen2-VL:
 * {@link Qwen2VlVision}, patches and grids). Engines know their own type; callers only count images.
 */
public interface VisionInput {

    /** The number of images. */
    int numImages();
}
