package dev.tempera.eval.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.shapes.Language;
import dev.tempera.shapes.SceneSampler;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ClipScore#imageEmbeddingsAgainstPrompt}: scoring images embedded once, for callers who need the rows too. */
class ClipScoreFromEmbeddingsTest {

    private final ClipModel clip = ShapesClip.model();
    // Hessel's prefix, so the prompt's encoding is not the plain one: the prefix must be applied on this path too.
    private final ClipScore clipScore = new ClipScore(clip, ClipScoreOptions.defaults().withPrefix("A photo depicts "));

    /** Five renders (seed 61): scene 0 matches the prompt, the others do not, so the scores differ. */
    private static List<BufferedImage> images() {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            images.add(ShapesClip.render(SceneSampler.sample(61, i)));
        }
        return images;
    }

    private static String prompt() {
        return ShapesClip.caption(SceneSampler.sample(61, 0), Language.EN);
    }

    /** A prompt over CLIP's 75 tokens, so the sentence-mean pieces are scored against the rows as well. */
    private static String longPrompt() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            parts.add(ShapesClip.caption(SceneSampler.sample(61, i), Language.EN) + ".");
        }
        return String.join(" ", parts);
    }

    @Test
    void modelsEmbeddingsScoreExactlyAsTheImagesThemselves() {
        List<BufferedImage> images = images();
        float[][] rows = clip.embedImages(images);
        for (String prompt : List.of(prompt(), longPrompt())) {
            ClipScores fromRows = clipScore.imageEmbeddingsAgainstPrompt(rows, prompt);
            // the same vision-tower batch and the same prompt encoding: bit for bit the same record
            assertThat(fromRows).isEqualTo(clipScore.imagesAgainstPrompt(images, prompt));
        }
        assertThat(clipScore.imageEmbeddingsAgainstPrompt(rows, longPrompt()).truncatedPairs()).isEqualTo(5);
    }

    @Test
    void agreesWithScoringEachPairOnItsOwn() {
        // scorePairs embeds the prompt once per image, in one text batch: a path that shares no loop with this one.
        // Only ORT's batch arithmetic can differ, so the bound is float rounding, far below the 0.001 printed.
        List<BufferedImage> images = images();
        ClipScores fromRows = clipScore.imageEmbeddingsAgainstPrompt(clip.embedImages(images), prompt());
        ClipScores pairs = clipScore.scorePairs(images, Collections.nCopies(images.size(), prompt()));
        for (int i = 0; i < images.size(); i++) {
            assertThat(fromRows.pairs().get(i).score()).isCloseTo(pairs.pairs().get(i).score(), within(1e-6));
        }
        // scene 0 is the prompt's own: it must stand out, or the comparison above compared near-equal numbers
        assertThat(fromRows.pairs().get(0).score()).isGreaterThan(fromRows.mean());
    }

    @Test
    void rawProjectionsScoreAsTheirUnitLengthRows() {
        // The cosine ignores length: rows scaled by 0.01 and 37 (as an export's raw projections might be) score the
        // same up to float rounding.
        List<BufferedImage> images = images();
        float[][] unit = clip.embedImages(images);
        float[][] raw = new float[unit.length][];
        for (int i = 0; i < unit.length; i++) {
            float scale = i % 2 == 0 ? 0.01f : 37f;
            raw[i] = new float[unit[i].length];
            for (int k = 0; k < unit[i].length; k++) {
                raw[i][k] = unit[i][k] * scale;
            }
        }
        ClipScores expected = clipScore.imageEmbeddingsAgainstPrompt(unit, prompt());
        ClipScores actual = clipScore.imageEmbeddingsAgainstPrompt(raw, prompt());
        for (int i = 0; i < unit.length; i++) {
            assertThat(actual.pairs().get(i).score()).isCloseTo(expected.pairs().get(i).score(), within(1e-6));
        }
    }

    @Test
    void doesNotChangeTheRows() {
        float[][] rows = clip.embedImages(images());
        float[][] copy = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        clipScore.imageEmbeddingsAgainstPrompt(rows, prompt());
        assertThat(rows).isDeepEqualTo(copy);
    }

    @Test
    void badRowsNameTheRowWhatItMustBeAndWhatItIs() {
        float[] row = clip.embedImages(List.of(images().get(0)))[0];
        int dim = row.length;
        assertThatThrownBy(() -> clipScore.imageEmbeddingsAgainstPrompt(new float[0][], "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageEmbeddings must hold at least 1 row, but holds: 0");
        assertThatThrownBy(() -> clipScore.imageEmbeddingsAgainstPrompt(new float[][] {row, null}, "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageEmbeddings[1] must be an embedding, but is: null");
        // a row of another model's width (e.g. ViT-B/32's 512 against shapes-clip's) is caught by its length
        assertThatThrownBy(() -> clipScore.imageEmbeddingsAgainstPrompt(new float[][] {row, new float[dim + 1]}, "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imageEmbeddings[1] must have the model's embedding length " + dim)
                .hasMessageContaining("but has: " + (dim + 1));
        assertThatThrownBy(() -> clipScore.imageEmbeddingsAgainstPrompt(new float[][] {new float[dim]}, "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image embedding is all zeros");
    }
}
