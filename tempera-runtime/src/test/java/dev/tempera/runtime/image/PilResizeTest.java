package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PilResize} against Pillow's own expected pixels: the hex tables below are the ones Pillow's test suite
 * asserts ({@code Tests/test_image_resample.py}, {@code TestImagingCoreResampleAccuracy} and
 * {@code TestCoreResampleCoefficients}), i.e. what Pillow itself outputs.
 */
class PilResizeTest {

    /**
     * Pillow's {@code make_case}: a grey image filled with 255 − color, the top-left and bottom-right quadrants
     * filled with color.
     */
    private static int[] makeCase(int w, int h, int color) {
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean bright = (x < w / 2 && y < h / 2) || (x >= w / 2 && y >= h / 2);
                int v = bright ? color : 255 - color;
                px[y * w + x] = (v << 16) | (v << 8) | v;
            }
        }
        return px;
    }

    /** Pillow's {@code make_sample}: the top-left quarter from hex, mirrored (and inverted) into the other three. */
    private static int[] makeSample(String hex, int w, int h) {
        String[] vals = hex.trim().split("\\s+");
        int[] s = new int[w * h];
        int qw = w / 2;
        int qh = h / 2;
        for (int y = 0; y < qh; y++) {
            for (int x = 0; x < qw; x++) {
                int v = Integer.parseInt(vals[y * qw + x], 16);
                s[y * w + x] = v;
                s[(h - y - 1) * w + (w - x - 1)] = v;
                s[(h - y - 1) * w + x] = 255 - v;
                s[y * w + (w - x - 1)] = 255 - v;
            }
        }
        return s;
    }

    private static void check(int inSize, int outSize, Resample filter, String hex) {
        int[] out = PilResize.resize(makeCase(inSize, inSize, 0xE1), inSize, inSize, outSize, outSize, filter);
        int[] expected = makeSample(hex, outSize, outSize);
        for (int i = 0; i < out.length; i++) {
            int p = out[i];
            assertThat(new int[] {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF})
                    .as("%s %d->%d pixel %d", filter, inSize, outSize, i)
                    .containsExactly(expected[i], expected[i], expected[i]);
        }
    }

    @Test
    void reduceMatchesPillow() {
        check(8, 4, Resample.BOX, "e1 e1 e1 e1");
        check(8, 4, Resample.BILINEAR, "e1 c9 c9 b7");
        check(8, 4, Resample.HAMMING, "e1 da da d3");
        check(12, 6, Resample.BICUBIC, "e1 e3 d4 e3 e5 d6 d4 d6 c9");
        check(16, 8, Resample.LANCZOS, "e1 e0 e4 d7 e0 df e3 d6 e4 e3 e7 da d7 d6 d9 ce");
    }

    @Test
    void enlargeMatchesPillow() {
        check(2, 4, Resample.BOX, "e1 e1 e1 e1");
        check(2, 4, Resample.BILINEAR, "e1 b0 b0 98");
        check(2, 4, Resample.HAMMING, "e1 d2 d2 c5");
        check(4, 8, Resample.BICUBIC, "e1 e5 ee b9 e5 e9 f3 bc ee f3 fd c1 b9 bc c1 a2");
        check(6, 12, Resample.LANCZOS, "e1 e0 db ed f5 b8 e0 df da ec f3 b7 db db d6 e7 ee b5"
                + " ed ec e6 fb ff bf f5 f4 ee ff ff c4 b8 b7 b4 bf c4 a0");
    }

    @Test
    void hugeReductionKeepsHalfLevelAsPillow() {
        // Pillow's test_reduce: a row of width 400000..400008, left half 254, to width 5 bicubic: pixel 2 is 254 // 2.
        for (int size = 400000; size < 400010; size += 2) {
            int[] px = new int[size];
            for (int x = 0; x < size / 2; x++) {
                px[x] = 254 << 16;
            }
            int[] out = PilResize.resize(px, size, 1, 5, 1, Resample.BICUBIC);
            assertThat((out[2] >> 16) & 0xFF).as("width %d", size).isEqualTo(127);
        }
    }

    @Test
    void constantImagesStayConstant() {
        // Pillow's test_nonzero_coefficients (1280 -> 256 bicubic) and test_box_filter_correct_range (8 -> 100 box)
        int[] flat = new int[1280 * 1280];
        java.util.Arrays.fill(flat, 0x204060);
        assertThat(PilResize.resize(flat, 1280, 1280, 256, 256, Resample.BICUBIC)).containsOnly(0x204060);
        int[] small = new int[8 * 8];
        java.util.Arrays.fill(small, 0x1688FF);
        assertThat(PilResize.resize(small, 8, 8, 100, 100, Resample.BOX)).containsOnly(0x1688FF);
        int[] strip = new int[512 * 9];
        java.util.Arrays.fill(strip, 0x0040FF);
        assertThat(PilResize.resize(strip, 512, 9, 9, 512, Resample.LANCZOS)).containsOnly(0x0040FF);
    }

    @Test
    void fixedPointMatchesADoublePrecisionReference() {
        // The slow reference: the same filters and supports in double, rounded to 8 bits after each pass (ties up).
        // Exact ties are common (a 64 -> 224 bilinear upscale has weights in sevenths) and Pillow's 22-bit rounded
        // weights may sum to a hair under 1, sending a tie down instead of up; a tie in the first pass also shifts
        // the second. So single pixels may differ by 2, and on average by well under 0.1 levels.
        SplittableRandom r = new SplittableRandom(3);
        int[][] sizes = {{37, 23, 64, 64}, {100, 80, 64, 51}, {64, 64, 224, 224}, {5, 7, 3, 2}, {300, 200, 64, 42}};
        for (Resample filter : Resample.values()) {
            for (int[] s : sizes) {
                int[] px = new int[s[0] * s[1]];
                for (int i = 0; i < px.length; i++) {
                    px[i] = r.nextInt(1 << 24);
                }
                int[] fast = PilResize.resize(px, s[0], s[1], s[2], s[3], filter);
                int[] slow = reference(px, s[0], s[1], s[2], s[3], filter);
                long totalDiff = 0;
                for (int i = 0; i < fast.length; i++) {
                    for (int shift = 0; shift <= 16; shift += 8) {
                        int d = Math.abs(((fast[i] >> shift) & 0xFF) - ((slow[i] >> shift) & 0xFF));
                        assertThat(d).as("%s %s pixel %d", filter, java.util.Arrays.toString(s), i).isLessThanOrEqualTo(2);
                        totalDiff += d;
                    }
                }
                assertThat(totalDiff / (3.0 * fast.length)).as("%s %s mean |diff|", filter, java.util.Arrays.toString(s))
                        .isLessThan(0.1);
            }
        }
    }

    private static int[] reference(int[] px, int w, int h, int ow, int oh, Resample f) {
        int[] tmp = w == ow ? px : pass(px, w, h, ow, f, true);
        return h == oh ? tmp : pass(tmp, ow, h, oh, f, false);
    }

    private static int[] pass(int[] in, int w, int h, int out, Resample f, boolean horizontal) {
        int inSize = horizontal ? w : h;
        double scale = (double) inSize / out;
        double fs = Math.max(scale, 1);
        double support = f.support() * fs;
        int ow = horizontal ? out : w;
        int oh = horizontal ? h : out;
        int[] res = new int[ow * oh];
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(center - support + 0.5));
            int hi = Math.min(inSize, (int) Math.floor(center + support + 0.5));
            double[] w8 = new double[hi - lo];
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                w8[i - lo] = f.weight((i - center + 0.5) / fs);
                sum += w8[i - lo];
            }
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                double[] acc = new double[3];
                for (int i = lo; i < hi; i++) {
                    int p = horizontal ? in[line * w + i] : in[i * w + line];
                    double wt = w8[i - lo] / sum;
                    acc[0] += ((p >> 16) & 0xFF) * wt;
                    acc[1] += ((p >> 8) & 0xFF) * wt;
                    acc[2] += (p & 0xFF) * wt;
                }
                int v = 0;
                for (int c = 0; c < 3; c++) {
                    // ties round up, as fixed point does; the 1e-7 absorbs double error on an exact tie
                    v = (v << 8) | (int) Math.max(0, Math.min(255, Math.floor(acc[c] + 0.5 + 1e-7)));
                }
                res[horizontal ? line * ow + o : o * ow + line] = v;
            }
        }
        return res;
    }

    @Test
    void sameSizeIsACopy() {
        int[] px = {1, 2, 3, 4};
        int[] out = PilResize.resize(px, 2, 2, 2, 2, Resample.BICUBIC);
        assertThat(out).containsExactly(1, 2, 3, 4).isNotSameAs(px);
    }

    @Test
    void badInputs() {
        // Tried: a zero output width, a pixel array of the wrong length, PIL code 0 (nearest) and 7 (unknown).
        assertThatThrownBy(() -> PilResize.resize(new int[4], 2, 2, 0, 2, Resample.BICUBIC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive")
                .hasMessageContaining("2x2 -> 0x2");
        assertThatThrownBy(() -> PilResize.resize(new int[3], 2, 2, 1, 1, Resample.BICUBIC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must hold 2x2 = 4 pixels, but holds: 3");
        assertThatThrownBy(() -> Resample.fromPilCode(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 2, 3, 4, 5]").hasMessageContaining("0 nearest is not supported")
                .hasMessageEndingWith("but is: 0");
        assertThatThrownBy(() -> Resample.fromPilCode(7)).hasMessageEndingWith("but is: 7");
        assertThat(Resample.fromPilCode(3)).isEqualTo(Resample.BICUBIC);
    }
}
