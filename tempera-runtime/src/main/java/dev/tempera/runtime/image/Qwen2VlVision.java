package dev.tempera.runtime.image;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Qwen2VlImageProcessor} gives for a list of images: the vision encoder's {@code pixel_values} and
 * {@code image_grid_thw} (Qwen2-VL ONNX exports call the latter {@code grid_thw}), and how many
 * {@code <|image_pad|>} tokens each image takes in the prompt.
 *
 * <p>Layout, as transformers builds it: {@code pixelValues} is {@code [totalPatches, patchDim]} row-major, the
 * images' patches one after another in input order. Within an image, rows run over (t, block row, block column,
 * row in block, column in block) — a block being merge × merge patches, the group that becomes one LLM token — and
 * each row holds (channel, frame, y, x) of one patch. {@code gridThw} is {@code [numImages, 3]}: frames (1 for a
 * still image), patch rows, patch columns.
 *
 * <p>Immutable: {@link #pixelValues()} and {@link #gridThw()} copy; {@link #buffer()} is a read-only view without a
 * copy, for wrapping in an ONNX tensor.
 *
 * @param pixelValues totalPatches × patchDim values
 * @param patchDim values per patch row (3 × temporal × patch × patch; 1176 for Qwen2-VL)
 * @param gridThw numImages × 3 values (t, h, w), each ≥ 1, h and w multiples of {@code mergeSize}
 * @param mergeSize patches merged per side into one token (2 for Qwen2-VL)
 */
public record Qwen2VlVision(float[] pixelValues, int patchDim, long[] gridThw, int mergeSize) implements VisionInput {

    public Qwen2VlVision {
        Objects.requireNonNull(pixelValues, "pixelValues");
        Objects.requireNonNull(gridThw, "gridThw");
        if (patchDim < 1) {
            throw new IllegalArgumentException("patchDim must be >= 1, but is: " + patchDim);
        }
        if (mergeSize < 1) {
            throw new IllegalArgumentException("mergeSize must be >= 1, but is: " + mergeSize);
        }
        if (gridThw.length == 0 || gridThw.length % 3 != 0) {
            throw new IllegalArgumentException("gridThw must hold 3 values (t, h, w) per image and at least one image,"
                    + " but holds: " + gridThw.length + " values");
        }
        long patches = 0;
        for (int i = 0; i < gridThw.length; i += 3) {
            long t = gridThw[i];
            long h = gridThw[i + 1];
            long w = gridThw[i + 2];
            if (t < 1 || h < 1 || w < 1 || h % mergeSize != 0 || w % mergeSize != 0) {
                throw new IllegalArgumentException("gridThw[" + i / 3 + "] must be (t, h, w) >= 1 with h and w multiples"
                        + " of mergeSize = " + mergeSize + ", but is: (" + t + ", " + h + ", " + w + ")");
            }
            patches += t * h * w;
        }
        if (patches * patchDim != pixelValues.length) {
            throw new IllegalArgumentException("pixelValues must hold totalPatches x patchDim = " + patches + " x "
                    + patchDim + " = " + patches * patchDim + " values for gridThw " + Arrays.toString(gridThw)
                    + ", but holds: " + pixelValues.length);
        }
        pixelValues = pixelValues.clone();
        gridThw = gridThw.clone();
    }

    /** A copy of the patch values. */
    @Override
    public float[] pixelValues() {
        return pixelValues.clone();
    }

    /** A copy of the (t, h, w) triples. */
    @Override
    public long[] gridThw() {
        return gridThw.clone();
    }

    /** A read-only view of the patch values (no copy). */
    public FloatBuffer buffer() {
        return FloatBuffer.wrap(pixelValues).asReadOnlyBuffer();
    }

    /** The value at (row, column) of {@code [totalPatches, patchDim]}. */
    public float get(int row, int column) {
        Objects.checkIndex(column, patchDim);
        return pixelValues[Math.multiplyExact(row, patchDim) + column];
    }

    @Override
    public int numImages() {
        return gridThw.length / 3;
    }

    /** Rows of {@code pixel_values}. */
    public int totalPatches() {
        return pixelValues.length / patchDim;
    }

    /** {@code [totalPatches, patchDim]}, as ONNX Runtime wants a shape. */
    public long[] shape() {
        return new long[] {totalPatches(), patchDim};
    }

    /** {@code [numImages, 3]}. */
    public long[] gridShape() {
        return new long[] {numImages(), 3};
    }

    /** Patch rows per image: t × h × w. */
    public int[] patchCounts() {
        int[] out = new int[numImages()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) (gridThw[3 * i] * gridThw[3 * i + 1] * gridThw[3 * i + 2]);
        }
        return out;
    }

    /**
     * {@code <|image_pad|>} tokens per image: patches / merge² (the processor replaces each image's single placeholder
     * with this many copies; the encoder emits one embedding per token).
     */
    public int[] imageTokenCounts() {
        int[] out = patchCounts();
        int perToken = mergeSize * mergeSize;
        for (int i = 0; i < out.length; i++) {
            out[i] /= perToken;
        }
        return out;
    }

    /** The sum of {@link #imageTokenCounts()}. */
    public int totalImageTokens() {
        return totalPatches() / (mergeSize * mergeSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Qwen2VlVision v && v.patchDim == patchDim && v.mergeSize == mergeSize
                && Arrays.equals(v.gridThw, gridThw) && Arrays.equals(v.pixelValues, pixelValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(patchDim, mergeSize, Arrays.hashCode(gridThw), Arrays.hashCode(pixelValues));
    }

    @Override
    public String toString() {
        return "Qwen2VlVision[pixelValues=[" + totalPatches() + ", " + patchDim + "], gridThw="
                + Arrays.toString(gridThw) + ", imageTokens=" + Arrays.toString(imageTokenCounts()) + "]";
    }
}
