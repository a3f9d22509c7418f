package dev.tempera.image.pipeline;

import dev.tempera.image.output.GenerationInfo;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One generated image with how it was made.
 *
 * @param image the RGB image
 * @param seed the seed of its generator
 * @param info the parameters, ready to embed in its PNG
 */
public record GeneratedImage(BufferedImage image, long seed, GenerationInfo info) {
    public GeneratedImage {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(info, "info");
    }
}
