package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class Qwen2VlVisionTest {

    @Test
    void countsComeFromTheGrid() {
        // two images: 1 x 4 x 6 = 24 patches (6 tokens with 2x2 merging) and 1 x 2 x 2 = 4 patches (1 token)
        Qwen2VlVision v = new Qwen2VlVision(new float[28 * 5], 5, new long[] {1, 4, 6, 1, 2, 2}, 2);
        assertThat(v.numImages()).isEqualTo(2);
        assertThat(v.totalPatches()).isEqualTo(28);
        assertThat(v.patchCounts()).containsExactly(24, 4);
        assertThat(v.imageTokenCounts()).containsExactly(6, 1);
        assertThat(v.totalImageTokens()).isEqualTo(7);
        assertThat(v.shape()).containsExactly(28, 5);
        assertThat(v.gridShape()).containsExactly(2, 3);
    }

    @Test
    void valuesMustMatchTheGrid() {
        assertThatThrownBy(() -> new Qwen2VlVision(new float[10], 5, new long[] {1, 2, 2}, 2))
                .hasMessage("pixelValues must hold totalPatches x patchDim = 4 x 5 = 20 values for gridThw [1, 2, 2],"
                        + " but holds: 10");
        assertThatThrownBy(() -> new Qwen2VlVision(new float[0], 5, new long[] {1, 2}, 2))
                .hasMessageContaining("3 values (t, h, w) per image");
        assertThatThrownBy(() -> new Qwen2VlVision(new float[15], 5, new long[] {1, 3, 1}, 2))
                .hasMessage("gridThw[0] must be (t, h, w) >= 1 with h and w multiples of mergeSize = 2, but is: (1, 3, 1)");
    }

    @Test
    void isImmutable() {
        float[] values = new float[20];
        long[] grid = {1, 2, 2};
        Qwen2VlVision v = new Qwen2VlVision(values, 5, grid, 2);
        values[0] = 7;
        grid[1] = 4;
        v.pixelValues()[1] = 7;
        v.gridThw()[2] = 9;
        assertThat(v.get(0, 0)).isZero();
        assertThat(v.get(0, 1)).isZero();
        assertThat(v.gridThw()).containsExactly(1, 2, 2);
        assertThatThrownBy(() -> v.buffer().put(0, 1f)).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> v.get(0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
