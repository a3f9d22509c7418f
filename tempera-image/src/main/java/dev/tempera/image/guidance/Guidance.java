package dev.tempera.image.guidance;

/**
 * Classifier-free guidance and guidance rescale, as diffusers' Stable Diffusion pipelines apply them between the UNet
 * and the scheduler step. Pure functions on flat float32 arrays: inputs are never modified, {@code out} may be one of
 * the inputs, nothing is allocated, and the arithmetic follows torch's float32 order.
 *
 * <p>The order in a denoising step is: UNet on the batch {@code [uncond..., cond...]} → {@link #classifierFree} →
 * (if {@code guidance_rescale > 0}) {@link #rescale} with the cond half → scheduler step. diffusers turns guidance on
 * only for {@code guidance_scale > 1} (strictly, so 1.0 and 0.0 both mean "cond only", with no uncond pass) and when
 * the UNet has no guidance embedding ({@code time_cond_proj_dim}, LCM-distilled models); deciding that is the
 * pipeline's job, not this class's.
 *
 * <pre>{@code
 * Guidance.classifierFreeFromBatch(noisePred, 7.5, guided);        // noisePred = UNet output on [uncond; cond]
 * Guidance.rescale(guided, noisePred, batch, 0.7, guided);        // the cond half is read from noisePred's 2nd half
 * }</pre>
 */
public final class Guidance {

    private Guidance() {
    }

    /**
     * {@code out = uncond + scale * (cond - uncond)}, element by element ({@code scale} rounded to float32 first, as
     * torch does with a Python float).
     *
     * @throws IllegalArgumentException if the arrays differ in length or {@code scale} is not finite
     */
    public static void classifierFree(float[] uncond, float[] cond, double scale, float[] out) {
        requireFinite("scale", scale);
        requireNonNull(uncond, cond, out);
        if (uncond.length != cond.length || out.length != cond.length) {
            throw new IllegalArgumentException("uncond, cond and out must have the same length, but have: "
                    + uncond.length + ", " + cond.length + ", " + out.length);
        }
        guide(uncond, 0, cond, 0, (float) scale, out, cond.length);
    }

    /**
     * Classifier-free guidance on the UNet output for the batch {@code [uncond..., cond...]}: the first half of
     * {@code noisePred} is the unconditional prediction, the second half the conditional one (diffusers'
     * {@code noise_pred.chunk(2)}). {@code out} holds half as many values; it may not be {@code noisePred}.
     *
     * @throws IllegalArgumentException if {@code noisePred} has an odd length, {@code out} is not half as long, or
     *                                  {@code scale} is not finite
     */
    public static void classifierFreeFromBatch(float[] noisePred, double scale, float[] out) {
        requireFinite("scale", scale);
        requireNonNull(noisePred, out);
        if (noisePred.length % 2 != 0 || out.length * 2 != noisePred.length) {
            throw new IllegalArgumentException("noisePred must hold [uncond; cond] (even length) and out half of it, "
                    + "but their lengths are: " + noisePred.length + ", " + out.length);
        }
        if (out == noisePred) {
            throw new IllegalArgumentException("out must not be the noisePred array");
        }
        guide(noisePred, 0, noisePred, out.length, (float) scale, out, out.length);
    }

    private static void guide(float[] u, int uOffset, float[] c, int cOffset, float g, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            float uncond = u[uOffset + i];
            out[i] = uncond + g * (c[cOffset + i] - uncond);
        }
    }

    /**
     * diffusers' {@code rescale_noise_cfg} (Lin et al. 2023, "Common Diffusion Noise Schedules and Sample Steps are
     * Flawed", section 3.4): for each of the {@code batchSize} items,
     * {@code out = phi * cfg * (std(cond) / std(cfg)) + (1 - phi) * cfg}, with the standard deviations over all of
     * the item's values (unbiased, accumulated in double as torch does on the CPU; the ratio is float32).
     * {@code guidanceRescale = 0} returns {@code noiseCfg} unchanged; 0.7 is the paper's value. An item whose
     * {@code noiseCfg} is constant has std 0, and gives infinities or NaN, as in diffusers.
     *
     * @param noiseCfg        the guided prediction, {@code batchSize} items back to back
     * @param noiseCond       the conditional prediction, laid out like {@code noiseCfg}; or the whole
     *                        {@code [uncond; cond]} UNet output (twice as long), whose second half is then used
     * @param batchSize       the number of items, &gt;= 1, dividing the length
     * @param guidanceRescale phi, in [0, 1]
     * @param out             receives the result; may be {@code noiseCfg}
     * @throws IllegalArgumentException on mismatched lengths, a bad batch size or phi outside [0, 1]
     */
    public static void rescale(float[] noiseCfg, float[] noiseCond, int batchSize, double guidanceRescale,
            float[] out) {
        requireNonNull(noiseCfg, noiseCond, out);
        if (!(guidanceRescale >= 0 && guidanceRescale <= 1)) {
            throw new IllegalArgumentException("guidanceRescale must be in [0, 1], but is: " + guidanceRescale);
        }
        int n = noiseCfg.length;
        if (out.length != n || (noiseCond.length != n && noiseCond.length != 2 * n)) {
            throw new IllegalArgumentException("noiseCond must be as long as noiseCfg (or twice, [uncond; cond]) and "
                    + "out as long as noiseCfg, but the lengths are: " + n + ", " + noiseCond.length + ", "
                    + out.length);
        }
        if (batchSize < 1 || n % batchSize != 0) {
            throw new IllegalArgumentException("batchSize must be >= 1 and divide the length " + n + ", but is: "
                    + batchSize);
        }
        int condOffset = noiseCond.length - n;
        int item = n / batchSize;
        float phi = (float) guidanceRescale;
        float keep = (float) (1 - guidanceRescale);
        for (int b = 0; b < batchSize; b++) {
            int from = b * item;
            float ratio = std(noiseCond, condOffset + from, item) / std(noiseCfg, from, item);
            for (int i = from; i < from + item; i++) {
                float cfg = noiseCfg[i];
                out[i] = phi * (cfg * ratio) + keep * cfg;
            }
        }
    }

    /** torch's unbiased std of a float32 slice: two passes in double, the root rounded to float. */
    private static float std(float[] x, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += x[i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = from; i < from + n; i++) {
            double d = x[i] - mean;
            squares += d * d;
        }
        return (float) Math.sqrt(squares / (n - 1));
    }

    private static void requireFinite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, but is: " + value);
        }
    }

    private static void requireNonNull(float[]... arrays) {
        for (float[] a : arrays) {
            if (a == null) {
                throw new IllegalArgumentException("arrays must not be null");
            }
        }
    }
}
