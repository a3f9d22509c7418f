package dev.tempera.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of transformers' {@code Qwen2VLImageProcessor} (also used by Qwen2.5-VL), as
 * {@code preprocessor_config.json} stores them.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>The pixel budget has two spellings. Old files write {@code "min_pixels"} / {@code "max_pixels"} at the top
 *       level; newer ones write {@code "size": {"shortest_edge": …, "longest_edge": …}} — which, despite the names,
 *       are pixel <em>counts</em> (area), not edge lengths. Files saved by some versions hold both. {@link #read}
 *       resolves them as transformers' constructor does ({@code Qwen2VLImageProcessor.__init__}, "backward
 *       compatibility: override size with min_pixels and max_pixels"; 5.x {@code Qwen2VLImageProcessorPil} and
 *       transformers.js, {@code config.min_pixels ?? config.size?.shortest_edge}, agree): a top-level
 *       {@code min_pixels} wins over {@code size.shortest_edge} and a top-level {@code max_pixels} over
 *       {@code size.longest_edge}, each on its own; {@code size.min_pixels} / {@code size.max_pixels} (the form the
 *       first releases saved) are read when the other two are absent; what is still missing takes the class defaults
 *       56·56 and 28·28·1280. Some 4.x releases drop a well-formed {@code size} and start from the defaults (a bug in
 *       their {@code __init__}); that is not reproduced.</li>
 *   <li>The defaults are the class's ({@link #qwen2VlDefaults()}), not any checkpoint's: the released Qwen2-VL and
 *       Qwen2.5-VL files commonly set {@code max_pixels} to 12845056 (28·28·16384), not 1003520 — read the file.</li>
 *   <li>{@code doConvertRgb} is kept for completeness but has no effect here: {@link RgbPixels} is always RGB (the
 *       conversion happens when the file is read, see {@link ImageLoader}).</li>
 *   <li>Resampling codes follow PIL; 0 (nearest) is not supported.</li>
 * </ul>
 *
 * @param doResize whether to {@code smart_resize} (else each side must already be a multiple of patch × merge)
 * @param minPixels smallest area after resizing ({@code min_pixels}), ≥ 1
 * @param maxPixels largest area after resizing ({@code max_pixels}), ≥ minPixels and ≤ 2^31 − 1
 * @param resample Pillow filter (Qwen2-VL: bicubic)
 * @param doRescale whether to multiply by {@code rescaleFactor}
 * @param rescaleFactor usually 1/255, finite and &gt; 0
 * @param doNormalize whether to subtract {@code imageMean} and divide by {@code imageStd}
 * @param imageMean per-channel mean (3 finite values)
 * @param imageStd per-channel standard deviation (3 finite values &gt; 0)
 * @param doConvertRgb transformers' flag; see above
 * @param patchSize side of a ViT patch in pixels (14), in [1, 1024]
 * @param temporalPatchSize frames per patch (2; a still image is repeated that many times), in [1, 64]
 * @param mergeSize patches merged per side into one LLM token (2), in [1, 64]
 */
public record Qwen2VlImageConfig(boolean doResize, long minPixels, long maxPixels, Resample resample,
        boolean doRescale, double rescaleFactor, boolean doNormalize, double[] imageMean, double[] imageStd,
        boolean doConvertRgb, int patchSize, int temporalPatchSize, int mergeSize) {

    /** transformers' default {@code min_pixels}: 56 × 56. */
    public static final long DEFAULT_MIN_PIXELS = 56L * 56;
    /** transformers' default {@code max_pixels}: 28 × 28 × 1280. */
    public static final long DEFAULT_MAX_PIXELS = 28L * 28 * 1280;

    public Qwen2VlImageConfig {
        Objects.requireNonNull(resample, "resample");
        Objects.requireNonNull(imageMean, "imageMean");
        Objects.requireNonNull(imageStd, "imageStd");
        if (minPixels < 1) {
            throw new IllegalArgumentException("minPixels (min_pixels / size.shortest_edge) must be >= 1, but is: "
                    + minPixels);
        }
        if (maxPixels < minPixels || maxPixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxPixels (max_pixels / size.longest_edge) must be in [minPixels = "
                    + minPixels + ", " + Integer.MAX_VALUE + "], but is: " + maxPixels
                    + " (both are pixel counts, not edge lengths)");
        }
        requireRange("patchSize", patchSize, 1, 1024);
        requireRange("temporalPatchSize", temporalPatchSize, 1, 64);
        requireRange("mergeSize", mergeSize, 1, 64);
        if (!(rescaleFactor > 0) || Double.isInfinite(rescaleFactor)) {
            throw new IllegalArgumentException("rescaleFactor must be finite and > 0, but is: " + rescaleFactor);
        }
        if (imageMean.length != 3 || imageStd.length != 3) {
            throw new IllegalArgumentException("imageMean and imageStd must hold 3 values (R, G, B), but hold: "
                    + imageMean.length + " and " + imageStd.length);
        }
        for (int c = 0; c < 3; c++) {
            if (!Double.isFinite(imageMean[c])) {
                throw new IllegalArgumentException("imageMean[" + c + "] must be finite, but is: " + imageMean[c]);
            }
            if (!(imageStd[c] > 0) || Double.isInfinite(imageStd[c])) {
                throw new IllegalArgumentException("imageStd[" + c + "] must be finite and > 0, but is: " + imageStd[c]);
            }
        }
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
    }

    private static void requireRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], but is: " + v);
        }
    }

    /**
     * transformers' {@code Qwen2VLImageProcessor()} defaults: min 56·56, max 28·28·1280 pixels, bicubic, 1/255,
     * OpenAI CLIP mean/std, patch 14, temporal patch 2, merge 2.
     */
    public static Qwen2VlImageConfig qwen2VlDefaults() {
        return new Qwen2VlImageConfig(true, DEFAULT_MIN_PIXELS, DEFAULT_MAX_PIXELS, Resample.BICUBIC, true, 1 / 255.0,
                true, ClipImageProcessorConfig.OPENAI_CLIP_MEAN, ClipImageProcessorConfig.OPENAI_CLIP_STD, true, 14, 2,
                2);
    }

    /** patch × merge: the multiple both resized sides are rounded to (28 for Qwen2-VL). */
    public int factor() {
        return patchSize * mergeSize;
    }

    /** Values per row of {@code pixel_values}: 3 × temporal × patch × patch (1176 for Qwen2-VL). */
    public int patchDim() {
        return 3 * temporalPatchSize * patchSize * patchSize;
    }

    /** This config with another pixel budget (what transformers' {@code min_pixels=/max_pixels=} call kwargs do). */
    public Qwen2VlImageConfig withPixels(long min, long max) {
        return new Qwen2VlImageConfig(doResize, min, max, resample, doRescale, rescaleFactor, doNormalize, imageMean,
                imageStd, doConvertRgb, patchSize, temporalPatchSize, mergeSize);
    }

    @Override
    public double[] imageMean() {
        return imageMean.clone();
    }

    @Override
    public double[] imageStd() {
        return imageStd.clone();
    }

    /**
     * Reads {@code preprocessor_config.json}; keys it lacks take {@link #qwen2VlDefaults()}. Keys of other processors
     * ({@code image_processor_type}, {@code processor_class}, …) are ignored.
     *
     * @throws IllegalArgumentException if the file does not exist
     * @throws IllegalStateException if it is not valid JSON or holds invalid settings (the message names the file)
     */
    public static Qwen2VlImageConfig read(Path file) {
        return PreprocessorConfigFile.read(file, "Qwen2-VL image settings", Qwen2VlImageConfig::parse);
    }

    /** As {@link #read}, from JSON already parsed; throws {@link IllegalArgumentException} for invalid settings. */
    public static Qwen2VlImageConfig parse(JsonNode root) {
        Objects.requireNonNull(root, "root");
        if (!root.isObject()) {
            throw new IllegalArgumentException("preprocessor config must be a JSON object, but is: " + root.getNodeType());
        }
        Qwen2VlImageConfig d = qwen2VlDefaults();
        long min = d.minPixels();
        long max = d.maxPixels();
        JsonNode size = present(root, "size");
        if (size != null) {
            if (!size.isObject()) {
                throw new IllegalArgumentException("size must be an object {shortest_edge, longest_edge}, but is: " + size);
            }
            if (present(size, "shortest_edge") != null) {
                min = longValue(size, "shortest_edge");
            } else if (present(size, "min_pixels") != null) {
                min = longValue(size, "min_pixels");
            }
            if (present(size, "longest_edge") != null) {
                max = longValue(size, "longest_edge");
            } else if (present(size, "max_pixels") != null) {
                max = longValue(size, "max_pixels");
            }
        }
        if (present(root, "min_pixels") != null) {
            min = longValue(root, "min_pixels");
        }
        if (present(root, "max_pixels") != null) {
            max = longValue(root, "max_pixels");
        }
        Resample resample = present(root, "resample") != null
                ? Resample.fromPilCode((int) longValue(root, "resample")) : d.resample();
        double factor = present(root, "rescale_factor") != null ? doubleValue(root, "rescale_factor") : d.rescaleFactor();
        return new Qwen2VlImageConfig(
                bool(root, "do_resize", d.doResize()), min, max, resample,
                bool(root, "do_rescale", d.doRescale()), factor,
                bool(root, "do_normalize", d.doNormalize()),
                triple(root, "image_mean", d.imageMean()), triple(root, "image_std", d.imageStd()),
                bool(root, "do_convert_rgb", d.doConvertRgb()),
                intValue(root, "patch_size", d.patchSize()),
                intValue(root, "temporal_patch_size", d.temporalPatchSize()),
                intValue(root, "merge_size", d.mergeSize()));
    }

    private static JsonNode present(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        return n == null || n.isNull() ? null : n;
    }

    private static long longValue(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        // JSON written by Python may store an integer as 3136.0
        if (n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            return n.asLong();
        }
        throw new IllegalArgumentException(key + " must be an integer, but is: " + n);
    }

    private static int intValue(JsonNode parent, String key, int fallback) {
        if (present(parent, key) == null) {
            return fallback;
        }
        long v = longValue(parent, key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must fit in an int, but is: " + v);
        }
        return (int) v;
    }

    private static double doubleValue(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        if (!n.isNumber()) {
            throw new IllegalArgumentException(key + " must be a number, but is: " + n);
        }
        return n.asDouble();
    }

    private static boolean bool(JsonNode parent, String key, boolean fallback) {
        JsonNode n = present(parent, key);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, but is: " + n);
        }
        return n.asBoolean();
    }

    private static double[] triple(JsonNode parent, String key, double[] fallback) {
        JsonNode n = present(parent, key);
        if (n == null) {
            return fallback;
        }
        if (n.isNumber()) {
            return new double[] {n.asDouble(), n.asDouble(), n.asDouble()};
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(key + " must be a number or an array of 3 numbers, but is: " + n);
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isNumber()) {
                throw new IllegalArgumentException(key + "[" + i + "] must be a number, but is: " + n.get(i));
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Qwen2VlImageConfig c && c.doResize == doResize && c.minPixels == minPixels
                && c.maxPixels == maxPixels && c.resample == resample && c.doRescale == doRescale
                && Double.compare(c.rescaleFactor, rescaleFactor) == 0 && c.doNormalize == doNormalize
                && Arrays.equals(c.imageMean, imageMean) && Arrays.equals(c.imageStd, imageStd)
                && c.doConvertRgb == doConvertRgb && c.patchSize == patchSize
                && c.temporalPatchSize == temporalPatchSize && c.mergeSize == mergeSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(doResize, minPixels, maxPixels, resample, doRescale, rescaleFactor, doNormalize,
                Arrays.hashCode(imageMean), Arrays.hashCode(imageStd), doConvertRgb, patchSize, temporalPatchSize,
                mergeSize);
    }

    @Override
    public String toString() {
        return "Qwen2VlImageConfig[pixels=" + (doResize ? "[" + minPixels + ", " + maxPixels + "] " + resample : "no resize")
                + ", rescale=" + (doRescale ? rescaleFactor : "off")
                + ", normalize=" + (doNormalize ? Arrays.toString(imageMean) + "/" + Arrays.toString(imageStd) : "off")
                + ", patch=" + patchSize + ", temporal=" + temporalPatchSize + ", merge=" + mergeSize + "]";
    }
}
