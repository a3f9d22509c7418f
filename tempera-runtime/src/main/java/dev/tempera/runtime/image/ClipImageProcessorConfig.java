package dev.tempera.runtime.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings of transformers' {@code CLIPImageProcessor}, as {@code preprocessor_config.json} stores them.
 *
 * <p>What callers trip on: the resize target is either the shortest edge ({@code "size": {"shortest_edge": 224}},
 * or a bare number in old configs — CLIP keeps the aspect ratio) or an exact {@code height × width}; exactly one of
 * {@code shortestEdge} and {@code resizeHeight/resizeWidth} is non-zero when {@code doResize}. Without centre crop
 * the output size depends on each image's aspect ratio, so images of different shapes cannot share a batch.
 *
 * @param doResize whether to resize
 * @param shortestEdge target of the shorter side (aspect kept), or 0 when an exact size is given
 * @param resizeHeight exact target height, or 0
 * @param resizeWidth exact target width, or 0
 * @param resample Pillow filter (CLIP: bicubic)
 * @param doCenterCrop whether to centre-crop (padding with zeros if the image is smaller)
 * @param cropHeight crop height, ≥ 1
 * @param cropWidth crop width, ≥ 1
 * @param doRescale whether to multiply by {@code rescaleFactor}
 * @param rescaleFactor usually 1/255, finite and &gt; 0
 * @param doNormalize whether to subtract {@code imageMean} and divide by {@code imageStd}
 * @param imageMean per-channel mean (3 values)
 * @param imageStd per-channel standard deviation (3 values, each &gt; 0)
 */
public record ClipImageProcessorConfig(boolean doResize, int shortestEdge, int resizeHeight, int resizeWidth,
        Resample resample, boolean doCenterCrop, int cropHeight, int cropWidth, boolean doRescale, double rescaleFactor,
        boolean doNormalize, double[] imageMean, double[] imageStd) {

    /** OpenAI CLIP's normalisation mean (transformers' {@code OPENAI_CLIP_MEAN}). */
    public static final double[] OPENAI_CLIP_MEAN = {0.48145466, 0.4578275, 0.40821073};
    /** OpenAI CLIP's normalisation standard deviation ({@code OPENAI_CLIP_STD}). */
    public static final double[] OPENAI_CLIP_STD = {0.26862954, 0.26130258, 0.27577711};

    private static final int MAX_SIDE = 16384;

    public ClipImageProcessorConfig {
        Objects.requireNonNull(resample, "resample");
        Objects.requireNonNull(imageMean, "imageMean");
        Objects.requireNonNull(imageStd, "imageStd");
        if (doResize) {
            boolean byEdge = shortestEdge != 0;
            boolean exact = resizeHeight != 0 || resizeWidth != 0;
            if (byEdge == exact) {
                throw new IllegalArgumentException("resize needs either shortestEdge or resizeHeight x resizeWidth, but got"
                        + " shortestEdge=" + shortestEdge + ", resizeHeight=" + resizeHeight + ", resizeWidth=" + resizeWidth);
            }
            if (byEdge) {
                requireSide("shortestEdge", shortestEdge);
            } else {
                requireSide("resizeHeight", resizeHeight);
                requireSide("resizeWidth", resizeWidth);
            }
        }
        requireSide("cropHeight", cropHeight);
        requireSide("cropWidth", cropWidth);
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

    private static void requireSide(String name, int v) {
        if (v < 1 || v > MAX_SIDE) {
            throw new IllegalArgumentException(name + " must be in [1, " + MAX_SIDE + "], but is: " + v);
        }
    }

    /** transformers' {@code CLIPImageProcessor()} defaults: shortest edge 224, bicubic, crop 224, 1/255, OpenAI mean/std. */
    public static ClipImageProcessorConfig clipDefaults() {
        return new ClipImageProcessorConfig(true, 224, 0, 0, Resample.BICUBIC, true, 224, 224, true, 1 / 255.0, true,
                OPENAI_CLIP_MEAN, OPENAI_CLIP_STD);
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
     * Reads {@code preprocessor_config.json}; keys it lacks take {@link #clipDefaults()}.
     *
     * @throws IllegalArgumentException if the file does not exist
     * @throws IllegalStateException if it is not valid JSON or holds invalid settings (the message names the file)
     */
    public static ClipImageProcessorConfig read(Path file) {
        return PreprocessorConfigFile.read(file, "image settings", ClipImageProcessorConfig::parse);
    }

    static ClipImageProcessorConfig parse(JsonNode root) {
        ClipImageProcessorConfig d = clipDefaults();
        boolean doResize = root.path("do_resize").asBoolean(d.doResize());
        int shortest = d.shortestEdge();
        int rh = 0;
        int rw = 0;
        JsonNode size = root.get("size");
        if (size != null && !size.isNull()) {
            if (size.isNumber()) {
                shortest = size.asInt(); // CLIP reads a bare number as the shortest edge (default_to_square=False)
            } else if (size.has("shortest_edge")) {
                shortest = size.get("shortest_edge").asInt();
            } else if (size.has("height") && size.has("width")) {
                shortest = 0;
                rh = size.get("height").asInt();
                rw = size.get("width").asInt();
            } else {
                throw new IllegalArgumentException("size must be a number, {shortest_edge} or {height, width}, but is: " + size);
            }
        }
        Resample resample = root.has("resample") ? Resample.fromPilCode(root.get("resample").asInt()) : d.resample();
        boolean doCrop = root.path("do_center_crop").asBoolean(d.doCenterCrop());
        int ch = d.cropHeight();
        int cw = d.cropWidth();
        JsonNode crop = root.get("crop_size");
        if (crop != null && !crop.isNull()) {
            if (crop.isNumber()) {
                ch = crop.asInt();
                cw = crop.asInt();
            } else if (crop.has("height") && crop.has("width")) {
                ch = crop.get("height").asInt();
                cw = crop.get("width").asInt();
            } else {
                throw new IllegalArgumentException("crop_size must be a number or {height, width}, but is: " + crop);
            }
        }
        boolean doRescale = root.path("do_rescale").asBoolean(d.doRescale());
        double factor = root.path("rescale_factor").asDouble(d.rescaleFactor());
        boolean doNormalize = root.path("do_normalize").asBoolean(d.doNormalize());
        double[] mean = triple(root.get("image_mean"), d.imageMean(), "image_mean");
        double[] std = triple(root.get("image_std"), d.imageStd(), "image_std");
        return new ClipImageProcessorConfig(doResize, shortest, rh, rw, resample, doCrop, ch, cw, doRescale, factor,
                doNormalize, mean, std);
    }

    private static double[] triple(JsonNode node, double[] fallback, String name) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isNumber()) {
            return new double[] {node.asDouble(), node.asDouble(), node.asDouble()};
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(name + " must be a number or an array of 3, but is: " + node);
        }
        double[] out = new double[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asDouble(Double.NaN);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipImageProcessorConfig c && c.doResize == doResize && c.shortestEdge == shortestEdge
                && c.resizeHeight == resizeHeight && c.resizeWidth == resizeWidth && c.resample == resample
                && c.doCenterCrop == doCenterCrop && c.cropHeight == cropHeight && c.cropWidth == cropWidth
                && c.doRescale == doRescale && c.rescaleFactor == rescaleFactor && c.doNormalize == doNormalize
                && Arrays.equals(c.imageMean, imageMean) && Arrays.equals(c.imageStd, imageStd);
    }

    @Override
    public int hashCode() {
        return Objects.hash(doResize, shortestEdge, resizeHeight, resizeWidth, resample, doCenterCrop, cropHeight,
                cropWidth, doRescale, rescaleFactor, doNormalize, Arrays.hashCode(imageMean), Arrays.hashCode(imageStd));
    }

    @Override
    public String toString() {
        return "ClipImageProcessorConfig[resize=" + (doResize ? (shortestEdge > 0 ? "shortest " + shortestEdge
                : resizeHeight + "x" + resizeWidth) : "off") + ", " + resample + ", crop=" + (doCenterCrop
                ? cropHeight + "x" + cropWidth : "off") + ", rescale=" + (doRescale ? rescaleFactor : "off")
                + ", normalize=" + (doNormalize ? Arrays.toString(imageMean) + "/" + Arrays.toString(imageStd) : "off") + "]";
    }
}
