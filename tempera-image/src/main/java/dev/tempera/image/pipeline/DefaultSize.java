package dev.tempera.image.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image size a pipeline makes when none is asked for, as diffusers computes it:
 * {@code unet.config.sample_size × vae_scale_factor} (512×512 for SD 1.5, 768 for SD 2, 1024 for SDXL, 64 for the
 * bundled shapes models). {@code sample_size} is the latent side in {@code unet/config.json}, a number or a
 * {@code [height, width]} pair; the factor is {@link ImageRequest#VAE_FACTOR}, which every SD / SDXL VAE has.
 */
public final class DefaultSize {

    private DefaultSize() {
    }

    /**
     * {@code {width, height}} in pixels for the model in {@code folder}.
     *
     * @throws IllegalArgumentException naming the file when {@code unet/config.json} is missing, unreadable or has no
     *     positive {@code sample_size}
     */
    public static int[] of(Path folder) {
        Path config = folder.resolve("unet").resolve("config.json");
        JsonNode sample;
        try {
            sample = new ObjectMapper().readTree(Files.readString(config)).path("sample_size");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + config + " for the default image size: " + e.getMessage()
                    + "; give the size explicitly", e);
        }
        int height;
        int width;
        if (sample.isInt()) {
            height = sample.asInt();
            width = height;
        } else if (sample.isArray() && sample.size() == 2 && sample.get(0).isInt() && sample.get(1).isInt()) {
            height = sample.get(0).asInt();
            width = sample.get(1).asInt();
        } else {
            throw new IllegalArgumentException(config + " has no sample_size (a number or [height, width]) for the "
                    + "default image size, but " + (sample.isMissingNode() ? "nothing" : sample.toString())
                    + "; give the size explicitly");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(config + ": sample_size must be positive for the default image size, but is "
                    + sample + "; give the size explicitly");
        }
        return new int[] {width * ImageRequest.VAE_FACTOR, height * ImageRequest.VAE_FACTOR};
    }
}
