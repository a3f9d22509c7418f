package dev.tempera.image.pipeline;

import java.util.Arrays;
import java.util.List;

/**
 * Starting latents to use instead of drawn noise: diffusers' {@code latents=} argument of {@code __call__}, one
 * {@code [channels, height, width]} latent per image, laid out {@code [images, channels, height, width]} (row-major,
 * NCHW). As in diffusers they are unit-scale noise: the pipeline still multiplies them by the scheduler's
 * {@code init_noise_sigma}, and the seeds still drive the noise that stochastic schedulers (Euler a, DDIM with
 * eta &gt; 0, DPM++ SDE, LCM) draw at each step.
 *
 * <pre>{@code
 * InitialLatents start = InitialLatents.of(new long[] {2, 4, 64, 64}, values);   // two 512x512 images
 * sd.generate(ImageRequest.of("a red circle").withSeeds(List.of(0L, 1L)).withLatents(start), StepListener.NONE);
 * }</pre>
 *
 * <p>Immutable: the values are copied in, and {@link #values()} returns a copy. An {@link ImageRequest} checks the
 * shape against its seeds and size ({@code [seeds, 4, height / 8, width / 8]}).
 *
 * @param images the number of images, the first dimension
 * @param channels latent channels (4 for SD 1.x/2.x and SDXL)
 * @param height latent height (image height / 8)
 * @param width latent width (image width / 8)
 * @param values {@code images × channels × height × width} finite float32 values
 */
public record InitialLatents(int images, int channels, int height, int width, float[] values) {

    public InitialLatents {
        if (images < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("latents dimensions must all be >= 1, but the shape is: "
                    + shape(images, channels, height, width));
        }
        if (values == null) {
            throw new IllegalArgumentException("latents values must not be null");
        }
        long count = (long) images * channels * height * width;
        if (values.length != count) {
            throw new IllegalArgumentException("latents of shape " + shape(images, channels, height, width)
                    + " need " + count + " values, but have: " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("latents values must be finite, but value " + i + " is: "
                        + values[i]);
            }
        }
        values = values.clone();
    }

    /**
     * Latents of {@code shape} {@code [images, channels, height, width]}, or {@code [channels, height, width]} for
     * one image (the two shapes a latent .npy file has).
     *
     * @throws IllegalArgumentException for another rank, a dimension below 1 or above {@code Integer.MAX_VALUE}, or
     *     a value count that is not the shape's
     */
    public static InitialLatents of(long[] shape, float[] values) {
        if (shape == null || (shape.length != 4 && shape.length != 3)) {
            throw new IllegalArgumentException("latents shape must be [images, channels, height, width] or "
                    + "[channels, height, width], but is: " + (shape == null ? "null" : Arrays.toString(shape)));
        }
        long[] s = shape.length == 4 ? shape : new long[] {1, shape[0], shape[1], shape[2]};
        for (long d : s) {
            if (d < 1 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("latents dimensions must be in [1, " + Integer.MAX_VALUE
                        + "], but the shape is: " + Arrays.toString(shape));
            }
        }
        return new InitialLatents((int) s[0], (int) s[1], (int) s[2], (int) s[3], values);
    }

    /**
     * One latent per image, each {@code channels × height × width} values, stacked in list order.
     *
     * @throws IllegalArgumentException if the list is empty or an image has the wrong number of values
     */
    public static InitialLatents stack(int channels, int height, int width, List<float[]> perImage) {
        if (perImage == null || perImage.isEmpty()) {
            throw new IllegalArgumentException("latents must hold at least one image, but hold none");
        }
        long perImageSize = (long) channels * height * width;
        if (channels < 1 || height < 1 || width < 1 || perImageSize * perImage.size() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("latents dimensions must all be >= 1 and hold at most "
                    + Integer.MAX_VALUE + " values, but the shape is: "
                    + shape(perImage.size(), channels, height, width));
        }
        int size = (int) perImageSize;
        float[] all = new float[perImage.size() * size];
        for (int i = 0; i < perImage.size(); i++) {
            float[] one = perImage.get(i);
            if (one == null || one.length != size) {
                throw new IllegalArgumentException("latent " + i + " must have " + channels + "x" + height + "x"
                        + width + " = " + size + " values, but has: " + (one == null ? "null" : one.length));
            }
            System.arraycopy(one, 0, all, i * size, size);
        }
        return new InitialLatents(perImage.size(), channels, height, width, all);
    }

    /** A copy of the values, {@code [images, channels, height, width]} row-major. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** The shape as text, {@code [images, channels, height, width]}. */
    public String shape() {
        return shape(images, channels, height, width);
    }

    static String shape(int n, int c, int h, int w) {
        return "[" + n + ", " + c + ", " + h + ", " + w + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitialLatents l && l.images == images && l.channels == channels && l.height == height
                && l.width == width && Arrays.equals(l.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(new int[] {images, channels, height, width}) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "InitialLatents" + shape();
    }
}
