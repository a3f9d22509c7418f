package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttributeScorerTest {

    // 1 background + 2 × 4 shape attributes = 9 true attributes.
    private static final Scene TRUTH = Scene.of(ShapeColor.BLUE,
            new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT),
            new Shape(ShapeKind.SQUARE, ShapeColor.YELLOW, Size.SMALL, Position.BOTTOM));

    @Test
    void fullCorrectDescriptionScoresOne() {
        AttributeScore s = AttributeScorer.score(TRUTH, Description.of(TRUTH.reversed()));
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.recall()).isEqualTo(1.0);
        assertThat(s.f1()).isEqualTo(1.0);
        assertThat(s.hallucinated()).isEmpty();
        assertThat(s.missing()).isEmpty();
    }

    @Test
    void shortTrueDescriptionHasFullPrecisionAndPartialRecall() {
        // States 2 attributes (red, circle), both true: precision 1, recall 2/9.
        AttributeScore s = AttributeScorer.score(TRUTH, TextParser.parse("a red circle"));
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.recall()).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(s.f1()).isCloseTo(2 * (2.0 / 9) / (1 + 2.0 / 9), within(1e-12));
        assertThat(s.missing()).hasSize(7);
    }

    @Test
    void wrongColourIsHallucinatedAndTheShapeStillMatchesByKind() {
        // "green circle on the left": kind and position true, colour false -> precision 2/3.
        AttributeScore s = AttributeScorer.score(TRUTH, TextParser.parse("a green circle on the left"));
        assertThat(s.overall()).isEqualTo(new Prf(2, 3, 9));
        assertThat(s.hallucinated()).containsExactly(new Attribute(0, AttributeType.COLOR, "green"));
        assertThat(s.byType().get(AttributeType.COLOR)).isEqualTo(new Prf(0, 1, 2));
    }

    @Test
    void extraShapeIsEntirelyHallucinated() {
        AttributeScore s = AttributeScorer.score(TRUTH,
                TextParser.parse("a red circle, a yellow square and a purple star"));
        assertThat(s.hallucinated()).containsExactlyInAnyOrder(
                new Attribute(2, AttributeType.KIND, "star"), new Attribute(2, AttributeType.COLOR, "purple"));
        assertThat(s.overall()).isEqualTo(new Prf(4, 6, 9));
    }

    @Test
    void wrongBackgroundIsHallucinatedAndMissing() {
        AttributeScore s = AttributeScorer.score(TRUTH, TextParser.parse("a green background"));
        assertThat(s.hallucinated()).containsExactly(new Attribute(-1, AttributeType.BACKGROUND, "green"));
        assertThat(s.missing()).contains(new Attribute(-1, AttributeType.BACKGROUND, "blue"));
        assertThat(s.precision()).isEqualTo(0.0);
        assertThat(s.f1()).isEqualTo(0.0);
    }

    @Test
    void promptIsSatisfiedWhenEveryStatedAttributeHoldsAndShapeCountsAgree() {
        ImageCheck image = ImageCheck.known(TRUTH);
        assertThat(AttributeScorer.promptSatisfied(TextParser.parse("a red circle and a yellow square"), image)).isTrue();
        assertThat(AttributeScorer.promptSatisfied(TextParser.parse("a red circle"), image))
                .as("the image has an unrequested second shape").isFalse();
        assertThat(AttributeScorer.promptSatisfied(TextParser.parse("a red circle and a yellow star"), image)).isFalse();
        assertThat(AttributeScorer.promptSatisfied(TextParser.parse("a blue background"), image))
                .as("a prompt without shapes").isFalse();
        assertThat(AttributeScorer.promptSatisfied(TextParser.parse("a red circle"), ImageCheck.unknown("noise")))
                .isFalse();
    }

    @Test
    void nothingStatedMeansPrecisionOneRecallZero() {
        AttributeScore s = AttributeScorer.score(TRUTH, new Description(Optional.empty(), java.util.List.of()));
        assertThat(s.precision()).isEqualTo(1.0);
        assertThat(s.recall()).isEqualTo(0.0);
        assertThat(s.f1()).isEqualTo(0.0);
    }
}
