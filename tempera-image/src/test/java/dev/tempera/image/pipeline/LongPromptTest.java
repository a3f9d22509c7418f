package dev.tempera.image.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempera.runtime.onnx.SessionSettings;
import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A prompt longer than CLIP's 77 tokens, as diffusers treats it: the pipeline warns (transformers' wording, naming
 * the cut part) and encodes the first 77 tokens, so whatever comes after them changes nothing in the image.
 */
class LongPromptTest {

    static final String LONG = "a large red circle on the left of a blue background, ".repeat(12);

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void aPromptPastSeventySevenTokensIsTruncatedWithAWarning() throws URISyntaxException {
        Path dir = Path.of(LongPromptTest.class.getResource("/tiny-sd/model_index.json").toURI()).getParent();
        List<String> warnings = new ArrayList<>();
        try (StableDiffusion sd = StableDiffusion.open(dir, SessionSettings.defaults().withIntraOpThreads(1))
                .onWarning(warnings::add)) {
            ImageRequest request = ImageRequest.of(LONG).withSize(32, 32).withSteps(4).withSeeds(List.of(3L));
            BufferedImage cut = sd.generate(request, StepListener.NONE).get(0).image();
            assertThat(warnings).singleElement().asString()
                    .contains("truncated because CLIP can only handle sequences up to 77 tokens");

            BufferedImage longer = sd.generate(ImageRequest.of(LONG + " and a green star").withSize(32, 32).withSteps(4)
                    .withSeeds(List.of(3L)), StepListener.NONE).get(0).image();
            assertThat(pixels(longer)).isEqualTo(pixels(cut));

            BufferedImage other = sd.generate(ImageRequest.of("a green star").withSize(32, 32).withSteps(4)
                    .withSeeds(List.of(3L)), StepListener.NONE).get(0).image();
            assertThat(pixels(other)).as("the prompt matters at all").isNotEqualTo(pixels(cut));
            assertThat(warnings).hasSize(2);
        }
    }
}
