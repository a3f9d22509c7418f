package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.SampleModels;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * File → {@link ImageLoader} → {@link Qwen2VlImageProcessor} against two references:
 * <ul>
 *   <li>{@code goldens/python/}: tools/conformance/preprocess/qwen2vl_reference.py, a numpy + Pillow transcription
 *       of transformers' slow Qwen2VLImageProcessor, on 64x64 Shapes renders (upsized to 112x112 by shapes-vl's
 *       budget), 112x112 images (no resize), a non-square image, RGBA, grey, palette GIF and JPEG files (Qwen2-VL's
 *       default budget), and a procedural 1500x1000 photo scaled down to 812x1204;</li>
 *   <li>{@code goldens/tjs/}: transformers.js 4.3.2's processor on the images that need no resize (where it does
 *       resize it uses sharp, not Pillow, and differs by up to ~2.4, see tools/conformance/preprocess/README.md).</li>
 * </ul>
 * Tolerance 1e-5 (max abs), as asked; one 8-bit level is ≈ 0.0146 after normalisation, so any decoding or resampling
 * difference fails.
 */
class Qwen2VlGoldenTest {

    private static final double TOLERANCE = 1e-5;
    private static final ImageLoader LOADER = ImageLoader.withDefaults();
    private static final Qwen2VlImageProcessor SHAPES_VL = Qwen2VlImageProcessor.load(SampleModels.dir("shapes-vl"));

    private static JsonNode json(String relative) {
        try {
            return new ObjectMapper().readTree(NpyTestFiles.resource(relative).toFile());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Qwen2VlImageProcessor processorFor(JsonNode c) {
        if (c.get("budget").asText().equals("shapes-vl")) {
            return SHAPES_VL;
        }
        return new Qwen2VlImageProcessor(Qwen2VlImageConfig.qwen2VlDefaults()
                .withPixels(c.get("min_pixels").asLong(), c.get("max_pixels").asLong()));
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a.length).isEqualTo(b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    static Stream<String> fileCases() {
        List<String> names = new ArrayList<>();
        for (JsonNode c : json("goldens/manifest.json").get("cases")) {
            if (c.has("image")) {
                names.add(c.get("name").asText());
            }
        }
        return names.stream();
    }

    private static JsonNode pythonCase(String name) {
        for (JsonNode c : json("goldens/manifest.json").get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no case " + name);
    }

    @ParameterizedTest
    @MethodSource("fileCases")
    void matchesThePythonReference(String name) {
        JsonNode c = pythonCase(name);
        RgbPixels image = LOADER.load(NpyTestFiles.resource(c.get("image").asText()));
        assertThat(new int[] {image.width(), image.height()})
                .containsExactly(c.get("width").asInt(), c.get("height").asInt());
        Qwen2VlVision v = processorFor(c).process(image);
        NpyTestFiles.Npy expected = NpyTestFiles.read(NpyTestFiles.resource("goldens/" + c.get("pixel_values").asText()));
        assertThat(v.gridThw()).containsExactly(longs(c.get("grid_thw")));
        assertThat(v.shape()).containsExactly(expected.shape()[0], expected.shape()[1]);
        assertThat(v.imageTokenCounts()).containsExactly(c.get("image_tokens").asInt());
        assertThat(maxAbsDiff(v.pixelValues(), expected.values())).as("max |java - python|").isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void batchEqualsTheSingleGoldensConcatenated() {
        JsonNode batch = json("goldens/manifest.json").get("batch");
        List<RgbPixels> images = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        int total = 0;
        for (JsonNode n : batch.get("cases")) {
            JsonNode c = pythonCase(n.asText());
            images.add(LOADER.load(NpyTestFiles.resource(c.get("image").asText())));
            float[] values = NpyTestFiles.read(NpyTestFiles.resource("goldens/" + c.get("pixel_values").asText())).values();
            expected.add(values);
            total += values.length;
        }
        float[] joined = new float[total];
        int at = 0;
        for (float[] e : expected) {
            System.arraycopy(e, 0, joined, at, e.length);
            at += e.length;
        }
        Qwen2VlVision v = new Qwen2VlImageProcessor(Qwen2VlImageConfig.qwen2VlDefaults()).process(images);
        long[] grid = new long[3 * batch.get("grid_thw").size()];
        for (int i = 0; i < batch.get("grid_thw").size(); i++) {
            System.arraycopy(longs(batch.get("grid_thw").get(i)), 0, grid, 3 * i, 3);
        }
        assertThat(v.gridThw()).containsExactly(grid);
        assertThat(maxAbsDiff(v.pixelValues(), joined)).isLessThanOrEqualTo(TOLERANCE);
    }

    /**
     * make_images.large_photo: gradients, a soft disc, a checker band and hash noise, in 32-bit arithmetic (Python
     * masks to 32 bits, Java wraps). Row-major (H, W, 3) bytes are returned alongside for hashing.
     */
    static RgbPixels largePhoto(int width, int height, byte[] hwc) {
        int[] px = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int h = (x * 73856093) ^ (y * 19349663);
                h = (h ^ (h >>> 13)) * 1274126177;
                int noise = Integer.remainderUnsigned(h >>> 24, 17) - 8;
                int noise2 = ((h >>> 16) & 0xFF) % 9 - 4;
                int d2 = (x - 900) * (x - 900) + (y - 420) * (y - 420);
                int disc = (d2 < 260 * 260 ? 70 : 0) + (d2 < 200 * 200 ? 40 : 0);
                int checker = y > 700 ? ((x / 97 + y / 89) % 2 == 0 ? 25 : -25) : 0;
                int r = clamp(30 + x * 180 / (width - 1) + disc + noise);
                int g = clamp(20 + y * 200 / (height - 1) + checker + noise2);
                int b = clamp(200 - x * 120 / (width - 1) - y * 60 / (height - 1) + disc / 2 + noise);
                int i = y * width + x;
                px[i] = (r << 16) | (g << 8) | b;
                hwc[3 * i] = (byte) r;
                hwc[3 * i + 1] = (byte) g;
                hwc[3 * i + 2] = (byte) b;
            }
        }
        return new RgbPixels(width, height, px);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void largePhotoIsScaledDownLikePython() {
        JsonNode c = pythonCase("large-photo");
        int w = c.get("width").asInt();
        int h = c.get("height").asInt();
        byte[] hwc = new byte[w * h * 3];
        RgbPixels image = largePhoto(w, h, hwc);
        assertThat(sha256(hwc)).as("same procedural source image as Python").isEqualTo(c.get("source_sha256").asText());

        Qwen2VlImageProcessor p = processorFor(c);
        ImageSize size = p.resizedSize(h, w);
        assertThat(new int[] {size.height(), size.width()})
                .containsExactly(c.get("resized").get(0).asInt(), c.get("resized").get(1).asInt());
        int[] resized = PilResize.resize(image.rgb(), w, h, size.width(), size.height(), Resample.BICUBIC);
        byte[] resizedHwc = new byte[resized.length * 3];
        for (int i = 0; i < resized.length; i++) {
            resizedHwc[3 * i] = (byte) (resized[i] >> 16);
            resizedHwc[3 * i + 1] = (byte) (resized[i] >> 8);
            resizedHwc[3 * i + 2] = (byte) resized[i];
        }
        assertThat(sha256(resizedHwc)).as("8-bit image after Pillow's bicubic resize")
                .isEqualTo(c.get("resized_sha256").asText());

        Qwen2VlVision v = p.process(image);
        assertThat(v.gridThw()).containsExactly(longs(c.get("grid_thw")));
        assertThat(v.imageTokenCounts()).containsExactly(c.get("image_tokens").asInt());
        NpyTestFiles.Npy rows = NpyTestFiles.read(NpyTestFiles.resource("goldens/" + c.get("pixel_values_rows").asText()));
        int stride = c.get("row_stride").asInt();
        int dim = v.patchDim();
        float[] picked = new float[rows.values().length];
        for (int r = 0; r < rows.rows(); r++) {
            for (int k = 0; k < dim; k++) {
                picked[r * dim + k] = v.get(r * stride, k);
            }
        }
        assertThat(maxAbsDiff(picked, rows.values())).isLessThanOrEqualTo(TOLERANCE);
        // every row counts towards the sums: float64 sums of 5.9 million float32 values (numpy sums pairwise, so
        // allow rounding noise far below one 8-bit level anywhere)
        double total = 0;
        double[] columns = new double[c.get("column_sums").size()];
        float[] all = v.pixelValues();
        for (int i = 0; i < all.length; i++) {
            total += all[i];
            int col = i % dim;
            if (col < columns.length) {
                columns[col] += all[i];
            }
        }
        assertThat(total).isCloseTo(c.get("total_sum").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
        for (int k = 0; k < columns.length; k++) {
            assertThat(columns[k]).as("column %d", k)
                    .isCloseTo(c.get("column_sums").get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    static Stream<String> tjsCases() {
        List<String> names = new ArrayList<>();
        for (JsonNode c : json("goldens/tjs/manifest.json").get("cases")) {
            names.add(c.get("name").asText());
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("tjsCases")
    void matchesTransformersJsWhereNothingIsResized(String name) {
        JsonNode manifest = json("goldens/tjs/manifest.json");
        JsonNode c = null;
        for (JsonNode n : manifest.get("cases")) {
            if (n.get("name").asText().equals(name)) {
                c = n;
            }
        }
        RgbPixels image = LOADER.load(NpyTestFiles.resource(c.get("image").asText()));
        Qwen2VlVision v = SHAPES_VL.process(image);
        NpyTestFiles.Npy expected = NpyTestFiles.read(NpyTestFiles.resource("goldens/" + c.get("pixel_values").asText()));
        assertThat(v.gridThw()).containsExactly(longs(c.get("grid_thw")));
        assertThat(maxAbsDiff(v.pixelValues(), expected.values())).as("max |java - transformers.js|")
                .isLessThanOrEqualTo(TOLERANCE);
        // transformers.js expanded the prompt's single <|image_pad|> into this many copies
        int padId = manifest.get("image_pad_id").asInt();
        int pads = 0;
        for (JsonNode id : c.get("input_ids")) {
            pads += id.asInt() == padId ? 1 : 0;
        }
        assertThat(v.imageTokenCounts()).containsExactly(pads);
    }
}
