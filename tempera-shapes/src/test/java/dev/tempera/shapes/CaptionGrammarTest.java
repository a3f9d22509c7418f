package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionGrammarTest {

    private static final Scene ISSUE_EXAMPLE = Scene.of(ShapeColor.BLUE,
            new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT),
            new Shape(ShapeKind.SQUARE, ShapeColor.YELLOW, Size.SMALL, Position.BOTTOM));

    @Test
    void englishDetailedCaptionsIncludeTheIssuesExample() {
        assertThat(CaptionGrammar.all(ISSUE_EXAMPLE, Language.EN, CaptionLevel.DETAILED)).contains(
                "a large red circle on the left of a blue background, and a small yellow square at the bottom",
                "a blue background with a small yellow square near the bottom and a large red circle on the left side");
    }

    @Test
    void chineseDetailedCaptionsIncludeTheIssuesExample() {
        assertThat(CaptionGrammar.all(ISSUE_EXAMPLE, Language.ZH, CaptionLevel.DETAILED))
                .contains("蓝色背景上左边有一个大的红色圆形，底部有一个小的黄色正方形");
    }

    @Test
    void shortCaptionsNameColourAndKind() {
        Scene one = Scene.of(ShapeColor.BLUE, new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT));
        assertThat(CaptionGrammar.all(one, Language.EN, CaptionLevel.SHORT))
                .contains("a red circle", "a red circle on a blue background");
        assertThat(CaptionGrammar.all(one, Language.ZH, CaptionLevel.SHORT)).contains("一个红色圆形");
    }

    @Test
    void articleAgreesWithTheNextWord() {
        Scene s = Scene.of(ShapeColor.BLUE, new Shape(ShapeKind.STAR, ShapeColor.ORANGE, Size.SMALL, Position.TOP));
        assertThat(CaptionGrammar.all(s, Language.EN, CaptionLevel.SHORT)).contains("an orange star");
    }

    @Test
    void everyLevelOffersSeveralPhrasings() {
        for (Language lang : Language.values()) {
            assertThat(CaptionGrammar.all(ISSUE_EXAMPLE, lang, CaptionLevel.SHORT)).hasSizeGreaterThanOrEqualTo(4);
            assertThat(CaptionGrammar.all(ISSUE_EXAMPLE, lang, CaptionLevel.DETAILED)).hasSizeGreaterThanOrEqualTo(16);
        }
    }

    @Test
    void samplingIsReproducibleAndUsesTheChoices() {
        List<String> a = new java.util.ArrayList<>();
        List<String> b = new java.util.ArrayList<>();
        SplittableRandom ra = new SplittableRandom(3);
        SplittableRandom rb = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            a.add(CaptionGrammar.sample(ISSUE_EXAMPLE, Language.EN, CaptionLevel.DETAILED, ra));
            b.add(CaptionGrammar.sample(ISSUE_EXAMPLE, Language.EN, CaptionLevel.DETAILED, rb));
        }
        assertThat(a).isEqualTo(b);
        assertThat(a.stream().distinct().count()).isGreaterThan(16);
    }

    @Test
    void everyDetailedCaptionParsesBackToItsSceneForThousandsOfSeeds() {
        for (int i = 0; i < 2000; i++) {
            Scene scene = SceneSampler.sample(11, i);
            for (Language lang : Language.values()) {
                for (String caption : CaptionGrammar.all(scene, lang, CaptionLevel.DETAILED)) {
                    Description d = TextParser.parse(caption);
                    assertThat(d.toScene()).as("scene %d: %s", i, caption).isPresent();
                    assertThat(d.toScene().get().sameAs(scene)).as("scene %d: %s -> %s", i, caption, d).isTrue();
                }
            }
        }
    }

    @Test
    void everyShortCaptionParsesBackToTrueColoursAndKindsForThousandsOfSeeds() {
        for (int i = 0; i < 2000; i++) {
            Scene scene = SceneSampler.sample(12, i);
            for (Language lang : Language.values()) {
                for (String caption : CaptionGrammar.all(scene, lang, CaptionLevel.SHORT)) {
                    Description d = TextParser.parse(caption);
                    AttributeScore s = AttributeScorer.score(scene, d);
                    assertThat(s.hallucinated()).as("%s -> %s", caption, d).isEmpty();
                    assertThat(d.shapes()).as(caption).hasSameSizeAs(scene.shapes());
                    assertThat(s.byType().get(AttributeType.KIND).recall()).as(caption).isEqualTo(1.0);
                    assertThat(s.byType().get(AttributeType.COLOR).recall()).as(caption).isEqualTo(1.0);
                }
            }
        }
    }
}
