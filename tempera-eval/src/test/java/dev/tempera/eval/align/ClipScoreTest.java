package dev.tempera.eval.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.runtime.tokenizer.ClipTokenizer;
import dev.tempera.shapes.CaptionGrammar;
import dev.tempera.shapes.CaptionLevel;
import dev.tempera.shapes.Language;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.SceneSampler;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.ShapeColor;
import dev.tempera.shapes.ShapeKind;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClipScoreTest {

    private final ClipModel clip = ShapesClip.model();
    private final ClipScore clipScore = new ClipScore(clip);

    // ---------------------------------------------------------------------------------------------------------
    // the formula

    @Test
    void hesselIsTwoAndAHalfTimesTheClampedCosine() {
        // By hand: parallel → cos 1 → 2.5; 60° apart → cos 0.5 → 1.25; orthogonal → 0; opposite → −1 clamped to 0.
        // Lengths do not matter (normalised inside).
        assertThat(ClipScore.hessel(new float[] {3, 0}, new float[] {1, 0}, 2.5)).isEqualTo(2.5);
        assertThat(ClipScore.hessel(new float[] {1, 0}, new float[] {0.5f, (float) Math.sqrt(0.75)}, 2.5))
                .isCloseTo(1.25, within(1e-7));
        assertThat(ClipScore.hessel(new float[] {1, 0}, new float[] {0, 2}, 2.5)).isZero();
        assertThat(ClipScore.hessel(new float[] {1, 1}, new float[] {-1, -1}, 2.5)).isZero();
        assertThat(ClipScore.hessel(new float[] {1, 0}, new float[] {1, 0}, 1.0)).isEqualTo(1.0);
    }

    @Test
    void scoreIsTheFormulaOnTheModelsEmbeddings() {
        BufferedImage img = ShapesClip.render(SceneSampler.sample(3, 0));
        String text = ShapesClip.caption(SceneSampler.sample(3, 0), Language.EN);
        float[] i = clip.embedImages(List.of(img))[0];
        float[] t = clip.embedTexts(List.of(text))[0];
        double cos = 0;
        for (int k = 0; k < i.length; k++) {
            cos += (double) i[k] * t[k];
        }
        TextImageScore s = clipScore.score(img, text);
        assertThat(s.score()).isCloseTo(2.5 * Math.max(cos, 0), within(1e-6));
        assertThat(s.wholeTextScore()).isEqualTo(s.score());
        assertThat(s.tokensCut()).isZero();
        assertThat(s.pieceScores()).containsExactly(s.score());
    }

    // ---------------------------------------------------------------------------------------------------------
    // ranking on the Shapes world

    /** The scene with shape 0's colour (or kind) replaced by the first other value that still makes a valid scene. */
    private static Optional<Scene> swap(Scene scene, boolean colour) {
        Shape s = scene.shapes().get(0);
        List<Object> choices = new ArrayList<>(List.of(colour ? ShapeColor.values() : ShapeKind.values()));
        Collections.rotate(choices, -(1 + (colour ? s.color().ordinal() : s.kind().ordinal())));
        for (Object c : choices) {
            Shape t = colour ? new Shape(s.kind(), (ShapeColor) c, s.size(), s.position())
                    : new Shape((ShapeKind) c, s.color(), s.size(), s.position());
            if (t.equals(s)) {
                continue;
            }
            List<Shape> shapes = new ArrayList<>(scene.shapes());
            shapes.set(0, t);
            if (Scene.isValid(scene.background(), shapes)) {
                return Optional.of(new Scene(scene.background(), shapes));
            }
        }
        return Optional.empty();
    }

    @Test
    void ranksTheTrueCaptionAboveOnesWithAWrongColourOrShape() {
        // 40 scenes (seed 21), English and Chinese detailed captions, each against the same caption template for the
        // scene with shape 0's colour swapped, and with its kind swapped: 160 comparisons. The model card measures 85 %
        // of single-word swaps right (PyTorch, 1,000 held-out scenes); through Tempera's Java path this run gets 131 of
        // 160 (82 %, mean margin 0.41). The bar, 120 (75 %), sits below that and far above a coin's 50 %.
        int right = 0;
        double marginSum = 0;
        for (int i = 0; i < 40; i++) {
            Scene scene = SceneSampler.sample(21, i);
            List<String> texts = new ArrayList<>();
            for (Language lang : Language.values()) {
                String truth = CaptionGrammar.all(scene, lang, CaptionLevel.DETAILED).get(0);
                for (boolean colour : new boolean[] {true, false}) {
                    String lie = CaptionGrammar.all(swap(scene, colour).orElseThrow(), lang, CaptionLevel.DETAILED).get(0);
                    assertThat(lie).isNotEqualTo(truth);
                    texts.add(truth);
                    texts.add(lie);
                }
            }
            ClipScores s = clipScore.descriptionsAgainstImage(ShapesClip.render(scene), texts);
            for (int k = 0; k < texts.size(); k += 2) {
                double margin = s.pairs().get(k).score() - s.pairs().get(k + 1).score();
                marginSum += margin;
                right += margin > 0 ? 1 : 0;
            }
        }
        assertThat(right).isGreaterThanOrEqualTo(120);
        assertThat(marginSum / 160).isGreaterThan(0.2);
    }

    @Test
    void picksTheTrueCaptionAmongOtherScenesCaptions() {
        // Each of 30 images (seed 33) against its own caption and the captions of the 9 next scenes; the model card's
        // top-1 among 10 is 98 %. This run gets 30 of 30; the bar is 26. Each caption and image is embedded once and
        // scored with the formula (shown above to be what ClipScore computes).
        List<Scene> scenes = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < 39; i++) {
            scenes.add(SceneSampler.sample(33, i));
            captions.add(ShapesClip.caption(scenes.get(i), Language.EN));
            if (i < 30) {
                images.add(ShapesClip.render(scenes.get(i)));
            }
        }
        float[][] t = clip.embedTexts(captions);
        float[][] im = clip.embedImages(images);
        int top1 = 0;
        for (int i = 0; i < 30; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (ClipScore.hessel(im[i], t[i + k], 2.5) > ClipScore.hessel(im[i], t[i + best], 2.5)) {
                    best = k;
                }
            }
            top1 += best == 0 ? 1 : 0;
        }
        assertThat(top1).isGreaterThanOrEqualTo(26);
    }

    @Test
    void imagesAgainstTheirPromptBeatImagesOfOtherPrompts() {
        // Four renders of scenes matching one prompt score higher on average against it than four unrelated scenes.
        Scene target = SceneSampler.sample(40, 0);
        String prompt = ShapesClip.caption(target, Language.EN);
        List<BufferedImage> matching = List.of(ShapesClip.render(target), ShapesClip.render(target),
                ShapesClip.render(target), ShapesClip.render(target));
        List<BufferedImage> others = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            others.add(ShapesClip.render(SceneSampler.sample(40, i)));
        }
        ClipScores good = clipScore.imagesAgainstPrompt(matching, prompt);
        ClipScores bad = clipScore.imagesAgainstPrompt(others, prompt);
        assertThat(good.pairs()).hasSize(4);
        assertThat(good.mean()).isGreaterThan(bad.mean());
        assertThat(good.meanAlignment()).isEqualTo(good.mean() / 2.5);
    }

    // ---------------------------------------------------------------------------------------------------------
    // long texts

    private static String longEnglish(int sentences) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sentences; i++) {
            parts.add(ShapesClip.caption(SceneSampler.sample(50, i), Language.EN) + ".");
        }
        return String.join(" ", parts);
    }

    @Test
    void longTextsAreScoredPerSentenceAndReportTheTruncatedScore() {
        BufferedImage img = ShapesClip.render(SceneSampler.sample(50, 0));
        String text = longEnglish(8);
        ClipTokenizer tok = clip.tokenizer();
        int tokens = tok.countTokens(text);
        assertThat(tokens).isGreaterThan(75);
        TextImageScore s = clipScore.score(img, text);
        assertThat(s.textTokens()).isEqualTo(tokens);
        assertThat(s.tokensCut()).isEqualTo(tokens - 75);
        assertThat(s.truncated()).isTrue();
        assertThat(s.policy()).isEqualTo(LongTextPolicy.SENTENCE_MEAN);
        // one piece per sentence, each scored exactly as that sentence alone
        assertThat(s.pieceScores()).hasSize(8);
        List<String> sentences = Sentences.split(text);
        for (int k = 0; k < 8; k++) {
            assertThat(s.pieceScores().get(k)).isCloseTo(clipScore.score(img, sentences.get(k)).score(), within(1e-6));
        }
        assertThat(s.score()).isCloseTo(s.pieceScores().stream().mapToDouble(d -> d).average().orElseThrow(), within(1e-12));
        // the whole-text score is the reference's: the first 75 tokens
        float[] t = clip.embedEncodings(List.of(tok.encode(text)))[0];
        assertThat(s.wholeTextScore()).isCloseTo(ClipScore.hessel(clip.embedImages(List.of(img))[0], t, 2.5), within(1e-6));
        // the first sentence is this image's caption, the others describe other scenes: per-sentence scoring shows it
        assertThat(s.pieceScores().get(0)).isEqualTo(s.pieceScores().stream().mapToDouble(d -> d).max().orElseThrow());
    }

    @Test
    void truncatePolicyScoresTheFirstWindowOnly() {
        BufferedImage img = ShapesClip.render(SceneSampler.sample(50, 0));
        ClipScore truncating = new ClipScore(clip, ClipScoreOptions.defaults().withLongText(LongTextPolicy.TRUNCATE));
        TextImageScore s = truncating.score(img, longEnglish(8));
        assertThat(s.score()).isEqualTo(s.wholeTextScore());
        assertThat(s.pieceScores()).containsExactly(s.wholeTextScore());
        assertThat(s.tokensCut()).isPositive();
    }

    @Test
    void aSentenceLongerThanTheWindowIsCutIntoWindows() {
        // 200 × "red" is one sentence of 200 tokens: windows of 75, 75 and 50 tokens.
        String text = String.join(" ", Collections.nCopies(200, "red"));
        TextImageScore s = clipScore.score(ShapesClip.render(SceneSampler.sample(1, 1)), text);
        assertThat(s.textTokens()).isEqualTo(200);
        assertThat(s.tokensCut()).isEqualTo(125);
        assertThat(s.pieceScores()).hasSize(3);
        // the first two windows are the same 75 × "red", so they score the same
        assertThat(s.pieceScores().get(0)).isEqualTo(s.pieceScores().get(1));
    }

    @Test
    void longChineseTextsSplitAtFullWidthStops() {
        Scene scene = SceneSampler.sample(60, 0);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            parts.add(ShapesClip.caption(SceneSampler.sample(60, i), Language.ZH) + "。");
        }
        String text = String.join("", parts);
        assertThat(clip.tokenizer().countTokens(text)).isGreaterThan(75);
        TextImageScore s = clipScore.score(ShapesClip.render(scene), text);
        assertThat(s.truncated()).isTrue();
        assertThat(s.pieceScores()).hasSize(30);
        assertThat(s.pieceScores().get(0)).isCloseTo(clipScore.score(ShapesClip.render(scene), parts.get(0)).score(),
                within(1e-6));
    }

    @Test
    void hesselOptionsAddTheReferencePrefixAndCountItsTokens() {
        ClipScore hessel = new ClipScore(clip, ClipScoreOptions.hessel());
        String text = "a red circle";
        TextImageScore s = hessel.score(ShapesClip.render(SceneSampler.sample(1, 2)), text);
        int prefix = clip.tokenizer().countTokens(ClipScoreOptions.HESSEL_PREFIX);
        assertThat(prefix).isPositive();
        assertThat(s.textTokens()).isEqualTo(prefix + 3);
        assertThat(s.policy()).isEqualTo(LongTextPolicy.TRUNCATE);
    }

    // ---------------------------------------------------------------------------------------------------------
    // edge cases

    @Test
    void edgeCasesAreFiniteAndInRange() {
        // empty text, whitespace, punctuation only, a single image, mixed scripts, emoji, a 2,000-character text
        SplittableRandom r = new SplittableRandom(8);
        BufferedImage img = ShapesClip.render(SceneSampler.sample(8, 0));
        List<String> texts = new ArrayList<>(List.of("", "   ", "...!!!", "红色circle在left边 🙂", "x".repeat(2000),
                "一个红色的圆形。" + "。".repeat(100)));
        for (int i = 0; i < 20; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < r.nextInt(300); k++) {
                sb.appendCodePoint(r.nextBoolean() ? 0x20 + r.nextInt(95) : 0x4E00 + r.nextInt(500));
            }
            texts.add(sb.toString());
        }
        ClipScores s = clipScore.descriptionsAgainstImage(img, texts);
        assertThat(s.pairs()).hasSize(texts.size());
        for (TextImageScore p : s.pairs()) {
            assertThat(p.score()).isBetween(0.0, 2.5);
            assertThat(p.wholeTextScore()).isBetween(0.0, 2.5);
            for (double d : p.pieceScores()) {
                assertThat(d).isBetween(0.0, 2.5);
            }
        }
        assertThat(s.mean()).isBetween(0.0, 2.5);
        assertThat(s.pairs().get(0).textTokens()).isZero();
        ClipScores single = clipScore.imagesAgainstPrompt(List.of(img), "a red circle");
        assertThat(single.mean()).isEqualTo(single.pairs().get(0).score());
    }

    @Test
    void badInputsNameTheInputTheRangeAndTheValue() {
        // Tried: pairs of unequal length, empty image and text lists, a null text, a null image, weight 0 and NaN,
        // a prefix that fills the whole window, a ClipScores whose mean is not its pairs' mean.
        BufferedImage img = ShapesClip.render(SceneSampler.sample(1, 0));
        assertThatThrownBy(() -> clipScore.scorePairs(List.of(img, img), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 images and 1 texts");
        assertThatThrownBy(() -> clipScore.imagesAgainstPrompt(List.of(), "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images must hold at least 1 item, but holds: 0");
        assertThatThrownBy(() -> clipScore.descriptionsAgainstImage(img, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("descriptions must hold at least 1");
        assertThatThrownBy(() -> clipScore.descriptionsAgainstImage(img, java.util.Arrays.asList("a", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1] must be a string, but is: null");
        assertThatThrownBy(() -> clipScore.scorePairs(java.util.Arrays.asList(img, null), List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("images[1] must be an image, but is: null");
        assertThatThrownBy(() -> new ClipScoreOptions(0, "", LongTextPolicy.TRUNCATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight must be finite and > 0")
                .hasMessageContaining("but is: 0.0");
        assertThatThrownBy(() -> ClipScore.hessel(new float[] {1}, new float[] {1}, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but is: NaN");
        assertThatThrownBy(() -> ClipScore.hessel(new float[] {1, 0}, new float[] {0, 0}, 2.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text embedding is all zeros");
        ClipScore longPrefix = new ClipScore(clip, ClipScoreOptions.defaults().withPrefix("red ".repeat(80)));
        assertThatThrownBy(() -> longPrefix.score(img, "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix must leave room")
                .hasMessageContaining("takes 80 tokens");
        TextImageScore one = new TextImageScore(1, 1, 3, 0, List.of(1.0), LongTextPolicy.TRUNCATE);
        assertThatThrownBy(() -> new ClipScores(List.of(one), 2.5, 0.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use ClipScores.of");
        assertThatThrownBy(() -> new TextImageScore(Double.NaN, 1, 3, 0, List.of(1.0), LongTextPolicy.TRUNCATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("score must be a finite score >= 0, but is: NaN");
    }
}
