package dev.tempera.runtime.image;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A batch of images as one channels-first float tensor {@code [batch, channels, height, width]}, ready to become an
 * ONNX {@code pixel_values} input.
 *
 * <p>Immutable: {@link #data()} copies; {@link #buffer()} is a read-only view without a copy.
 *
 * @param data batch × channels × height × width values, batch-major then channel, row, column
 */
public record ImageTensor(float[] data, int batch, int channels, int height, int width) {

    public ImageTensor {
        Objects.requireNonNull(data, "data");
        if (batch < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("tensor dimensions must all be >= 1, but are: [" + batch + ", " + channels
                    + ", " + height + ", " + width + "]");
        }
        if ((long) batch * channels * height * width != data.length) {
            throw new IllegalArgumentException("data must hold " + (long) batch * channels * height * width
                    + " values for [" + batch + ", " + channels + ", " + height + ", " + width + "], but holds: "
                    + data.length);
        }
        data = data.clone();
    }

    /** A copy of the values. */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** A read-only view of the values (no copy). */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** The value at (n, c, y, x). */
    public float get(int n, int c, int y, int x) {
        return data[((n * channels + c) * height + y) * width + x];
    }

    /** {@code [batch, channels, height, width]} as ONNX Runtime wants a shape. */
    public long[] shape() {
        return new long[] {batch, channels, height, width};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageTensor t && t.batch == batch && t.channels == channels && t.height == height
                && t.width == width && java.util.Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batch, channels, height, width, java.util.Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "ImageTensor[" + batch + ", " + channels + ", " + height + ", " + width + "]";
    }
}
