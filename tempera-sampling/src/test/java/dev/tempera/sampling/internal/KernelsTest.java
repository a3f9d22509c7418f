package dev.tempera.sampling.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels against the scalar ones on random arrays: lengths that do not fill a vector,
 * ties, -inf entries, and extreme shifts and scales. Run with the incubator module (as surefire
 * does) so that {@link Kernels#best()} is the vector implementation.
 */
class KernelsTest {

    private final Kernels scalar = Kernels.scalar();
    private final Kernels fast = Kernels.best();

    @Test
    void vectorKernelsAreSelectedWhenTheModuleIsPresent() {
        assertThat(fast.name()).isEqualTo("vector");
    }

    @Property(tries = 300, seed = "7")
    void sameResultsAsScalar(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(5) == 0 ? (float) r.nextInt(4) : (float) (r.nextGaussian() * 5);
            if (r.nextInt(20) == 0) {
                a[i] = Float.NEGATIVE_INFINITY;
            }
        }
        float max = scalar.max(a, n);
        assertThat(fast.max(a, n)).isEqualTo(max);
        int from = r.nextInt(n);
        assertThat(fast.firstIndexOf(a, from, n, max)).isEqualTo(scalar.firstIndexOf(a, from, n, max));
        assertThat(fast.firstIndexOf(a, 0, n, max)).isEqualTo(scalar.firstIndexOf(a, 0, n, max)).isNotNegative();
        assertThat(fast.firstIndexOf(a, 0, n, 1234.5f)).isEqualTo(-1);

        float[] cm1 = new float[Kernels.chunks(n)];
        float[] cm2 = new float[Kernels.chunks(n)];
        float[] copy = new float[n];
        assertThat(scalar.maxChunks(a, n, cm1, null)).isEqualTo(max);
        assertThat(fast.maxChunks(a, n, cm2, copy)).isEqualTo(max);
        assertThat(cm2).containsExactly(cm1);
        assertThat(copy).containsExactly(a);
        for (int c = 0; c < cm1.length; c++) {
            float[] chunk = Arrays.copyOfRange(a, c * Kernels.CHUNK, Math.min(n, (c + 1) * Kernels.CHUNK));
            assertThat(cm1[c]).isEqualTo(scalar.max(chunk, chunk.length));
        }

        float shift = max == Float.NEGATIVE_INFINITY ? 0 : max;
        float scale = (float) (0.1 + r.nextDouble() * 10);
        float[] e1 = new float[n];
        float[] e2 = new float[n];
        double[] c1 = new double[(n + Kernels.CHUNK - 1) / Kernels.CHUNK];
        double[] c2 = c1.clone();
        double z1 = scalar.expChunks(a, n, shift, scale, e1, c1);
        double z2 = fast.expChunks(a, n, shift, scale, e2, c2);
        for (int i = 0; i < n; i++) {
            assertThat(e2[i]).isCloseTo(e1[i], within(Math.max(1e-6f, e1[i] * 1e-5f)));
        }
        assertThat(z2).isCloseTo(z1, within(Math.max(1e-9, z1 * 1e-5)));
        for (int c = 0; c < c1.length; c++) {
            assertThat(c2[c]).isCloseTo(c1[c], within(Math.max(1e-9, c1[c] * 1e-5)));
        }
        double[] t1 = new double[2];
        double[] t2 = new double[2];
        scalar.expEntropyTerms(a, n, shift, scale, e1, t1);
        fast.expEntropyTerms(a, n, shift, scale, e2, t2);
        assertThat(t2[0]).isCloseTo(t1[0], within(Math.max(1e-9, t1[0] * 1e-5)));
        assertThat(t2[1]).isCloseTo(t1[1], within(Math.max(1e-6, Math.abs(t1[1]) * 1e-5)));

        float[] d1 = new float[n];
        float[] d2 = new float[n];
        float offset = (float) r.nextGaussian() * 4;
        scalar.negAbsDistance(a, n, scale, offset, d1);
        fast.negAbsDistance(a, n, scale, offset, d2);
        assertThat(d2).containsExactly(d1);

        float[] thresholds = new float[8];
        for (int j = 0; j < 8; j++) {
            thresholds[j] = (float) Math.exp(-j * r.nextDouble() * 3);
        }
        double[] mb1 = new double[8];
        double[] mb2 = new double[8];
        scalar.massAtLeast(e1, e1, n, thresholds, 8, mb1);
        fast.massAtLeast(e1, e1, n, thresholds, 8, mb2);
        for (int j = 0; j < 8; j++) {
            assertThat(mb2[j]).isCloseTo(mb1[j], within(Math.max(1e-9, mb1[j] * 1e-5)));
        }

        float threshold = (float) r.nextGaussian() * 3;
        int[] i1 = new int[n];
        int[] i2 = new int[n];
        float[] v1 = new float[n];
        float[] v2 = new float[n];
        int g1 = scalar.gatherAtLeast(a, n, threshold, i1, v1);
        int g2 = fast.gatherAtLeast(a, n, threshold, i2, v2);
        assertThat(g2).isEqualTo(g1);
        assertThat(Arrays.copyOf(i2, g2)).containsExactly(Arrays.copyOf(i1, g1));

        int k = 1 + r.nextInt(n);
        float[] h = new float[k];
        float[] sorted = a.clone();
        Arrays.sort(sorted);
        assertThat(scalar.kthLargest(a, n, k, h)).isEqualTo(sorted[n - k]);
        assertThat(fast.kthLargest(a, n, k, h)).isEqualTo(sorted[n - k]);
    }

    @Test
    void maxPropagatesNaNSoCallersCanRejectIt() {
        float[] a = new float[100];
        a[73] = Float.NaN;
        assertThat(scalar.max(a, 100)).isNaN();
        assertThat(fast.max(a, 100)).isNaN();
        assertThat(fast.maxChunks(a, 100, new float[1], null)).isNaN();
        float[] big = new float[5000];
        big[4321] = Float.NaN;
        assertThat(fast.maxChunks(big, 5000, new float[Kernels.chunks(5000)], new float[5000])).isNaN();
        assertThat(scalar.maxChunks(big, 5000, new float[Kernels.chunks(5000)], null)).isNaN();
    }

    @Test
    void maskedEntriesGiveExactlyZero() {
        float[] a = {0f, Float.NEGATIVE_INFINITY, -200f};
        float[] e = new float[3];
        double z = fast.expChunks(a, 3, 0f, 1f, e, new double[1]);
        assertThat(e).containsExactly(1f, 0f, 0f);
        assertThat(z).isEqualTo(1.0);
    }
}
