package dev.tempera.eval.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.SceneSampler;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MsSsimTest {

    /** Smooth radial gradients: A centred, B shifted by (−4, +3) with a little periodic texture. */
    static RgbPixels gradient(boolean shifted, int w, int h) {
        int[] px = new int[w * h];
        int cx = w / 2;
        int cy = h / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 0;
                for (int c = 0; c < 3; c++) {
                    int val = shifted
                            ? ((x - cx + 4) * (x - cx + 4) + (y - cy - 3) * (y - cy - 3)) / 8 + 30 * c + (x * 3 + y * 5) % 7
                            : ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 8 + 30 * c;
                    v = (v << 8) | Math.min(255, val);
                }
                px[y * w + x] = v;
            }
        }
        return new RgbPixels(w, h, px);
    }

    static RgbPixels solid(int w, int h, int level) {
        int[] px = new int[w * h];
        Arrays.fill(px, (level << 16) | (level << 8) | level);
        return new RgbPixels(w, h, px);
    }

    @Test
    void goldenValuesFromAnIndependentFloat64Implementation() {
        // Expected values from a float64 numpy implementation of pytorch-msssim's ms_ssim written for this test (valid
        // separable Gaussian via sliding windows, relu, avg_pool2d with padding side % 2), with the same fallback to
        // fewer scales and renormalised weights; images are the gradients above. Java computes in float: 1e-5.
        assertThat(MsSsim.similarity(gradient(false, 64, 64), gradient(true, 64, 64))).isCloseTo(0.9132648806052795, within(1e-5));
        assertThat(MsSsim.similarity(gradient(false, 37, 23), gradient(true, 37, 23))).isCloseTo(0.7936059991290447, within(1e-5));
        assertThat(MsSsim.similarity(gradient(false, 176, 176), gradient(true, 176, 176))).isCloseTo(0.9559742774469308, within(1e-5));
        assertThat(MsSsim.similarity(gradient(false, 161, 170), gradient(true, 161, 170))).isCloseTo(0.9532831071517799, within(1e-5));
        assertThat(MsSsim.similarity(gradient(false, 11, 11), gradient(true, 11, 11))).isCloseTo(0.6436196856781674, within(1e-5));
        assertThat(MsSsim.similarity(gradient(false, 20, 15), gradient(true, 20, 15))).isCloseTo(0.7330840838429259, within(1e-5));
    }

    @Test
    void constantImagesReduceToTheLuminanceTermByHand() {
        // Flat images have σ = 0, so every contrast-structure term is C2 / C2 = 1 and only the last scale's luminance
        // l = (2·100·150 + C1) / (100² + 150² + C1), C1 = 2.55², remains, raised to that scale's weight:
        // 64×64 → 3 scales, weight 0.3001 / (0.0448 + 0.2856 + 0.3001); 176×176 → 5 scales (176 → 88 → 44 → 22 → 11
        // stays flat), published weight 0.1333. Tolerance 1e-4: like the float32 reference, σ² = G(x²) − μ² cancels
        // ~10⁴ against ~10⁴ in float, leaving ~1e-3 of noise against C2 = 58.5 (5e-5 here).
        double c1 = 2.55 * 2.55;
        double l = (2 * 100 * 150 + c1) / (100 * 100 + 150 * 150 + c1);
        assertThat(MsSsim.similarity(solid(64, 64, 100), solid(64, 64, 150)))
                .isCloseTo(Math.pow(l, 0.3001 / (0.0448 + 0.2856 + 0.3001)), within(1e-4));
        assertThat(MsSsim.similarity(solid(176, 176, 100), solid(176, 176, 150))).isCloseTo(Math.pow(l, 0.1333), within(1e-4));
    }

    @Test
    void identicalImagesScoreExactlyOne() {
        RgbPixels a = RgbPixels.of(Renderer.render(SceneSampler.sample(2, 3)));
        assertThat(MsSsim.similarity(a, a)).isEqualTo(1.0);
        assertThat(MsSsim.similarity(gradient(true, 37, 23), gradient(true, 37, 23))).isEqualTo(1.0);
    }

    @Test
    void fastKernelMatchesTheSlowReference() {
        // Random noise, smooth gradients, rendered scenes, flat images; even and odd sizes; 1 to 5 scales.
        SplittableRandom r = new SplittableRandom(17);
        int[][] sizes = {{64, 64}, {37, 23}, {11, 11}, {24, 41}, {45, 45}, {163, 161}};
        for (int[] s : sizes) {
            RgbPixels noiseA = noise(r, s[0], s[1]);
            RgbPixels noiseB = noise(r, s[0], s[1]);
            RgbPixels mixed = blend(noiseA, gradient(false, s[0], s[1]));
            RgbPixels[][] pairs = {{noiseA, noiseB}, {noiseA, mixed}, {gradient(false, s[0], s[1]), gradient(true, s[0], s[1])},
                {solid(s[0], s[1], 0), solid(s[0], s[1], 255)}, {solid(s[0], s[1], 7), noiseA}};
            for (RgbPixels[] p : pairs) {
                double fast = MsSsim.similarity(p[0], p[1]);
                double slow = MsSsimReference.similarity(p[0], p[1]);
                assertThat(fast).as("%dx%d", s[0], s[1]).isCloseTo(slow, within(2e-5)).isBetween(0.0, 1.0);
            }
        }
        RgbPixels a = RgbPixels.of(Renderer.render(SceneSampler.sample(4, 0)));
        RgbPixels b = RgbPixels.of(Renderer.render(SceneSampler.sample(4, 1)));
        assertThat(MsSsim.similarity(a, b)).isCloseTo(MsSsimReference.similarity(a, b), within(2e-5));
    }

    private static RgbPixels noise(SplittableRandom r, int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(1 << 24);
        }
        return new RgbPixels(w, h, px);
    }

    private static RgbPixels blend(RgbPixels a, RgbPixels b) {
        int[] pa = a.rgb();
        int[] pb = b.rgb();
        int[] out = new int[pa.length];
        for (int i = 0; i < out.length; i++) {
            int v = 0;
            for (int shift = 16; shift >= 0; shift -= 8) {
                v = (v << 8) | ((((pa[i] >> shift) & 0xFF) + 3 * ((pb[i] >> shift) & 0xFF)) / 4);
            }
            out[i] = v;
        }
        return new RgbPixels(a.width(), a.height(), out);
    }

    @Test
    void scalesFollowTheImageSize() {
        // 5 scales need the shorter side > (11 − 1)·2⁴ = 160 (pytorch-msssim's assertion); fewer scales below that.
        assertThat(MsSsim.scales(161, 400)).isEqualTo(5);
        assertThat(MsSsim.scales(160, 160)).isEqualTo(4);
        assertThat(MsSsim.scales(64, 64)).isEqualTo(3);
        assertThat(MsSsim.scales(40, 64)).isEqualTo(2);
        assertThat(MsSsim.scales(11, 11)).isEqualTo(1);
        assertThat(MsSsim.weights(5)).containsExactly(0.0448, 0.2856, 0.3001, 0.2363, 0.1333);
        assertThat(Arrays.stream(MsSsim.weights(3)).sum()).isCloseTo(1.0, within(1e-15));
        assertThat(MsSsim.weights(1)).containsExactly(1.0);
    }

    @Test
    void badInputs() {
        // Tried: images of different sizes, an image below the window (10×40), weights for 0 and 6 scales.
        assertThatThrownBy(() -> MsSsim.similarity(solid(64, 64, 0), solid(64, 32, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one size, but they are 64x64 and 64x32");
        assertThatThrownBy(() -> MsSsim.similarity(solid(10, 40, 0), solid(10, 40, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 11x11")
                .hasMessageContaining("but the image is: 10x40");
        assertThatThrownBy(() -> MsSsim.weights(0)).hasMessageContaining("scales must be in [1, 5], but is: 0");
        assertThatThrownBy(() -> MsSsim.weights(6)).hasMessageContaining("but is: 6");
    }
}
