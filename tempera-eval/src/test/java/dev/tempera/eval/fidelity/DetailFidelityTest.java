package dev.tempera.eval.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.shapes.Attribute;
import dev.tempera.shapes.AttributeType;
import dev.tempera.shapes.Position;
import dev.tempera.shapes.Prf;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.ShapeColor;
import dev.tempera.shapes.ShapeKind;
import dev.tempera.shapes.Size;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scene has 9 true attributes: the blue background, and kind, colour, size and position of a large red circle
 * on the left and a small yellow square at the bottom.
 *
 * <p>Bad inputs tried: a null scene, a null description, FidelityScore / ChairScore / FidelitySummary with
 * impossible counts.
 */
class DetailFidelityTest {

    private static final Scene TRUTH = Scene.of(ShapeColor.BLUE,
            new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT),
            new Shape(ShapeKind.SQUARE, ShapeColor.YELLOW, Size.SMALL, Position.BOTTOM));

    private static final String CORRECT =
            "A large red circle on the left and a small yellow square at the bottom, on a blue background.";
    private static final String WRONG_COLOUR =
            "A large green circle on the left and a small yellow square at the bottom, on a blue background.";

    @Test
    void correctDescriptionIsFullyFaithful() {
        FidelityScore s = DetailFidelity.score(TRUTH, CORRECT);
        // all 9 attributes stated and true
        assertThat(s.attributes()).isEqualTo(new Prf(9, 9, 9));
        assertThat(s.f1()).isEqualTo(1.0);
        assertThat(s.hallucinationRate()).isZero();
        assertThat(s.objectMentions()).isEqualTo(2);
        assertThat(s.chairI()).isZero();
    }

    @Test
    void wrongColourLowersDetailFidelity() {
        FidelityScore s = DetailFidelity.score(TRUTH, WRONG_COLOUR);
        // 9 stated, 8 true: precision = recall = F1 = 8/9; "green" is the one hallucinated attribute
        assertThat(s.attributes()).isEqualTo(new Prf(8, 9, 9));
        assertThat(s.f1()).isCloseTo(8.0 / 9, within(1e-12));
        assertThat(s.hallucinationRate()).isCloseTo(1.0 / 9, within(1e-12));
        assertThat(s.hallucinated()).containsExactly(new Attribute(0, AttributeType.COLOR, "green"));
        assertThat(s.byType().get(AttributeType.COLOR)).isEqualTo(new Prf(1, 2, 2));
        // the circle is still a circle: no object hallucination
        assertThat(s.chairI()).isZero();
        assertThat(s.f1()).isLessThan(DetailFidelity.score(TRUTH, CORRECT).f1());
    }

    @Test
    void chineseDescriptionIsScoredThroughTheSameParser() {
        FidelityScore s = DetailFidelity.score(TRUTH, "蓝色背景上，左边有一个大的红色圆形，底部有一个小的黄色正方形。");
        assertThat(s.attributes()).isEqualTo(new Prf(9, 9, 9));
        FidelityScore wrong = DetailFidelity.score(TRUTH, "蓝色背景上，左边有一个大的绿色圆形，底部有一个小的黄色正方形。");
        assertThat(wrong.attributes()).isEqualTo(new Prf(8, 9, 9));
    }

    @Test
    void objectNotInTheSceneIsAHallucinatedObject() {
        FidelityScore s = DetailFidelity.score(TRUTH, "a red circle and a purple star");
        // stated: red, circle, purple, star (4); true: red, circle (2) -> precision 1/2, recall 2/9
        assertThat(s.attributes()).isEqualTo(new Prf(2, 4, 9));
        // object mentions circle, star; the scene has no star -> CHAIR_i of this caption 1/2
        assertThat(s.objectMentions()).isEqualTo(2);
        assertThat(s.hallucinatedObjects()).isEqualTo(1);
        assertThat(s.chairI()).isEqualTo(0.5);
        assertThat(s.hallucinatesAnObject()).isTrue();
    }

    @Test
    void repeatedMentionsOfAPresentKindAreNotHallucinated() {
        // CHAIR works on categories: both circle mentions name a kind the scene holds. The attribute scorer, which
        // matches shapes one-to-one, finds the second circle has no shape left: its kind is a false attribute.
        FidelityScore s = DetailFidelity.score(TRUTH, "a circle, a circle");
        assertThat(s.objectMentions()).isEqualTo(2);
        assertThat(s.hallucinatedObjects()).isZero();
        assertThat(s.attributes()).isEqualTo(new Prf(1, 2, 9));
    }

    @Test
    void blankDescriptionStatesNothing() {
        FidelityScore s = DetailFidelity.score(TRUTH, "  ");
        // nothing stated: precision 1 (nothing false said), recall 0, F1 0
        assertThat(s.attributes()).isEqualTo(new Prf(0, 0, 9));
        assertThat(s.f1()).isZero();
        assertThat(s.hallucinationRate()).isZero();
        assertThat(s.chairI()).isZero();
    }

    @Test
    void chairOverASet() {
        List<FidelityScore> set = List.of(
                DetailFidelity.score(TRUTH, CORRECT),                             // 2 mentions, 0 hallucinated
                DetailFidelity.score(TRUTH, "a red circle and a purple star"),   // 2 mentions, 1 hallucinated
                DetailFidelity.score(TRUTH, "a red triangle and a green triangle")); // 2 mentions, 2 hallucinated
        ChairScore c = ChairScore.of(set);
        // CHAIR_i = (0 + 1 + 2) / (2 + 2 + 2) = 1/2; CHAIR_s = 2 of 3 captions
        assertThat(c).isEqualTo(new ChairScore(3, 2, 6, 3));
        assertThat(c.chairI()).isEqualTo(0.5);
        assertThat(c.chairS()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(ChairScore.of(List.of()).chairI()).isZero();
        assertThat(ChairScore.of(List.of()).chairS()).isZero();
    }

    @Test
    void summaryAveragesMacroAndPoolsMicro() {
        FidelitySummary s = FidelitySummary.of(List.of(DetailFidelity.score(TRUTH, CORRECT),
                DetailFidelity.score(TRUTH, "a red circle and a purple star")));
        // pooled: (9 + 2) true of (9 + 4) stated, 18 present
        assertThat(s.pooled()).isEqualTo(new Prf(11, 13, 18));
        assertThat(s.hallucinationRate()).isCloseTo(2.0 / 13, within(1e-15));
        // macro: precision (1 + 1/2)/2, recall (1 + 2/9)/2, F1 (1 + F1(1/2, 2/9))/2 with F1 = 2PR/(P+R) = 4/13
        assertThat(s.meanPrecision()).isCloseTo(0.75, within(1e-15));
        assertThat(s.meanRecall()).isCloseTo((1 + 2.0 / 9) / 2, within(1e-15));
        assertThat(s.meanF1()).isCloseTo((1 + 4.0 / 13) / 2, within(1e-12));
        assertThat(s.chair().chairS()).isEqualTo(0.5);
        assertThat(FidelitySummary.of(List.of()).meanF1()).isZero();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> DetailFidelity.score(null, "a circle")).isInstanceOf(NullPointerException.class)
                .hasMessage("truth");
        assertThatThrownBy(() -> DetailFidelity.score(TRUTH, (String) null)).isInstanceOf(NullPointerException.class)
                .hasMessage("description");
        assertThatThrownBy(() -> new FidelityScore(new Prf(0, 0, 9), java.util.Map.of(), List.of(), List.of(), 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hallucinatedObjects must be in [0, objectMentions] with objectMentions >= 0, but are: 2 of 1");
        assertThatThrownBy(() -> new ChairScore(2, 3, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("descriptionsWithHallucination must be in [0, descriptions], but is: 3 of 2");
        assertThatThrownBy(() -> new ChairScore(2, 0, 1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hallucinatedMentions must be in [0, objectMentions], but is: 2 of 1");
        assertThatThrownBy(() -> new FidelitySummary(1, new Prf(0, 0, 0), 1.5, 0, 0, new ChairScore(0, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean precision, recall and F1 must be in [0, 1], but one is: 1.5");
    }
}
