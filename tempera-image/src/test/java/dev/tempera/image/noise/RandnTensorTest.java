package dev.tempera.image.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandnTensorTest {

    @Test
    void listOfOneGeneratorIsTheSingleGeneratorCase() {
        float[] fromList = RandnTensor.randn(List.of(new TorchGenerator(3)), 2, 4, 8, 8);
        assertThat(fromList).containsExactly(new TorchGenerator(3).randn(2, 4, 8, 8));
    }

    @Test
    void eachImageDependsOnlyOnItsOwnGenerator() {
        float[] batch = RandnTensor.randn(List.of(new TorchGenerator(10), new TorchGenerator(11)), 2, 4, 8, 8);
        assertThat(Arrays.copyOfRange(batch, 0, 256)).containsExactly(new TorchGenerator(10).randn(1, 4, 8, 8));
        assertThat(Arrays.copyOfRange(batch, 256, 512)).containsExactly(new TorchGenerator(11).randn(1, 4, 8, 8));
    }

    @Test
    void fillDrawsEachRowFromItsGeneratorLikeRandn() {
        float[] out = new float[3 * 20];
        RandnTensor.fill(List.of(new TorchGenerator(1), new TorchGenerator(2), new TorchGenerator(3)), out);
        float[] expected = RandnTensor.randn(
                List.of(new TorchGenerator(1), new TorchGenerator(2), new TorchGenerator(3)), 3, 20);
        assertThat(out).containsExactly(expected);
        // Rows of 20 take the vector path with a redrawn tail: not the same as one randn(60) split in three.
        assertThat(Arrays.copyOfRange(out, 0, 20)).containsExactly(new TorchGenerator(1).randn(20));
    }

    @Test
    void fillNeedsEqualRows() {
        assertThatThrownBy(() -> RandnTensor.fill(List.of(new TorchGenerator(1), new TorchGenerator(2)), new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("out.length must be a multiple of the number of generators (2), one equal row per image, "
                        + "but is: 5");
    }

    @Test
    void batchSizeMustMatchTheNumberOfGenerators() {
        List<TorchGenerator> three = List.of(new TorchGenerator(1), new TorchGenerator(2), new TorchGenerator(3));
        assertThatThrownBy(() -> RandnTensor.randn(three, 2, 4, 8, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape[0] (the batch size) must equal the number of generators (3), but shape is "
                        + "[2, 4, 8, 8]; pass one generator per image, or a single generator for the whole batch");
        assertThatThrownBy(() -> RandnTensor.randn(three)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atLeastOneGeneratorIsNeeded() {
        assertThatThrownBy(() -> RandnTensor.randn(List.of(), 1, 4, 8, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("generators must hold at least 1 generator, but holds 0");
    }
}
