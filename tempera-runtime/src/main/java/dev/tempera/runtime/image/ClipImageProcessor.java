package dev.tempera.runtime.image;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * transformers' {@code CLIPImageProcessor} (the PIL-based one) in Java: turns images into the {@code pixel_values}
 * a CLIP vision tower takes.
 *
 * <p>The steps, in order, each one skipped when its {@code do_*} flag is off:
 * <ol>
 *   <li>convert to 8-bit RGB, dropping alpha ({@link RgbPixels#of});</li>
 *   <li>resize so the shorter side is {@code shortest_edge} (longer side {@code int(edge × long / short)}), or to an
 *       exact size, with Pillow's resampling in 8 bits ({@link PilResize}: bit-identical for bicubic, the CLIP
 *       filter);</li>
 *   <li>centre-crop to {@code crop_size} (top = ⌊(H − h) / 2⌋, left likewise; zero padding when the image is
 *       smaller, as transformers' {@code center_crop});</li>
 *   <li>rescale: value × {@code rescale_factor}, computed in double then rounded to float (numpy's float64 → float32);</li>
 *   <li>normalise: (x − mean) / std in float arithmetic, per channel;</li>
 *   <li>lay out channels-first: {@code [batch, 3, height, width]}.</li>
 * </ol>
 *
 * <p>How close to Python: steps 1–3 are integer-exact for 8-bit input with bicubic, bilinear or box; steps 4–6
 * follow numpy's float32 arithmetic operation for operation, so the tensor should match to the bit — tested
 * against Pillow's own resampling test vectors, not against a run of transformers (none is available here).
 * transformers' "fast" processor (torchvision) resizes differently and may differ by a few levels.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * ClipImageProcessor p = ClipImageProcessor.load(Path.of("models/shapes-clip"));
 * ImageTensor pixels = p.preprocess(List.of(ImageIO.read(file)));   // [1, 3, 64, 64]
 * }</pre>
 */
public final class ClipImageProcessor {

    private final ClipImageProcessorConfig config;
    private final float[] mean = new float[3];
    private final float[] std = new float[3];

    public ClipImageProcessor(ClipImageProcessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        double[] m = config.imageMean();
        double[] s = config.imageStd();
        for (int c = 0; c < 3; c++) {
            // numpy builds the mean/std arrays in the image's dtype, float32
            mean[c] = (float) m[c];
            std[c] = (float) s[c];
        }
    }

    /**
     * Reads {@code preprocessor_config.json} from a model folder, or the file itself.
     *
     * @throws IllegalArgumentException if neither the file nor the folder's file exists
     * @throws IllegalStateException if the file is not valid JSON or holds invalid settings
     */
    public static ClipImageProcessor load(Path fileOrDir) {
        Objects.requireNonNull(fileOrDir, "fileOrDir");
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve("preprocessor_config.json") : fileOrDir;
        return new ClipImageProcessor(ClipImageProcessorConfig.read(file));
    }

    public ClipImageProcessorConfig config() {
        return config;
    }

    /** One image as a {@code [1, 3, H, W]} tensor. */
    public ImageTensor preprocess(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        return preprocess(List.of(image));
    }

    /**
     * A batch as one {@code [N, 3, H, W]} tensor.
     *
     * @throws IllegalArgumentException if the list is empty or holds null, or (without centre crop) the images come
     *     out at different sizes
     */
    public ImageTensor preprocess(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        RgbPixels[] prepared = new RgbPixels[images.size()];
        for (int i = 0; i < prepared.length; i++) {
            BufferedImage image = images.get(i);
            if (image == null) {
                throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
            }
            prepared[i] = resizeAndCrop(RgbPixels.of(image));
        }
        return toTensor(prepared);
    }

    /** As {@link #preprocess(List)}, from pixels already read. */
    public ImageTensor preprocessPixels(List<RgbPixels> images) {
        Objects.requireNonNull(images, "images");
        RgbPixels[] prepared = new RgbPixels[images.size()];
        for (int i = 0; i < prepared.length; i++) {
            RgbPixels image = images.get(i);
            if (image == null) {
                throw new IllegalArgumentException("images[" + i + "] must be an image, but is: null");
            }
            prepared[i] = resizeAndCrop(image);
        }
        return toTensor(prepared);
    }

    /** Steps 2 and 3: the 8-bit image the float steps start from. */
    public RgbPixels resizeAndCrop(RgbPixels image) {
        RgbPixels out = image;
        if (config.doResize()) {
            int[] size = resizedSize(image.width(), image.height());
            int h = size[0];
            int w = size[1];
            if (h != image.height() || w != image.width()) {
                out = new RgbPixels(w, h, PilResize.resize(image.unsafeRgb(), image.width(), image.height(), w, h,
                        config.resample()));
            }
        }
        if (config.doCenterCrop()) {
            out = centerCrop(out, config.cropHeight(), config.cropWidth());
        }
        return out;
    }

    /** {@code {height, width}} after step 2 for an input of this size (transformers' get_resize_output_image_size). */
    public int[] resizedSize(int width, int height) {
        if (!config.doResize()) {
            return new int[] {height, width};
        }
        if (config.shortestEdge() == 0) {
            return new int[] {config.resizeHeight(), config.resizeWidth()};
        }
        int edge = config.shortestEdge();
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        // Python: int(requested_new_short * long / short), float division then truncation
        int newLong = (int) ((double) ((long) edge * longSide) / shortSide);
        return width <= height ? new int[] {newLong, edge} : new int[] {edge, newLong};
    }

    /** transformers' {@code center_crop}: floor-centred, zero-padded where the image is smaller than the crop. */
    static RgbPixels centerCrop(RgbPixels image, int cropHeight, int cropWidth) {
        int h = image.height();
        int w = image.width();
        if (h == cropHeight && w == cropWidth) {
            return image;
        }
        int top = Math.floorDiv(h - cropHeight, 2);
        int left = Math.floorDiv(w - cropWidth, 2);
        // transformers pads to max(size, crop) with ceil((crop - size) / 2) zeros in front and then crops from
        // top + pad; since floor(-d / 2) + ceil(d / 2) = 0, crop row y is always image row top + y (zero outside)
        int[] src = image.unsafeRgb();
        int[] out = new int[cropHeight * cropWidth];
        for (int y = 0; y < cropHeight; y++) {
            int sy = top + y;
            for (int x = 0; x < cropWidth; x++) {
                int sx = left + x;
                out[y * cropWidth + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[sy * w + sx] : 0;
            }
        }
        return new RgbPixels(cropWidth, cropHeight, out);
    }

    private ImageTensor toTensor(RgbPixels[] images) {
        if (images.length == 0) {
            throw new IllegalArgumentException("images must hold at least 1 image, but holds: 0");
        }
        int h = images[0].height();
        int w = images[0].width();
        for (int i = 1; i < images.length; i++) {
            if (images[i].height() != h || images[i].width() != w) {
                throw new IllegalArgumentException("images must all come out at one size to share a batch (turn centre"
                        + " crop on), but images[0] is " + w + "x" + h + " and images[" + i + "] is: "
                        + images[i].width() + "x" + images[i].height());
            }
        }
        int plane = h * w;
        float[] data = new float[images.length * 3 * plane];
        boolean rescale = config.doRescale();
        double factor = config.rescaleFactor();
        boolean normalize = config.doNormalize();
        float[] lut = new float[3 * 256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                float x = rescale ? (float) (v * factor) : (float) v;
                lut[c * 256 + v] = normalize ? (x - mean[c]) / std[c] : x;
            }
        }
        for (int n = 0; n < images.length; n++) {
            int[] px = images[n].unsafeRgb();
            int base = n * 3 * plane;
            for (int i = 0; i < plane; i++) {
                int p = px[i];
                data[base + i] = lut[(p >> 16) & 0xFF];
                data[base + plane + i] = lut[256 + ((p >> 8) & 0xFF)];
                data[base + 2 * plane + i] = lut[512 + (p & 0xFF)];
            }
        }
        return new ImageTensor(data, images.length, 3, h, w);
    }

    @Override
    public String toString() {
        return "ClipImageProcessor[" + config + "]";
    }
}
