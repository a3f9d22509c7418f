package dev.tempera.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.eval.align.ClipScore;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.align.ShapesClip;
import dev.tempera.eval.image.ImageDiversity;
import dev.tempera.eval.image.ImageDiversityReport;
import dev.tempera.shapes.Language;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.SceneSampler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreativityTest {

    @Test
    void isAlignmentTimesVendiAndKeepsBothFactors() {
        // By hand: alignment 0.4 × Vendi 3 = 1.2 of 4 outputs → 0.3 per output.
        Creativity c = Creativity.of(0.4, 3.0, 4);
        assertThat(c.score()).isCloseTo(1.2, within(1e-15));
        assertThat(c.perOutput()).isCloseTo(0.3, within(1e-15));
        assertThat(c.meanAlignment()).isEqualTo(0.4);
        assertThat(c.vendi()).isEqualTo(3.0);
        assertThat(c.outputs()).isEqualTo(4);
    }

    @Test
    void imagesForAPromptCombineClipScoreAndClipVendi() {
        Scene target = SceneSampler.sample(70, 0);
        String prompt = ShapesClip.caption(target, Language.EN);
        List<BufferedImage> copies = Collections.nCopies(4, Renderer.render(target));
        List<BufferedImage> varied = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            varied.add(Renderer.render(SceneSampler.sample(70, i)));
        }
        ClipScore cs = new ClipScore(ShapesClip.model());
        ClipScores aCopies = cs.imagesAgainstPrompt(copies, prompt);
        ImageDiversityReport dCopies = ImageDiversity.measure(ShapesClip.model(), copies);
        Creativity same = Creativity.ofImages(aCopies, dCopies);
        // four copies: Vendi 1, so creativity is just the alignment
        assertThat(same.vendi()).isCloseTo(1.0, within(1e-6));
        assertThat(same.score()).isCloseTo(aCopies.meanAlignment(), within(1e-6));
        Creativity mixed = Creativity.ofImages(cs.imagesAgainstPrompt(varied, prompt), ImageDiversity.measure(ShapesClip.model(), varied));
        assertThat(mixed.vendi()).isGreaterThan(same.vendi());
        assertThat(mixed.meanAlignment()).isLessThan(same.meanAlignment());
        assertThat(mixed.score()).isBetween(0.0, 4.0);
    }

    @Test
    void badInputs() {
        // Tried: alignment 1.5 (a raw CLIPScore instead of score / 2.5), Vendi 0.5 and above K, K = 0, a score that is
        // not the product, factors covering different numbers of images.
        assertThatThrownBy(() -> Creativity.of(1.5, 2, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meanAlignment must be in [0, 1]")
                .hasMessageContaining("but is: 1.5");
        assertThatThrownBy(() -> Creativity.of(0.5, 0.5, 4)).hasMessageContaining("vendi must be in [1, outputs=4], but is: 0.5");
        assertThatThrownBy(() -> Creativity.of(0.5, 5, 4)).hasMessageContaining("but is: 5.0");
        assertThatThrownBy(() -> Creativity.of(0.5, 1, 0)).hasMessageContaining("outputs must be >= 1, but is: 0");
        assertThatThrownBy(() -> new Creativity(0.5, 2, 4, 3)).hasMessageContaining("use Creativity.of");
        BufferedImage img = Renderer.render(SceneSampler.sample(1, 0));
        ClipScores two = new ClipScore(ShapesClip.model()).imagesAgainstPrompt(List.of(img, img), "a red circle");
        ImageDiversityReport one = ImageDiversity.measure(ShapesClip.model(), List.of(img));
        assertThatThrownBy(() -> Creativity.ofImages(two, one)).hasMessageContaining("cover 2 and 1");
    }
}
