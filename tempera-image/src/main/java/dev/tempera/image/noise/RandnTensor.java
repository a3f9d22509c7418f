package dev.tempera.image.noise;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * diffusers' {@code randn_tensor(shape, generator)} ({@code src/diffusers/utils/torch_utils.py}) for CPU
 * generators, float32: how a pipeline turns its generator argument into latents or per-step noise.
 *
 * <ul>
 *   <li>One generator (or a list of one): a single {@code randn(shape)} for the whole batch. Image
 *       {@code k > 0} of a batch then depends on the batch size and cannot be reproduced alone.
 *   <li>One generator per image: generator {@code i} draws {@code randn(1, shape[1], ...)} for batch row
 *       {@code i} and the rows are concatenated, so each image depends only on its own generator (and
 *       reproduces at batch size 1).
 * </ul>
 *
 * <pre>{@code
 * List<TorchGenerator> perImage = List.of(new TorchGenerator(10), new TorchGenerator(11));
 * float[] latents = RandnTensor.randn(perImage, 2, 4, 128, 128);
 * }</pre>
 *
 * <p>Advances the generators; not thread-safe for the same reason they are not.
 */
public final class RandnTensor {

    private RandnTensor() {}

    /**
     * Noise of {@code shape} drawn as diffusers draws it from {@code generators}.
     *
     * @throws IllegalArgumentException if {@code generators} is empty, or holds more than one generator and
     *     {@code shape[0]} (the batch size) is not their number; or for a shape {@link TorchGenerator#randn}
     *     rejects
     */
    public static float[] randn(List<TorchGenerator> generators, long... shape) {
        Objects.requireNonNull(generators, "generators");
        int numel = NoiseShape.numel(shape);
        if (generators.isEmpty()) {
            throw new IllegalArgumentException("generators must hold at least 1 generator, but holds 0");
        }
        if (generators.size() == 1) {
            return Objects.requireNonNull(generators.get(0), "generators[0]").randn(shape);
        }
        if (shape.length == 0 || shape[0] != generators.size()) {
            throw new IllegalArgumentException("shape[0] (the batch size) must equal the number of generators ("
                    + generators.size() + "), but shape is " + Arrays.toString(shape)
                    + "; pass one generator per image, or a single generator for the whole batch");
        }
        float[] out = new float[numel];
        fillRows(generators, out);
        return out;
    }

    /**
     * Overwrites {@code out}, a batch of {@code generators.size()} equal rows, as {@link #randn} would fill a
     * tensor of that batch size: row {@code i} from generator {@code i} (one generator fills everything).
     * Allocation-free, for per-step noise.
     *
     * @throws IllegalArgumentException if {@code generators} is empty or {@code out.length} is not a multiple
     *     of their number
     */
    public static void fill(List<TorchGenerator> generators, float[] out) {
        Objects.requireNonNull(generators, "generators");
        Objects.requireNonNull(out, "out");
        if (generators.isEmpty()) {
            throw new IllegalArgumentException("generators must hold at least 1 generator, but holds 0");
        }
        if (out.length % generators.size() != 0) {
            throw new IllegalArgumentException("out.length must be a multiple of the number of generators ("
                    + generators.size() + "), one equal row per image, but is: " + out.length);
        }
        fillRows(generators, out);
    }

    private static void fillRows(List<TorchGenerator> generators, float[] out) {
        int perImage = out.length / generators.size();
        for (int i = 0; i < generators.size(); i++) {
            Objects.requireNonNull(generators.get(i), "generators[" + i + "]")
                    .fillRandn(out, i * perImage, perImage);
        }
    }
}
