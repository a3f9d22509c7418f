package dev.tempera.runtime.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * transformers' {@code Qwen2VLImageProcessor} (the PIL-based "slow" one, also Qwen2.5-VL's) in Java: turns still
 * images into the vision encoder's {@code pixel_values} and {@code image_grid_thw}.
 *
 * <p>Per image, in order (transformers {@code models/qwen2_vl/image_processing_qwen2_vl.py}, {@code _preprocess}):
 * <ol>
 *   <li>({@code do_convert_rgb}) already done: {@link RgbPixels} is 8-bit RGB ({@link ImageLoader} reads files the
 *       way Pillow's {@code convert("RGB")} does);</li>
 *   <li>({@code do_resize}) {@link #smartResize}: both sides to multiples of patch × merge (28), area within
 *       [min_pixels, max_pixels], aspect ratio kept as well as that allows; then resize with Pillow's filter in 8 bits
 *       ({@link PilResize}, bit-identical to Pillow for bicubic);</li>
 *   <li>({@code do_rescale}) value × rescale_factor in double, rounded to float (numpy float64 → float32);</li>
 *   <li>({@code do_normalize}) (x − mean) / std in float arithmetic with float mean and std;</li>
 *   <li>repeat the frame {@code temporal_patch_size} times and cut into patch × patch squares: row order
 *       (block row, block column, row in block, column in block), each row (channel, frame, y, x) — the Python's
 *       {@code reshape(t, T, C, gh/m, m, P, gw/m, m, P).transpose(0, 3, 6, 4, 7, 2, 1, 5, 8)}.</li>
 * </ol>
 * Steps 3–5 go through a 768-entry lookup table and write straight into the output; nothing is allocated per
 * pixel.
 *
 * <p>How close to Python: the 8-bit image after step 2 is bit-identical to Pillow's for bicubic, bilinear and box,
 * and steps 3–4 follow numpy's float32 rounding, so {@code pixel_values} should match transformers to the bit;
 * the tests hold it to 1e-5 against a numpy transcription of the processor. transformers.js resizes with sharp (not
 * Pillow) and rounds {@code smart_resize} halves up where Python rounds them to even (a 70-pixel side: Python 56,
 * JS 84), so it agrees only on images that need no resize.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * Qwen2VlImageProcessor p = Qwen2VlImageProcessor.load(Path.of("models/shapes-vl"));
 * Qwen2VlVision v = p.process(List.of(ImageLoader.withDefaults().load(Path.of("x.png"))));
 * // v.shape() = [64, 1176] for a 64x64 image (resized to 112x112), v.imageTokenCounts() = [16]
 * }</pre>
 */
public final class Qwen2VlImageProcessor {

    /** transformers refuses images whose longer side is more than this many times the shorter one. */
    public static final double MAX_ASPECT_RATIO = 200;

    private final Qwen2VlImageConfig config;
    /** Per channel and 8-bit level, the value after steps 3 and 4. */
    private final float[] lut = new float[3 * 256];

    public Qwen2VlImageProcessor(Qwen2VlImageConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        double[] m = config.imageMean();
        double[] s = config.imageStd();
        double factor = config.rescaleFactor();
        for (int c = 0; c < 3; c++) {
            // numpy builds the mean and std arrays in the image's dtype, float32
            float mean = (float) m[c];
            float std = (float) s[c];
            for (int v = 0; v < 256; v++) {
                float x = config.doRescale() ? (float) (v * factor) : (float) v;
                lut[c * 256 + v] = config.doNormalize() ? (x - mean) / std : x;
            }
        }
    }

    /**
     * Reads {@code preprocessor_config.json} from a model folder, or the file itself.
     *
     * @throws IllegalArgumentException if neither the file nor the folder's file exists
     * @throws IllegalStateException if the file is not valid JSON or holds invalid settings
     */
    public static Qwen2VlImageProcessor load(Path fileOrDir) {
        Objects.requireNonNull(fileOrDir, "fileOrDir");
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("preprocessor_config.json") : fileOrDir;
        return new Qwen2VlImageProcessor(Qwen2VlImageConfig.read(file));
    }

    public Qwen2VlImageConfig config() {
        return config;
    }

    /**
     * The size an image of {@code height × width} is resized to, with this config's factor and pixel budget; the
     * image as it is when {@code do_resize} is off.
     *
     * @throws IllegalArgumentException as {@link #smartResize(int, int, int, long, long)}, or (without resize) if a
     *     side is not a multiple of patch × merge
     */
    public ImageSize resizedSize(int height, int width) {
        if (!config.doResize()) {
            int f = config.factor();
            if (height < 1 || width < 1 || height % f != 0 || width % f != 0) {
                throw new IllegalArgumentException("with do_resize off, height and width must be positive multiples of"
                        + " patch_size x merge_size = " + f + ", but are: height=" + height + ", width=" + width);
            }
            return new ImageSize(height, width);
        }
        return smartResize(height, width, config.factor(), config.minPixels(), config.maxPixels());
    }

    /**
     * transformers' {@code smart_resize}: round each side to the nearest multiple of {@code factor} (Python's
     * {@code round}, so halves go to the even multiple: 70 / 28 = 2.5 → 56); if the area then exceeds
     * {@code maxPixels}, scale both sides by √(h·w / maxPixels) and round down (but not below {@code factor}); if it
     * is under {@code minPixels}, scale by √(minPixels / (h·w)) and round up.
     *
     * <p>This follows the current function (transformers 5.x, also transformers.js): sides smaller than the factor
     * are scaled up, not refused, and the downscale branch keeps at least one factor per side. Older 4.x releases
     * raised {@code ValueError} for a side under the factor.
     *
     * @throws IllegalArgumentException if a side is below 1, the aspect ratio exceeds {@value #MAX_ASPECT_RATIO}, or the
     *     factor or budget are out of range
     */
    public static ImageSize smartResize(int height, int width, int factor, long minPixels, long maxPixels) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must both be >= 1, but are: height=" + height
                    + ", width=" + width);
        }
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be >= 1, but is: " + factor);
        }
        if (minPixels < 1 || maxPixels < 1 || maxPixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("minPixels must be >= 1 and maxPixels in [1, " + Integer.MAX_VALUE
                    + "], but are: " + minPixels + " and " + maxPixels);
        }
        double ratio = (double) Math.max(height, width) / Math.min(height, width);
        if (ratio > MAX_ASPECT_RATIO) {
            throw new IllegalArgumentException("aspect ratio max(height, width) / min(height, width) must be at most "
                    + MAX_ASPECT_RATIO + ", but is: " + ratio + " (height=" + height + ", width=" + width + ")");
        }
        long area = (long) height * width;
        // Python round(): ties to even, which Math.rint does too
        long hBar = (long) Math.rint(height / (double) factor) * factor;
        long wBar = (long) Math.rint(width / (double) factor) * factor;
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt(area / (double) maxPixels);
            hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
            wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt(minPixels / (double) area);
            hBar = (long) Math.ceil(height * beta / factor) * factor;
            wBar = (long) Math.ceil(width * beta / factor) * factor;
        }
        if (hBar > Integer.MAX_VALUE || wBar > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the resized size must fit in an int, but is: " + hBar + "x" + wBar);
        }
        return new ImageSize((int) hBar, (int) wBar);
    }

    /**
     * {@code <|image_pad|>} tokens an image of this size will take, without processing it (transformers'
     * {@code get_number_of_image_patches} / merge²).
     */
    public int imageTokenCount(int height, int width) {
        ImageSize s = resizedSize(height, width);
        int gh = s.height() / config.patchSize();
        int gw = s.width() / config.patchSize();
        return gh * gw / (config.mergeSize() * config.mergeSize());
    }

    /** One image; see {@link #process(List)}. */
    public Qwen2VlVision process(RgbPixels image) {
        Objects.requireNonNull(image, "image");
        return process(List.of(image));
    }

    /**
     * Preprocesses still images, each at its own size, into one {@code pixel_values} matrix (their patches in input
     * order) and one grid row per image ({@code t} = 1).
     *
     * @throws IllegalArgumentException if the list is empty or holds null, an image cannot be resized (see
     *     {@link #resizedSize}), or the result would exceed a Java array
     */
    public Qwen2VlVision process(List<RgbPixels> images) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images must hold at least 1 image, but holds: 0");
        }
        int n = images.size();
        ImageSize[] sizes = new ImageSize[n];
        long totalValues = 0;
        int patch = config.patchSize();
        int patchDim = config.patchDim();
        for (int i = 0; i < n; i++) {
            RgbPixels image = images.get(i);
            if (image == null) {
                throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
            }
            try {
                sizes[i] = resizedSize(image.height(), image.width());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("images[" + i + "] (" + image.width() + "x" + image.height()
                        + "): " + e.getMessage(), e);
            }
            totalValues += (long) (sizes[i].height() / patch) * (sizes[i].width() / patch) * patchDim;
        }
        if (totalValues > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("pixel_values for these " + n + " images must fit in one Java array ("
                    + (Integer.MAX_VALUE - 8) + " values), but would need: " + totalValues
                    + "; lower max_pixels or process fewer images at once");
        }
        float[] out = new float[(int) totalValues];
        long[] grid = new long[3 * n];
        int offset = 0;
        for (int i = 0; i < n; i++) {
            RgbPixels image = images.get(i);
            ImageSize s = sizes[i];
            int[] rgb = image.unsafeRgb();
            if (s.height() != image.height() || s.width() != image.width()) {
                rgb = PilResize.resize(rgb, image.width(), image.height(), s.width(), s.height(), config.resample());
            }
            int gh = s.height() / patch;
            int gw = s.width() / patch;
            offset = patchify(rgb, s.width(), gh, gw, out, offset);
            grid[3 * i] = 1;
            grid[3 * i + 1] = gh;
            grid[3 * i + 2] = gw;
        }
        return new Qwen2VlVision(out, patchDim, grid, config.mergeSize());
    }

    /** Steps 3–5 for one resized image; returns the offset after its rows. */
    private int patchify(int[] rgb, int width, int gh, int gw, float[] out, int offset) {
        int p = config.patchSize();
        int m = config.mergeSize();
        int frames = config.temporalPatchSize();
        int square = p * p;
        int pos = offset;
        for (int bh = 0; bh < gh / m; bh++) {
            for (int bw = 0; bw < gw / m; bw++) {
                for (int mh = 0; mh < m; mh++) {
                    for (int mw = 0; mw < m; mw++) {
                        int y0 = (bh * m + mh) * p;
                        int x0 = (bw * m + mw) * p;
                        for (int c = 0; c < 3; c++) {
                            int shift = 16 - 8 * c;
                            int lutBase = c * 256;
                            int first = pos;
                            for (int py = 0; py < p; py++) {
                                int src = (y0 + py) * width + x0;
                                for (int px = 0; px < p; px++) {
                                    out[pos++] = lut[lutBase + ((rgb[src + px] >> shift) & 0xFF)];
                                }
                            }
                            // a still image: every frame of the temporal patch is the same picture
                            for (int f = 1; f < frames; f++) {
                                System.arraycopy(out, first, out, pos, square);
                                pos += square;
                            }
                        }
                    }
                }
            }
        }
        return pos;
    }

    @Override
    public String toString() {
        return "Qwen2VlImageProcessor[" + config + "]";
    }
}
