package dev.tempera.image.pipeline;

import dev.tempera.runtime.hub.FileSelector;
import dev.tempera.runtime.hub.ModelResolver;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which files of a Hugging Face repo an Optimum SD / SDXL export needs for text-to-image: model_index.json, the
 * scheduler, tokenizer(s), text encoder(s), UNet (with its external data) and VAE decoder — not the VAE encoder, the
 * safety checker or the feature extractor.
 */
public final class DiffusionFiles {

    private DiffusionFiles() {
    }

    /** The selector for {@link ModelResolver}: the four graphs every SD layout has are required, the rest optional. */
    public static FileSelector selector() {
        return FileSelector.files("model_index.json", "text_encoder/model.onnx", "unet/model.onnx",
                        "vae_decoder/model.onnx")
                .plus(FileSelector.globs("scheduler/*", "tokenizer/*", "tokenizer_2/*", "text_encoder/*",
                        "text_encoder_2/*", "unet/*", "vae_decoder/*"));
    }

    /** {@code model} as a local folder: an existing folder as it is, else a Hugging Face id resolved and downloaded. */
    public static Path resolve(ModelResolver resolver, String model) {
        Path p = Path.of(model);
        return Files.isDirectory(p) ? p : resolver.resolve(model, selector());
    }
}
