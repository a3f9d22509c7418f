package dev.tempera.image.noise;

import java.util.Arrays;
import java.util.Objects;

/** Element counts of tensor shapes, checked against what one Java array can hold. */
final class NoiseShape {

    /** The largest array length HotSpot allocates ({@code Integer.MAX_VALUE - 8}). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private NoiseShape() {}

    /**
     * The number of elements of {@code shape}: the product of its dimensions, 1 for the empty shape (a
     * scalar, like {@code torch.randn(())}) and 0 when any dimension is 0.
     *
     * @throws IllegalArgumentException if a dimension is negative or the product exceeds {@link #MAX_ELEMENTS}
     */
    static int numel(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape[" + i + "] must be >= 0, but is: " + shape[i]
                        + " (shape " + Arrays.toString(shape) + ")");
            }
        }
        long numel = 1;
        for (long dim : shape) {
            if (dim == 0) {
                return 0;
            }
        }
        for (long dim : shape) {
            if (numel > MAX_ELEMENTS / dim) {
                throw tooMany(shape);
            }
            numel *= dim;
        }
        if (numel > MAX_ELEMENTS) {
            throw tooMany(shape);
        }
        return (int) numel;
    }

    private static IllegalArgumentException tooMany(long[] shape) {
        return new IllegalArgumentException("shape " + Arrays.toString(shape)
                + " must have at most " + MAX_ELEMENTS + " elements (one Java array), but has "
                + describeProduct(shape));
    }

    private static String describeProduct(long[] shape) {
        try {
            long product = 1;
            for (long dim : shape) {
                product = Math.multiplyExact(product, dim);
            }
            return String.valueOf(product);
        } catch (ArithmeticException overflow) {
            return "more than " + Long.MAX_VALUE;
        }
    }
}
