package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.SampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Qwen2VlImageConfigTest {

    @TempDir
    Path tmp;

    private static JsonNode json(String s) {
        try {
            return new ObjectMapper().readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Path shapesVl() {
        return SampleModels.dir("shapes-vl").resolve("preprocessor_config.json");
    }

    @Test
    void readsTheShapesVlFile() {
        Qwen2VlImageConfig c = Qwen2VlImageConfig.read(shapesVl());
        assertThat(c.minPixels()).isEqualTo(12544);
        assertThat(c.maxPixels()).isEqualTo(16384);
        assertThat(c.resample()).isEqualTo(Resample.BICUBIC);
        assertThat(c.rescaleFactor()).isEqualTo(1 / 255.0);
        assertThat(c.imageMean()).containsExactly(0.48145466, 0.4578275, 0.40821073);
        assertThat(c.imageStd()).containsExactly(0.26862954, 0.26130258, 0.27577711);
        assertThat(c.patchSize()).isEqualTo(14);
        assertThat(c.temporalPatchSize()).isEqualTo(2);
        assertThat(c.mergeSize()).isEqualTo(2);
        assertThat(c.factor()).isEqualTo(28);
        assertThat(c.patchDim()).isEqualTo(1176);
    }

    @Test
    void emptyObjectGivesTheTransformersDefaults() {
        assertThat(Qwen2VlImageConfig.parse(json("{}"))).isEqualTo(Qwen2VlImageConfig.qwen2VlDefaults());
        assertThat(Qwen2VlImageConfig.qwen2VlDefaults().minPixels()).isEqualTo(3136);
        assertThat(Qwen2VlImageConfig.qwen2VlDefaults().maxPixels()).isEqualTo(1003520);
    }

    @Test
    void sizeAloneSetsTheBudget() {
        Qwen2VlImageConfig c = Qwen2VlImageConfig.parse(json("{\"size\": {\"shortest_edge\": 1000, \"longest_edge\": 9000}}"));
        assertThat(c.minPixels()).isEqualTo(1000);
        assertThat(c.maxPixels()).isEqualTo(9000);
    }

    @Test
    void topLevelMinAndMaxPixelsWinOverSizeEachOnItsOwn() {
        // transformers' __init__: size first, then min_pixels / max_pixels override their own key only
        Qwen2VlImageConfig c = Qwen2VlImageConfig.parse(json(
                "{\"min_pixels\": 2000, \"size\": {\"shortest_edge\": 1000, \"longest_edge\": 9000}}"));
        assertThat(c.minPixels()).isEqualTo(2000);
        assertThat(c.maxPixels()).isEqualTo(9000);
        Qwen2VlImageConfig d = Qwen2VlImageConfig.parse(json(
                "{\"max_pixels\": 50000, \"size\": {\"shortest_edge\": 1000, \"longest_edge\": 9000}}"));
        assertThat(d.minPixels()).isEqualTo(1000);
        assertThat(d.maxPixels()).isEqualTo(50000);
    }

    @Test
    void legacySizeWithMinAndMaxPixelsKeysIsRead() {
        // transformers 4.45-4.48 saved size as {"min_pixels", "max_pixels"}
        Qwen2VlImageConfig c = Qwen2VlImageConfig.parse(json("{\"size\": {\"min_pixels\": 784, \"max_pixels\": 7840}}"));
        assertThat(c.minPixels()).isEqualTo(784);
        assertThat(c.maxPixels()).isEqualTo(7840);
    }

    @Test
    void pythonFloatsThatAreWholeNumbersAreAccepted() {
        assertThat(Qwen2VlImageConfig.parse(json("{\"min_pixels\": 3136.0}")).minPixels()).isEqualTo(3136);
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"min_pixels\": 3136.5}")))
                .hasMessage("min_pixels must be an integer, but is: 3136.5");
    }

    @Test
    void invalidValuesAreRefusedWithNameRangeAndValue() {
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"patch_size\": 0}")))
                .hasMessage("patchSize must be in [1, 1024], but is: 0");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"merge_size\": 65}")))
                .hasMessage("mergeSize must be in [1, 64], but is: 65");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"min_pixels\": 5000, \"max_pixels\": 4000}")))
                .hasMessageContaining("maxPixels (max_pixels / size.longest_edge) must be in [minPixels = 5000,")
                .hasMessageContaining("but is: 4000")
                .hasMessageContaining("pixel counts, not edge lengths");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"image_mean\": [0.5, 0.5]}")))
                .hasMessage("imageMean and imageStd must hold 3 values (R, G, B), but hold: 2 and 3");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"image_std\": [0.5, 0, 0.5]}")))
                .hasMessage("imageStd[1] must be finite and > 0, but is: 0.0");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"resample\": 0}")))
                .hasMessageContaining("0 nearest is not supported");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"do_resize\": \"yes\"}")))
                .hasMessage("do_resize must be true or false, but is: \"yes\"");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"rescale_factor\": -1}")))
                .hasMessage("rescaleFactor must be finite and > 0, but is: -1.0");
        assertThatThrownBy(() -> Qwen2VlImageConfig.parse(json("{\"size\": 224}")))
                .hasMessage("size must be an object {shortest_edge, longest_edge}, but is: 224");
    }

    @Test
    void aScalarMeanAppliesToAllChannels() {
        assertThat(Qwen2VlImageConfig.parse(json("{\"image_mean\": 0.5}")).imageMean()).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void missingFileAndBadJsonNameTheFile() throws IOException {
        Path missing = tmp.resolve("preprocessor_config.json");
        assertThatThrownBy(() -> Qwen2VlImageConfig.read(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"patch_size\": ");
        assertThatThrownBy(() -> Qwen2VlImageConfig.read(bad))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(bad.toString());
        Path invalid = Files.writeString(tmp.resolve("invalid.json"), "{\"patch_size\": -3}");
        assertThatThrownBy(() -> Qwen2VlImageConfig.read(invalid))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(invalid.toString())
                .hasMessageContaining("patchSize must be in [1, 1024], but is: -3");
    }

    @Test
    void arraysAreCopiedInAndOut() {
        double[] mean = {0.1, 0.2, 0.3};
        Qwen2VlImageConfig c = new Qwen2VlImageConfig(true, 10, 20, Resample.BICUBIC, true, 0.5, true, mean,
                new double[] {1, 1, 1}, true, 14, 2, 2);
        mean[0] = 9;
        c.imageMean()[1] = 9;
        assertThat(c.imageMean()).containsExactly(0.1, 0.2, 0.3);
    }
}
