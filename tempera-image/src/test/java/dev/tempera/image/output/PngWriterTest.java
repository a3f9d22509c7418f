package dev.tempera.image.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNGs carry their parameters (web-UI text and JSON, UTF-8) and are written whole or not at all. */
class PngWriterTest {

    @TempDir
    Path dir;

    static GenerationInfo info(String prompt, String negative) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("Schedule type", "leading");
        return new GenerationInfo(prompt, negative, 30, "Euler a", 7.5, 3, 64, 32, "shapes-sdxl", extra);
    }

    static BufferedImage image() {
        BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 8) << 8 | 77);
            }
        }
        return img;
    }

    @Test
    void theParametersTextHasTheWebUiForm() {
        assertThat(info("一个美丽的日落海滩，有椰子树和金色的沙滩", "模糊，失真，低质量").parameters()).isEqualTo(
                "一个美丽的日落海滩，有椰子树和金色的沙滩\n"
                        + "Negative prompt: 模糊，失真，低质量\n"
                        + "Steps: 30, Sampler: Euler a, CFG scale: 7.5, Seed: 3, Size: 64x32, Model: shapes-sdxl, "
                        + "Schedule type: leading");
        // no negative prompt: no line; a whole guidance prints without ".0"
        GenerationInfo plain = new GenerationInfo("a red circle", "", 20, "PNDM", 7.0, 0, 64, 64, "shapes-sd", Map.of());
        assertThat(plain.parameters()).isEqualTo(
                "a red circle\nSteps: 20, Sampler: PNDM, CFG scale: 7, Seed: 0, Size: 64x64, Model: shapes-sd");
    }

    @Test
    void chunksAndPixelsSurviveTheRoundTrip() throws IOException {
        Path file = dir.resolve("seed-3.png");
        GenerationInfo info = info("一个美丽的日落海滩", "模糊");
        PngWriter.write(file, image(), info);
        Map<String, String> text = PngText.read(file);
        assertThat(text).containsEntry(PngWriter.PARAMETERS_KEY, info.parameters());
        JsonNode json = new ObjectMapper().readTree(text.get(PngWriter.JSON_KEY));
        assertThat(json.get("prompt").asText()).isEqualTo("一个美丽的日落海滩");
        assertThat(json.get("guidance_scale").asDouble()).isEqualTo(7.5);
        assertThat(json.get("seed").asLong()).isEqualTo(3);
        assertThat(json.get("Schedule type").asText()).isEqualTo("leading");
        BufferedImage back = ImageIO.read(file.toFile());
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                assertThat(back.getRGB(x, y) & 0xFFFFFF).isEqualTo(image().getRGB(x, y) & 0xFFFFFF);
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("seed-3.png");
        }
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAsItWas() throws IOException {
        Path file = dir.resolve("keep.png");
        PngWriter.write(file, image(), info("first", ""));
        byte[] before = Files.readAllBytes(file);
        Path blocked = dir.resolve("blocked");
        Files.writeString(blocked, "a file where a folder should be");
        assertThatThrownBy(() -> PngWriter.write(blocked.resolve("x.png"), image(), info("second", "")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("x.png");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void badInfoIsRefused() {
        assertThatThrownBy(() -> new GenerationInfo("p", "", 0, "Euler", 7.5, 0, 64, 64, "m", Map.of()))
                .hasMessageContaining("steps must be >= 1, but is: 0");
        assertThatThrownBy(() -> new GenerationInfo("p", "", 30, "Euler", 7.5, 0, 0, 64, "m", Map.of()))
                .hasMessageContaining("0x64");
    }

    @Test
    void theContactSheetPlacesEveryImageAndEnlargesSmallOnes() {
        BufferedImage red = solid(0xFF0000);
        BufferedImage blue = solid(0x0000FF);
        BufferedImage sheet = ContactSheet.render(new BufferedImage[][] {{red, blue}, {blue, red}},
                List.of("seed 0", "seed 1"), List.of("guidance 1", "guidance 7.5"), "a red circle");
        assertThat(sheet.getWidth()).isGreaterThan(2 * ContactSheet.MIN_CELL);
        assertThat(sheet.getHeight()).isGreaterThan(2 * ContactSheet.MIN_CELL);
        // sample the centre of each cell: enlarged 2x (64 -> 128), same colours as the sources
        int left = sheet.getWidth() - 2 * (128 + 8);
        int top = sheet.getHeight() - 2 * (128 + 8);
        assertThat(sheet.getRGB(left + 64, top + 64) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(sheet.getRGB(left + 136 + 64, top + 64) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(sheet.getRGB(left + 64, top + 136 + 64) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThatThrownBy(() -> ContactSheet.render(new BufferedImage[][] {{red}}, List.of(), List.of("g"), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels must match the grid");
    }

    private static BufferedImage solid(int rgb) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}
