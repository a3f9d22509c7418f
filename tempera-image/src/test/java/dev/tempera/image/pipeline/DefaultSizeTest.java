package dev.tempera.image.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diffusers' default size: unet sample_size × 8. Bad inputs tried: no config, no / zero / textual sample_size. */
class DefaultSizeTest {

    @TempDir
    Path dir;

    private Path withUnetConfig(String json) throws IOException {
        Files.createDirectories(dir.resolve("unet"));
        Files.writeString(dir.resolve("unet/config.json"), json);
        return dir;
    }

    @Test
    void aNumberIsTheLatentSideAndAPairIsHeightThenWidth() throws IOException {
        assertThat(DefaultSize.of(withUnetConfig("{\"sample_size\": 64}"))).containsExactly(512, 512);
        assertThat(DefaultSize.of(withUnetConfig("{\"sample_size\": 128}"))).containsExactly(1024, 1024);
        assertThat(DefaultSize.of(withUnetConfig("{\"sample_size\": [96, 64]}"))).containsExactly(512, 768);
    }

    @Test
    void theBundledShapesModelsMake64x64() {
        for (String model : new String[] {"shapes-sd", "shapes-sdxl"}) {
            Path folder = Path.of("..", "models", model);
            assertThat(DefaultSize.of(folder)).as(model).containsExactly(64, 64);
        }
    }

    @Test
    void aMissingOrUnusableSampleSizeIsNamed() throws IOException {
        assertThatThrownBy(() -> DefaultSize.of(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unet").hasMessageContaining("config.json").hasMessageContaining("give the size");
        assertThatThrownBy(() -> DefaultSize.of(withUnetConfig("{\"in_channels\": 4}")))
                .hasMessageContaining("has no sample_size").hasMessageContaining("but nothing");
        assertThatThrownBy(() -> DefaultSize.of(withUnetConfig("{\"sample_size\": \"64\"}")))
                .hasMessageContaining("has no sample_size").hasMessageContaining("\"64\"");
        assertThatThrownBy(() -> DefaultSize.of(withUnetConfig("{\"sample_size\": 0}")))
                .hasMessageContaining("must be positive").hasMessageContaining("0");
    }
}
