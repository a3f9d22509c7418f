package dev.tempera.eval.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ShapesClip;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.SceneSampler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three image-diversity measures on shapes-clip (real ONNX Runtime) and rendered Shapes-world scenes. */
class ImageDiversityTest {

    private final ClipModel clip = ShapesClip.model();

    @Test
    void identicalImagesHaveNoDiversityOnAnyMeasure() {
        BufferedImage img = Renderer.render(SceneSampler.sample(6, 0));
        ImageDiversityReport r = ImageDiversity.measure(clip, Collections.nCopies(4, img));
        // same pixels → same embedding → cos 1 → distance 0 (PairwiseCosine clamps rounding below 0);
        // a rank-1 kernel has one eigenvalue 1 → Vendi exp(0) = 1
        assertThat(r.clipMeanCosineDistance()).isCloseTo(0.0, within(1e-6));
        assertThat(r.clipVendi()).isCloseTo(1.0, within(1e-6));
        assertThat(r.pixel().diversity()).isZero();
        assertThat(r.clipVendiPerImage()).isCloseTo(0.25, within(1e-6));
    }

    @Test
    void differentScenesAreDiverseOnEveryMeasure() {
        List<BufferedImage> imgs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            imgs.add(Renderer.render(SceneSampler.sample(6, i)));
        }
        ImageDiversityReport r = ImageDiversity.measure(clip, imgs);
        assertThat(r.images()).isEqualTo(8);
        assertThat(r.clipMeanCosineDistance()).isGreaterThan(0.1).isLessThanOrEqualTo(2.0);
        assertThat(r.clipVendi()).isGreaterThan(2.0).isLessThanOrEqualTo(8.0);
        assertThat(r.pixel().diversity()).isGreaterThan(0.1);
        // half copies: every measure drops
        List<BufferedImage> fewer = new ArrayList<>(imgs.subList(0, 4));
        fewer.addAll(imgs.subList(0, 4));
        ImageDiversityReport d = ImageDiversity.measure(clip, fewer);
        assertThat(d.clipMeanCosineDistance()).isLessThan(r.clipMeanCosineDistance());
        assertThat(d.clipVendi()).isLessThan(r.clipVendi());
        assertThat(d.pixel().diversity()).isLessThan(r.pixel().diversity());
    }

    @Test
    void aSingleImageIsNotNaN() {
        ImageDiversityReport r = ImageDiversity.measure(clip, List.of(Renderer.render(SceneSampler.sample(6, 1))));
        assertThat(r.clipMeanCosineDistance()).isZero();
        assertThat(r.clipVendi()).isEqualTo(1.0);
        assertThat(r.pixel().diversity()).isZero();
    }

    @Test
    void badInputs() {
        // Tried: an empty list, images of two sizes, embeddings that do not match the image count, a Vendi above n.
        assertThatThrownBy(() -> ImageDiversity.measure(clip, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 image, but holds: 0");
        assertThatThrownBy(() -> ImageDiversity.measure(clip, List.of(Renderer.render(SceneSampler.sample(1, 0)),
                Renderer.render(SceneSampler.sample(1, 0), 48))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[1] is: 48x48");
        MsSsimDiversity one = MsSsimDiversity.of(List.of(Renderer.render(SceneSampler.sample(1, 0))));
        assertThatThrownBy(() -> ImageDiversity.fromEmbeddings(new float[][] {{1, 0}, {0, 1}}, one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one row per image (1), but holds: 2");
        assertThatThrownBy(() -> new ImageDiversityReport(1, 0, 1.5, one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clipVendi must be in [1, images=1], but is: 1.5");
    }
}
