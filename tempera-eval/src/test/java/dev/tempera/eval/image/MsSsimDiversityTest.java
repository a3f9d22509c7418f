package dev.tempera.eval.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.SceneSampler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MsSsimDiversityTest {

    private static List<BufferedImage> scenes(long seed, int n) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Renderer.render(SceneSampler.sample(seed, i)));
        }
        return out;
    }

    @Test
    void identicalImagesHaveNoDiversity() {
        BufferedImage img = Renderer.render(SceneSampler.sample(1, 0));
        MsSsimDiversity d = MsSsimDiversity.of(Collections.nCopies(5, img));
        assertThat(d.meanSimilarity()).isEqualTo(1.0);
        assertThat(d.diversity()).isZero();
        assertThat(d.pairs()).isEqualTo(10);
        assertThat(d.scales()).isEqualTo(3);
    }

    @Test
    void differentScenesAreDiverseAndTheMeanIsOverAllPairs() {
        List<BufferedImage> imgs = scenes(12, 6);
        MsSsimDiversity d = MsSsimDiversity.of(imgs);
        double sum = 0;
        for (int i = 0; i < 6; i++) {
            for (int j = i + 1; j < 6; j++) {
                sum += MsSsim.similarity(imgs.get(i), imgs.get(j));
            }
        }
        assertThat(d.pairs()).isEqualTo(15);
        assertThat(d.meanSimilarity()).isCloseTo(sum / 15, within(1e-12));
        assertThat(d.diversity()).isGreaterThan(0.3).isLessThanOrEqualTo(1.0);
        // adding a copy of an image to a set makes it less diverse
        List<BufferedImage> withCopy = new ArrayList<>(imgs);
        withCopy.add(imgs.get(0));
        assertThat(MsSsimDiversity.of(withCopy).diversity()).isLessThan(d.diversity());
    }

    @Test
    void aSingleImageHasZeroDiversityNotNaN() {
        MsSsimDiversity d = MsSsimDiversity.of(scenes(3, 1));
        assertThat(d.images()).isEqualTo(1);
        assertThat(d.pairs()).isZero();
        assertThat(d.diversity()).isZero();
        assertThat(d.meanSimilarity()).isEqualTo(1.0);
    }

    @Test
    void sixtyFourImagesOfSixtyFourPixelsGiveAFiniteScore() {
        // the workload (its time is measured by EvalImageBench, not here)
        MsSsimDiversity d = MsSsimDiversity.of(scenes(77, 64));
        assertThat(d.pairs()).isEqualTo(2016);
        assertThat(d.diversity()).isBetween(0.0, 1.0);
    }

    @Test
    void badInputs() {
        // Tried: an empty list, a null image, two sizes in one set, an image below 11×11.
        assertThatThrownBy(() -> MsSsimDiversity.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 image, but holds: 0");
        assertThatThrownBy(() -> MsSsimDiversity.of(java.util.Arrays.asList(Renderer.render(SceneSampler.sample(1, 0)), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[1] must be an image, but is: null");
        assertThatThrownBy(() -> MsSsimDiversity.of(List.of(Renderer.render(SceneSampler.sample(1, 0)),
                Renderer.render(SceneSampler.sample(1, 1), 32))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must all be 64x64 (the size of images[0]), but images[1] is: 32x32");
        assertThatThrownBy(() -> MsSsimDiversity.ofPixels(List.of(new RgbPixels(8, 8, new int[64]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but the image is: 8x8");
        assertThatThrownBy(() -> new MsSsimDiversity(3, 3, 3, 1.5, -0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meanSimilarity must be in [0, 1], but is: 1.5");
    }
}
