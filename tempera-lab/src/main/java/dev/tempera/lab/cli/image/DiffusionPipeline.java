package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.pipeline.StableDiffusion;
import dev.tempera.image.pipeline.StableDiffusionXL;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.runtime.onnx.SessionSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * SD 1.x/2.x or SDXL behind one interface, as the folder's model_index.json says ({@code _class_name} containing
 * {@code XL}). The SDXL-only inputs ({@link SdxlOptions}) are ignored by an SD 1.x/2.x model. Not thread-safe; close
 * it to release the ONNX Runtime sessions.
 */
interface DiffusionPipeline extends AutoCloseable {

    /** One image per seed of {@code request}, as {@code StableDiffusion.generate} / {@code StableDiffusionXL.generate}. */
    List<GeneratedImage> generate(ImageRequest request, SdxlOptions xl, StepListener listener);

    /**
     * Checks, without running a graph, what {@link #generate} would refuse: clip skip, scheduler, step count.
     *
     * @throws IllegalArgumentException with the pipeline's message
     */
    void check(ImageRequest request);

    /**
     * Checks that this model can run diffusers' {@code clip_skip = n}.
     *
     * @throws IllegalArgumentException naming the allowed range and why
     */
    void checkClipSkip(int n);

    /** The model's name in the PNG parameters: the folder's name. */
    String name();

    @Override
    void close();

    /**
     * Opens {@code dir}.
     *
     * @param warn where the pipelines' warnings go (a truncated prompt, an eta the scheduler does not take)
     * @throws IllegalArgumentException naming {@code --model} when model_index.json cannot be read, or the folder
     *     lacks a part
     */
    static DiffusionPipeline open(Path dir, SessionSettings settings, Consumer<String> warn) {
        Path index = dir.resolve("model_index.json");
        String cls;
        try {
            cls = new ObjectMapper().readTree(index.toFile()).path("_class_name").asText("");
        } catch (IOException e) {
            throw new IllegalArgumentException("--model: cannot read " + index + " (" + e.getMessage()
                    + "); a diffusion model folder in Optimum's layout has one");
        }
        String name = dir.getFileName().toString();
        if (cls.contains("XL")) {
            StableDiffusionXL xl = StableDiffusionXL.open(dir, settings).onWarning(warn);
            return new DiffusionPipeline() {
                public List<GeneratedImage> generate(ImageRequest r, SdxlOptions o, StepListener l) {
                    return xl.generate(r, o, l);
                }

                public void check(ImageRequest r) {
                    xl.check(r);
                }

                public void checkClipSkip(int n) {
                    xl.checkClipSkip(n);
                }

                public String name() {
                    return name;
                }

                public void close() {
                    xl.close();
                }
            };
        }
        StableDiffusion sd = StableDiffusion.open(dir, settings).onWarning(warn);
        return new DiffusionPipeline() {
            public List<GeneratedImage> generate(ImageRequest r, SdxlOptions o, StepListener l) {
                return sd.generate(r, l);
            }

            public void check(ImageRequest r) {
                sd.check(r);
            }

            public void checkClipSkip(int n) {
                sd.checkClipSkip(n);
            }

            public String name() {
                return name;
            }

            public void close() {
                sd.close();
            }
        };
    }
}
