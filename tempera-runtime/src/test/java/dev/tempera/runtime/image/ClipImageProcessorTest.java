package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.SampleModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipImageProcessorTest {

    private static final ClipImageProcessor SHAPES = ClipImageProcessor.load(SampleModels.dir("shapes-clip"));

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void readsTheShapesClipConfig() {
        ClipImageProcessorConfig c = SHAPES.config();
        assertThat(c.shortestEdge()).isEqualTo(64);
        assertThat(c.resample()).isEqualTo(Resample.BICUBIC);
        assertThat(c.cropHeight()).isEqualTo(64);
        assertThat(c.cropWidth()).isEqualTo(64);
        assertThat(c.rescaleFactor()).isEqualTo(1 / 255.0);
        assertThat(c.imageMean()).containsExactly(ClipImageProcessorConfig.OPENAI_CLIP_MEAN);
    }

    @Test
    void rescalesAndNormalisesLikeNumpyFloat32() {
        // Expected values from numpy: (np.float64(v) * (1/255)).astype(float32), then (x - float32(mean)) / float32(std)
        // in float32, i.e. transformers' rescale() and normalize(): R=220 → 1.4193912744522095, G=30 → -1.3018640279769897,
        // B=0 → -1.480219841003418.
        ImageTensor t = SHAPES.preprocess(solid(64, 64, 0xDC1E00));
        assertThat(t.shape()).containsExactly(1, 3, 64, 64);
        assertThat(t.get(0, 0, 10, 20)).isEqualTo(1.4193912744522095f);
        assertThat(t.get(0, 1, 63, 0)).isEqualTo(-1.3018640279769897f);
        assertThat(t.get(0, 2, 0, 63)).isEqualTo(-1.480219841003418f);
    }

    @Test
    void resizesTheShortestEdgeThenCropsTheCentre() {
        // 128 wide x 96 high → shortest edge 64: height 64, width int(64 * 128 / 96) = int(85.33) = 85; crop left
        // = (85 - 64) // 2 = 10. A vertical stripe at source x = 64..65 lands near x = 42.5 of 85, i.e. 32.5 of the crop.
        BufferedImage img = solid(128, 96, 0x000000);
        for (int y = 0; y < 96; y++) {
            img.setRGB(64, y, 0xFFFFFF);
            img.setRGB(65, y, 0xFFFFFF);
        }
        assertThat(SHAPES.resizedSize(128, 96)).containsExactly(64, 85);
        assertThat(SHAPES.resizedSize(96, 128)).containsExactly(85, 64);
        RgbPixels out = SHAPES.resizeAndCrop(RgbPixels.of(img));
        assertThat(out.width()).isEqualTo(64);
        assertThat(out.height()).isEqualTo(64);
        int brightest = 0;
        for (int x = 1; x < 64; x++) {
            if ((out.pixel(x, 30) & 0xFF) > (out.pixel(brightest, 30) & 0xFF)) {
                brightest = x;
            }
        }
        assertThat(brightest).isBetween(32, 33);
        // the same geometry straight from the resize + crop functions
        int[] resized = PilResize.resize(RgbPixels.of(img).rgb(), 128, 96, 85, 64, Resample.BICUBIC);
        assertThat(out.pixel(0, 5)).isEqualTo(resized[5 * 85 + 10]);
        assertThat(out.pixel(63, 60)).isEqualTo(resized[60 * 85 + 73]);
    }

    @Test
    void imagesAtTheTargetSizeAreNotResampled() {
        BufferedImage img = solid(64, 64, 0x123456);
        img.setRGB(3, 4, 0xFEDCBA);
        assertThat(SHAPES.resizeAndCrop(RgbPixels.of(img))).isEqualTo(RgbPixels.of(img));
    }

    @Test
    void centreCropPadsSmallImagesWithZerosLikeTransformers() {
        // 3x3 into 4x4: top = (3 - 4) // 2 = -1 and the pad is ceil(1 / 2) = 1, so the image sits at rows/cols 1..3.
        int[] px = new int[9];
        for (int i = 0; i < 9; i++) {
            px[i] = i + 1;
        }
        RgbPixels out = ClipImageProcessor.centerCrop(new RgbPixels(3, 3, px), 4, 4);
        assertThat(out.rgb()).containsExactly(
                0, 0, 0, 0,
                0, 1, 2, 3,
                0, 4, 5, 6,
                0, 7, 8, 9);
        // 5 wide into 2: left = (5 - 2) // 2 = 1
        RgbPixels row = ClipImageProcessor.centerCrop(new RgbPixels(5, 1, new int[] {1, 2, 3, 4, 5}), 1, 2);
        assertThat(row.rgb()).containsExactly(2, 3);
    }

    @Test
    void greyAndAlphaConvertAsPilDoes() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 7);
        // PIL "L" → "RGB" replicates the value; Java's getRGB would gamma-convert it
        assertThat(RgbPixels.of(grey).rgb()).containsExactly(0x646464, 0x070707);
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x000A141E);
        // fully transparent, colour kept: convert("RGB") drops alpha without compositing
        assertThat(RgbPixels.of(argb).rgb()).containsExactly(0x0A141E);
    }

    @Test
    void batchesStackInOrder() {
        ImageTensor t = SHAPES.preprocess(List.of(solid(64, 64, 0xFF0000), solid(64, 64, 0x0000FF)));
        assertThat(t.shape()).containsExactly(2, 3, 64, 64);
        assertThat(t.get(0, 0, 0, 0)).isGreaterThan(1.9f);
        assertThat(t.get(1, 0, 0, 0)).isLessThan(-1.7f);
        assertThat(t.get(1, 2, 5, 5)).isGreaterThan(2.0f);
    }

    @Test
    void oldStyleConfigWithBareNumbers(@TempDir Path dir) throws IOException {
        // openai/clip-vit-base-patch32 writes "size": 224 and "crop_size": 224
        Path f = dir.resolve("preprocessor_config.json");
        Files.writeString(f, "{\"size\": 224, \"crop_size\": 224, \"resample\": 3}");
        ClipImageProcessorConfig c = ClipImageProcessor.load(dir).config();
        assertThat(c.shortestEdge()).isEqualTo(224);
        assertThat(c.cropHeight()).isEqualTo(224);
        assertThat(c.cropWidth()).isEqualTo(224);
        assertThat(c).isEqualTo(ClipImageProcessorConfig.clipDefaults());
    }

    @Test
    void badInputs(@TempDir Path dir) throws IOException {
        // Tried: a missing config, invalid JSON, resample 0, a zero std, a zero crop, an empty batch, a null image,
        // images of different sizes without a crop.
        assertThatThrownBy(() -> ClipImageProcessor.load(dir.resolve("nope.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be an existing file")
                .hasMessageContaining("nope.json");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{not json");
        assertThatThrownBy(() -> ClipImageProcessor.load(bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad.json");
        Files.writeString(bad, "{\"resample\": 0}");
        assertThatThrownBy(() -> ClipImageProcessor.load(bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("resample must be one of").hasMessageEndingWith("but is: 0");
        Files.writeString(bad, "{\"image_std\": [0.2, 0, 0.2]}");
        assertThatThrownBy(() -> ClipImageProcessor.load(bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("imageStd[1] must be finite and > 0, but is: 0.0");
        Files.writeString(bad, "{\"crop_size\": 0}");
        assertThatThrownBy(() -> ClipImageProcessor.load(bad)).hasMessageContaining("cropHeight must be in [1, 16384], but is: 0");
        assertThatThrownBy(() -> SHAPES.preprocess(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 image, but holds: 0");
        assertThatThrownBy(() -> SHAPES.preprocess(java.util.Arrays.asList(solid(2, 2, 0), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[1] must be an image, but is: null");
        ClipImageProcessor noCrop = new ClipImageProcessor(new ClipImageProcessorConfig(true, 64, 0, 0, Resample.BICUBIC,
                false, 64, 64, true, 1 / 255.0, true, ClipImageProcessorConfig.OPENAI_CLIP_MEAN,
                ClipImageProcessorConfig.OPENAI_CLIP_STD));
        assertThatThrownBy(() -> noCrop.preprocess(List.of(solid(64, 64, 0), solid(128, 64, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[1] is: 128x64");
    }
}
