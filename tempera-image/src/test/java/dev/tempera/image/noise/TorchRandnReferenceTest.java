package dev.tempera.image.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TorchGenerator} against the slow {@link ReferenceRandn} on many random call sequences. The goldens
 * prove bit-exactness for the cases torch was run on; this covers the bookkeeping in between (every size from
 * 0 to 80, both paths interleaved on one generator, the cache carried across calls, the tail redraw).
 */
class TorchRandnReferenceTest {

    /**
     * float32 vector path vs the double reference: theta is rounded to float (up to ~5e-7 absolute), then
     * scaled by a radius up to ~5.6; a misplaced uniform moves a value by O(1).
     */
    private static final double VECTOR_PATH_TOLERANCE = 1e-5;

    @Test
    void randomCallSequencesFollowTheReferenceModel() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            long seed = random.nextLong();
            TorchGenerator generator = new TorchGenerator(seed);
            ReferenceRandn reference = new ReferenceRandn(seed);
            for (int call = 0; call < 25; call++) {
                int count = random.nextInt(4) == 0 ? random.nextInt(16) : random.nextInt(81);
                float[] actual = generator.randn(count);
                double[] expected = reference.randn(count);
                String where = "seed " + seed + ", call " + call + ", randn(" + count + ")";
                for (int i = 0; i < count; i++) {
                    if (count < TorchGenerator.VECTOR_PATH_MIN) {
                        assertThat(actual[i]).as(where + " [" + i + "], scalar path")
                                .isEqualTo((float) expected[i]);
                    } else {
                        assertThat((double) actual[i]).as(where + " [" + i + "], vector path")
                                .isCloseTo(expected[i], within(VECTOR_PATH_TOLERANCE));
                    }
                }
            }
        }
    }

    @Test
    void float64FollowsTheReferenceModelExactlyOnTheScalarPath() {
        TorchGenerator generator = new TorchGenerator(99);
        ReferenceRandn reference = new ReferenceRandn(99);
        for (int count : new int[] {1, 3, 15, 2, 1, 7}) {
            assertThat(generator.randnDouble(count)).containsExactly(reference.randn(count));
        }
    }
}
