package dev.tempera.image.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Contracts of {@link TorchGenerator} that the goldens do not spell out: shapes, ranges, state handling. */
class TorchGeneratorRandnTest {

    @Test
    void onlyTheElementCountMattersNotTheShape() {
        // torch fills a contiguous tensor in row-major order; the shape never enters the algorithm.
        assertThat(new TorchGenerator(5).randn(4, 8, 8)).containsExactly(new TorchGenerator(5).randn(256));
        assertThat(new TorchGenerator(5).randn(3, 5)).containsExactly(new TorchGenerator(5).randn(15));
    }

    @Test
    void emptyShapeIsAScalarWithOneElement() {
        float[] scalar = new TorchGenerator(8).randn();
        assertThat(scalar).hasSize(1).containsExactly(new TorchGenerator(8).randn(1));
    }

    @Test
    void zeroSizedShapeReturnsNothingAndDrawsNothing() {
        TorchGenerator generator = new TorchGenerator(8);
        assertThat(generator.randn(0, 5)).isEmpty();
        assertThat(generator.randn(20)).containsExactly(new TorchGenerator(8).randn(20));
    }

    @Test
    void negativeDimensionIsRejectedWithItsPosition() {
        assertThatThrownBy(() -> new TorchGenerator(1).randn(2, -3, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape[1] must be >= 0, but is: -3 (shape [2, -3, 4])");
    }

    @Test
    void moreElementsThanAJavaArrayHoldsIsRejected() {
        assertThatThrownBy(() -> new TorchGenerator(1).randn(65536, 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [65536, 65536] must have at most 2147483639 elements (one Java array), "
                        + "but has 4294967296");
        assertThatThrownBy(() -> new TorchGenerator(1).randnDouble(1L << 40, 1L << 40))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but has more than 9223372036854775807");
    }

    @Test
    void fillWritesOnlyItsRangeAndMatchesRandn() {
        float[] out = new float[30];
        Arrays.fill(out, Float.NaN);
        new TorchGenerator(12).fillRandn(out, 3, 20);
        assertThat(Arrays.copyOfRange(out, 3, 23)).containsExactly(new TorchGenerator(12).randn(20));
        assertThat(Arrays.copyOfRange(out, 0, 3)).containsOnly(Float.NaN);
        assertThat(Arrays.copyOfRange(out, 23, 30)).containsOnly(Float.NaN);
    }

    @Test
    void fillOfAWholeArrayContinuesTheStreamLikeRandn() {
        // generator::fillRandn is what a scheduler's per-step noise callback receives.
        TorchGenerator generator = new TorchGenerator(12);
        TorchGenerator twin = new TorchGenerator(12);
        float[] step = new float[256];
        for (int i = 0; i < 3; i++) {
            generator.fillRandn(step);
            assertThat(step).containsExactly(twin.randn(1, 4, 8, 8));
        }
    }

    @Test
    void fillRejectsRangesOutsideTheArray() {
        TorchGenerator generator = new TorchGenerator(1);
        float[] out = new float[10];
        assertThatThrownBy(() -> generator.fillRandn(out, 5, 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("offset and count must satisfy 0 <= offset, 0 <= count, offset + count <= out.length "
                        + "(10), but are: offset 5, count 6");
        assertThatThrownBy(() -> generator.fillRandn(out, -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.fillRandnDouble(new double[4], 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator.fillRandn(null, 0, 0)).isInstanceOf(NullPointerException.class)
                .hasMessage("out");
    }

    @Test
    void lastBlockOfAnUnalignedTensorIsRedrawnNotExtended() {
        // randn(17): blocks of 16 first (element 0 pairs with element 8 as in randn(16)), then 16 fresh
        // uniforms overwrite elements 1..16 and are transformed again.
        float[] seventeen = new TorchGenerator(21).randn(17);
        float[] sixteen = new TorchGenerator(21).randn(16);
        assertThat(seventeen[0]).isEqualTo(sixteen[0]);
        assertThat(Arrays.copyOfRange(seventeen, 1, 16)).isNotEqualTo(Arrays.copyOfRange(sixteen, 1, 16));
    }

    @Test
    void scalarPathCachesTheSecondValueAcrossCalls() {
        // randn(2) in one call and randn(1) twice consume the same Box-Muller pair.
        TorchGenerator oneCall = new TorchGenerator(4);
        TorchGenerator twoCalls = new TorchGenerator(4);
        float[] pair = oneCall.randn(2);
        assertThat(new float[] {twoCalls.randn(1)[0], twoCalls.randn(1)[0]}).containsExactly(pair);
    }

    @Test
    void vectorPathNeitherReadsNorClearsTheCache() {
        TorchGenerator generator = new TorchGenerator(4);
        float first = generator.randn(1)[0];
        generator.randn(32);
        float cached = generator.randn(1)[0];
        assertThat(new float[] {first, cached}).containsExactly(new TorchGenerator(4).randn(2));
    }

    @Test
    void manualSeedRestartsTheStreamAndDropsTheCache() {
        TorchGenerator generator = new TorchGenerator(4);
        generator.randn(1); // leaves the pair's second value cached
        assertThat(generator.manualSeed(4)).isSameAs(generator);
        assertThat(generator.randn(3)).containsExactly(new TorchGenerator(4).randn(3));
    }

    @Test
    void copyContinuesIdenticallyAndIndependently() {
        TorchGenerator generator = new TorchGenerator(6);
        generator.randn(3); // engine advanced and a value cached
        TorchGenerator copy = generator.copy();
        float[] fromOriginal = generator.randn(5);
        generator.randn(40);
        assertThat(copy.randn(5)).containsExactly(fromOriginal);
        assertThat(copy.initialSeed()).isEqualTo(6);
    }

    @Test
    void unsignedPythonSeedsAboveTwoToThe63AreTheirNegativeLongs() {
        // Python manual_seed(2**63) and manual_seed(-2**63) both store bits 0x8000000000000000.
        TorchGenerator generator = new TorchGenerator(Long.MIN_VALUE);
        assertThat(Long.toUnsignedString(generator.initialSeed())).isEqualTo("9223372036854775808");
        assertThat(generator.randn(20)).containsExactly(new TorchGenerator(0).randn(20));
    }
}
