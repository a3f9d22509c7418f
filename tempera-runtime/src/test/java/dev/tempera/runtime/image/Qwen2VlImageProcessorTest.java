package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.SampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Qwen2VlImageProcessor}: smart_resize by hand and against a table from Python, and the fast patchify
 * against a slow reference that follows the Python reshape / transpose index by index. The numeric goldens are in
 * {@link Qwen2VlGoldenTest}.
 */
class Qwen2VlImageProcessorTest {

    private static final Qwen2VlImageConfig DEFAULTS = Qwen2VlImageConfig.qwen2VlDefaults();
    private static final Qwen2VlImageProcessor SHAPES_VL = Qwen2VlImageProcessor.load(SampleModels.dir("shapes-vl"));

    private static ImageSize smart(int h, int w, long min, long max) {
        return Qwen2VlImageProcessor.smartResize(h, w, 28, min, max);
    }

    // ---------------------------------------------------------------------------------------------- smart_resize

    @Test
    void shapesImagesAreUpsizedTo112() {
        // 64/28 = 2.29 rounds to 2: 56 x 56 = 3136 < min 12544, so beta = sqrt(12544 / 4096) = 1.75 and
        // ceil(64 * 1.75 / 28) * 28 = 112
        assertThat(SHAPES_VL.resizedSize(64, 64)).isEqualTo(new ImageSize(112, 112));
        // 112 x 112 = 12544 is exactly min_pixels: kept as is
        assertThat(SHAPES_VL.resizedSize(112, 112)).isEqualTo(new ImageSize(112, 112));
    }

    @Test
    void halvesRoundToEvenAsPythonRoundDoes() {
        // 70 / 28 = 2.5 -> 2 (Python), so 56 x 56 = 3136 = min_pixels, no further change; JavaScript's Math.round
        // gives 3 (84 x 84), which is why transformers.js differs on this image
        assertThat(smart(70, 70, 3136, 1003520)).isEqualTo(new ImageSize(56, 56));
        // 42 / 28 = 1.5 -> 2 (the even neighbour is above this time), 126 / 28 = 4.5 -> 4
        assertThat(smart(42, 126, 1, 1003520)).isEqualTo(new ImageSize(56, 112));
    }

    @Test
    void largeImagesAreScaledDownIntoTheBudget() {
        // 1000 x 1500 rounds to 1008 x 1512 > 1003520; beta = sqrt(1.5e6 / 1003520) = 1.2226;
        // floor(1000 / 1.2226 / 28) = 29 -> 812, floor(1500 / 1.2226 / 28) = 43 -> 1204
        assertThat(smart(1000, 1500, 3136, 1003520)).isEqualTo(new ImageSize(812, 1204));
    }

    @Test
    void tinyImagesAreScaledUpNotRefused() {
        // 5 x 5 rounds to 0 x 0 < min; beta = sqrt(3136 / 25) = 11.2, ceil(5 * 11.2 / 28) = 2 -> 56
        assertThat(smart(5, 5, 3136, 1003520)).isEqualTo(new ImageSize(56, 56));
        assertThat(smart(1, 1, 3136, 1003520)).isEqualTo(new ImageSize(56, 56));
    }

    @Test
    void downscaleKeepsAtLeastOneFactorPerSide() {
        // 30 x 6000 (ratio 200) with max 3136: floor(30 / beta / 28) = 0, clamped to 28
        ImageSize s = smart(30, 6000, 784, 3136);
        assertThat(s.height()).isEqualTo(28);
        assertThat(s.width() % 28).isZero();
    }

    @Test
    void aspectRatioAbove200IsRefused() {
        assertThat(smart(10, 2000, 3136, 1003520)).isNotNull(); // exactly 200 is allowed
        assertThatThrownBy(() -> smart(10, 2001, 3136, 1003520))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be at most 200.0, but is: 200.1")
                .hasMessageContaining("height=10, width=2001");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> smart(0, 10, 1, 10)).hasMessage("height and width must both be >= 1, but are: height=0, width=10");
        assertThatThrownBy(() -> Qwen2VlImageProcessor.smartResize(10, 10, 0, 1, 10)).hasMessage("factor must be >= 1, but is: 0");
    }

    @Test
    void matchesPythonOnThousandsOfSizes() throws IOException {
        // goldens/smart_resize.csv: Python's smart_resize (qwen2vl_reference.py) on random sizes, exact .5 ties,
        // tiny sides and aspect ratios around 200, with five budgets and factors 14..56
        List<String> lines = Files.readAllLines(NpyTestFiles.resource("goldens/smart_resize.csv"));
        int checked = 0;
        int errors = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int h = Integer.parseInt(f[0]);
            int w = Integer.parseInt(f[1]);
            int factor = Integer.parseInt(f[2]);
            long min = Long.parseLong(f[3]);
            long max = Long.parseLong(f[4]);
            if (f[5].equals("error")) {
                assertThatThrownBy(() -> Qwen2VlImageProcessor.smartResize(h, w, factor, min, max)).as(line)
                        .hasMessageContaining("aspect ratio");
                errors++;
            } else {
                assertThat(Qwen2VlImageProcessor.smartResize(h, w, factor, min, max)).as(line)
                        .isEqualTo(new ImageSize(Integer.parseInt(f[5]), Integer.parseInt(f[6])));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(3000);
        assertThat(errors).as("rows where Python raised").isBetween(50, 1000);
    }

    @Test
    void tokenCountWithoutProcessingMatchesProcessing() {
        assertThat(SHAPES_VL.imageTokenCount(64, 64)).isEqualTo(16); // 112 / 14 = 8 -> 8 x 8 patches / 4
        RgbPixels image = randomImage(new SplittableRandom(3), 100, 45);
        Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(DEFAULTS);
        assertThat(p.process(image).imageTokenCounts()).containsExactly(p.imageTokenCount(45, 100));
    }

    // ------------------------------------------------------------------------------------- fast vs slow patchify

    private static RgbPixels randomImage(SplittableRandom rnd, int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            // include the extremes 0 and 255 often
            int r = rnd.nextInt(8) == 0 ? 0 : rnd.nextInt(256);
            int g = rnd.nextInt(8) == 0 ? 255 : rnd.nextInt(256);
            px[i] = (r << 16) | (g << 8) | rnd.nextInt(256);
        }
        return new RgbPixels(w, h, px);
    }

    /**
     * The Python, spelled out: frames [T][C][H][W] (the still image repeated), viewed as the 9-D array
     * (gt, T, C, gh/m, m, P, gw/m, m, P), transposed by (0, 3, 6, 4, 7, 2, 1, 5, 8), flattened row-major.
     */
    private static float[] slowReference(Qwen2VlImageConfig c, RgbPixels image) {
        Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(c);
        ImageSize s = p.resizedSize(image.height(), image.width());
        int[] rgb = PilResize.resize(image.rgb(), image.width(), image.height(), s.width(), s.height(), c.resample());
        int frames = c.temporalPatchSize();
        int height = s.height();
        int width = s.width();
        float[] chw = new float[frames * 3 * height * width];
        double[] mean = c.imageMean();
        double[] std = c.imageStd();
        for (int t = 0; t < frames; t++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int v = (rgb[y * width + x] >> (16 - 8 * ch)) & 0xFF;
                        float f = c.doRescale() ? (float) (v * c.rescaleFactor()) : v;
                        if (c.doNormalize()) {
                            f = (f - (float) mean[ch]) / (float) std[ch];
                        }
                        chw[((t * 3 + ch) * height + y) * width + x] = f;
                    }
                }
            }
        }
        int m = c.mergeSize();
        int pz = c.patchSize();
        int[] in = {1, frames, 3, height / pz / m, m, pz, width / pz / m, m, pz};
        int[] perm = {0, 3, 6, 4, 7, 2, 1, 5, 8};
        int[] out = new int[9];
        for (int k = 0; k < 9; k++) {
            out[k] = in[perm[k]];
        }
        int[] inStride = new int[9];
        inStride[8] = 1;
        for (int k = 7; k >= 0; k--) {
            inStride[k] = inStride[k + 1] * in[k + 1];
        }
        float[] result = new float[chw.length];
        int[] idx = new int[9];
        for (int o = 0; o < result.length; o++) {
            int rest = o;
            for (int k = 8; k >= 0; k--) {
                idx[k] = rest % out[k];
                rest /= out[k];
            }
            int src = 0;
            for (int k = 0; k < 9; k++) {
                src += idx[k] * inStride[perm[k]];
            }
            result[o] = chw[src];
        }
        return result;
    }

    private static Qwen2VlImageConfig config(long min, long max, boolean rescale, boolean normalize, int patch,
            int temporal, int merge) {
        return new Qwen2VlImageConfig(true, min, max, Resample.BICUBIC, rescale, 1 / 255.0, normalize,
                ClipImageProcessorConfig.OPENAI_CLIP_MEAN, ClipImageProcessorConfig.OPENAI_CLIP_STD, true, patch,
                temporal, merge);
    }

    /** Bit-equal arrays; on failure names the first differing index (AssertJ's containsExactly is slow here). */
    private static void assertSameFloats(float[] actual, float[] expected, String what) {
        assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int at = Arrays.mismatch(actual, expected);
        assertThat(at).as("%s: first differing index (%s vs %s)", what, at < 0 ? "-" : actual[at],
                at < 0 ? "-" : expected[at]).isEqualTo(-1);
    }

    @Test
    void fastPatchifyEqualsTheSlowReference() {
        SplittableRandom rnd = new SplittableRandom(20240611);
        List<Qwen2VlImageConfig> configs = List.of(
                DEFAULTS,
                SHAPES_VL.config(),
                config(3136, 20000, true, true, 14, 2, 2),
                config(64, 4000, true, true, 4, 3, 3), // odd temporal and merge sizes
                config(16, 2000, true, true, 8, 1, 1), // no temporal repeat, no merging
                config(100, 5000, false, true, 5, 2, 2), // normalise raw 0..255 values
                config(100, 5000, true, false, 6, 2, 2),
                config(100, 5000, false, false, 7, 4, 2));
        int[][] sizes = {{28, 28}, {64, 64}, {100, 45}, {45, 100}, {13, 200}, {1, 1}, {120, 83}, {250, 30}};
        int cases = 0;
        for (Qwen2VlImageConfig c : configs) {
            Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(c);
            for (int[] wh : sizes) {
                RgbPixels image = randomImage(rnd, wh[0], wh[1]);
                Qwen2VlVision v = p.process(image);
                float[] expected = slowReference(c, image);
                ImageSize s = p.resizedSize(wh[1], wh[0]);
                assertThat(v.gridThw()).as("%s %dx%d", c, wh[0], wh[1])
                        .containsExactly(1, s.height() / c.patchSize(), s.width() / c.patchSize());
                assertSameFloats(v.pixelValues(), expected, c + " " + wh[0] + "x" + wh[1]);
                assertThat(v.patchDim()).isEqualTo(c.patchDim());
                cases++;
            }
        }
        assertThat(cases).isEqualTo(64);
    }

    @Test
    void imagesOfDifferentSizesAreConcatenatedInOrder() {
        SplittableRandom rnd = new SplittableRandom(5);
        Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(DEFAULTS);
        List<RgbPixels> images = List.of(randomImage(rnd, 100, 45), randomImage(rnd, 64, 64), randomImage(rnd, 30, 90));
        Qwen2VlVision batch = p.process(images);
        List<Float> joined = new ArrayList<>();
        List<Long> grids = new ArrayList<>();
        for (RgbPixels image : images) {
            Qwen2VlVision one = p.process(image);
            for (float f : one.pixelValues()) {
                joined.add(f);
            }
            for (long g : one.gridThw()) {
                grids.add(g);
            }
        }
        float[] expected = new float[joined.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = joined.get(i);
        }
        assertSameFloats(batch.pixelValues(), expected, "batch");
        assertThat(batch.gridThw()).containsExactly(grids.stream().mapToLong(Long::longValue).toArray());
        assertThat(batch.numImages()).isEqualTo(3);
        // (height x width) 45x100 -> 56x112: 4 x 8 patches, 8 tokens; 64x64 -> 56x56: 4 x 4 patches, 4 tokens;
        // 90x30 rounds to 84x28 = 2352 < 3136, so it is scaled up by sqrt(3136 / 2700) to 112x56: 8 x 4, 8 tokens
        assertThat(batch.imageTokenCounts()).containsExactly(8, 4, 8);
        assertThat(batch.patchCounts()).containsExactly(32, 16, 32);
    }

    // ------------------------------------------------------------------------------------------------ contract

    @Test
    void withoutResizeSidesMustBeMultiplesOfTheFactor() {
        Qwen2VlImageConfig noResize = new Qwen2VlImageConfig(false, 3136, 1003520, Resample.BICUBIC, true, 1 / 255.0,
                true, ClipImageProcessorConfig.OPENAI_CLIP_MEAN, ClipImageProcessorConfig.OPENAI_CLIP_STD, true, 14, 2, 2);
        Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(noResize);
        SplittableRandom rnd = new SplittableRandom(1);
        assertThat(p.process(randomImage(rnd, 84, 28)).gridThw()).containsExactly(1, 2, 6);
        assertThatThrownBy(() -> p.process(randomImage(rnd, 64, 64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images[0] (64x64): with do_resize off, height and width must be positive multiples of"
                        + " patch_size x merge_size = 28, but are: height=64, width=64");
    }

    @Test
    void emptyOrNullInputIsRefused() {
        Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(DEFAULTS);
        assertThatThrownBy(() -> p.process(List.of())).hasMessage("images must hold at least 1 image, but holds: 0");
        List<RgbPixels> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> p.process(withNull)).hasMessage("images[0] must be an image, but is: null");
    }

    @Test
    void tooExtremeAspectRatioNamesTheImage() {
        Qwen2VlImageProcessor p = new Qwen2VlImageProcessor(DEFAULTS);
        SplittableRandom rnd = new SplittableRandom(2);
        assertThatThrownBy(() -> p.process(List.of(randomImage(rnd, 28, 28), randomImage(rnd, 402, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("images[1] (402x2): aspect ratio");
    }

    @Test
    void theInputImageIsNotModified() {
        RgbPixels image = randomImage(new SplittableRandom(9), 64, 64);
        int[] before = image.rgb();
        SHAPES_VL.process(image);
        assertThat(image.rgb()).containsExactly(before);
    }
}
