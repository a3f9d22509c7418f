package dev.tempera.shapes;

import static dev.tempera.shapes.Position.CENTRE;
import static dev.tempera.shapes.Position.LEFT;
import static dev.tempera.shapes.Position.RIGHT;
import static dev.tempera.shapes.Position.TOP;
import static dev.tempera.shapes.ShapeColor.BLUE;
import static dev.tempera.shapes.ShapeColor.RED;
import static dev.tempera.shapes.ShapeColor.YELLOW;
import static dev.tempera.shapes.ShapeKind.CIRCLE;
import static dev.tempera.shapes.ShapeKind.SQUARE;
import static dev.tempera.shapes.Size.LARGE;
import static dev.tempera.shapes.Size.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneTest {

    @Test
    void shapeWithTheBackgroundColourIsRejectedNamingTheShape() {
        assertThatThrownBy(() -> Scene.of(RED, new Shape(CIRCLE, RED, LARGE, LEFT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must differ from the background (red)")
                .hasMessageContaining("large red circle at left");
    }

    @Test
    void sceneNeedsOneOrTwoShapes() {
        assertThatThrownBy(() -> new Scene(BLUE, List.of()))
                .hasMessage("shapes must hold 1 to 2 shapes, but holds: 0");
        Shape a = new Shape(CIRCLE, RED, SMALL, LEFT);
        Shape b = new Shape(CIRCLE, RED, SMALL, RIGHT);
        Shape c = new Shape(CIRCLE, RED, SMALL, TOP);
        assertThatThrownBy(() -> new Scene(BLUE, List.of(a, b, c)))
                .hasMessage("shapes must hold 1 to 2 shapes, but holds: 3");
    }

    @Test
    void twoShapesAtOnePositionAreRejected() {
        assertThatThrownBy(() -> Scene.of(BLUE, new Shape(CIRCLE, RED, SMALL, LEFT), new Shape(SQUARE, YELLOW, SMALL, LEFT)))
                .hasMessageContaining("different positions");
    }

    @Test
    void largeShapeInTheCentreLeavesNoRoomBesideIt() {
        // Centre and side anchors are 0.28 apart; a large circle (0.16) and a small one (0.10) leave 0.02 < 0.05.
        assertThatThrownBy(() -> Scene.of(BLUE, new Shape(CIRCLE, RED, LARGE, CENTRE), new Shape(CIRCLE, YELLOW, SMALL, LEFT)))
                .hasMessageContaining("must be at least 0.05 apart")
                .hasMessageContaining("0.020 apart");
    }

    @Test
    void twoSmallShapesFitBesideEachOtherInTheCentre() {
        // 0.28 - 0.10 - 0.10 = 0.08 clearance between two small circles.
        Scene s = Scene.of(BLUE, new Shape(CIRCLE, RED, SMALL, CENTRE), new Shape(CIRCLE, YELLOW, SMALL, LEFT));
        assertThat(s.shapes()).hasSize(2);
    }

    @Test
    void largeSquaresAtAdjacentSidesWouldTouchCornersAndAreRejected() {
        // Circles of the same size fit (0.396 - 0.32 = 0.076), squares' corners reach 1.22 × radius and nearly meet.
        assertThat(Scene.isValid(BLUE, List.of(new Shape(CIRCLE, RED, LARGE, RIGHT), new Shape(CIRCLE, YELLOW, LARGE, TOP))))
                .isTrue();
        assertThat(Scene.isValid(BLUE, List.of(new Shape(SQUARE, RED, LARGE, RIGHT), new Shape(SQUARE, YELLOW, LARGE, TOP))))
                .isFalse();
    }

    @Test
    void shapesListIsCopiedAndUnmodifiable() {
        java.util.ArrayList<Shape> list = new java.util.ArrayList<>(List.of(new Shape(CIRCLE, RED, SMALL, LEFT)));
        Scene s = new Scene(BLUE, list);
        list.add(new Shape(SQUARE, YELLOW, SMALL, RIGHT));
        assertThat(s.shapes()).hasSize(1);
        assertThatThrownBy(() -> s.shapes().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void samplerIsReproducibleAndIndependentOfOrder() {
        Scene later = SceneSampler.sample(1, 999);
        for (int i = 0; i < 999; i++) {
            SceneSampler.sample(1, i);
        }
        assertThat(SceneSampler.sample(1, 999)).isEqualTo(later);
        assertThat(SceneSampler.sample(2, 999)).isNotEqualTo(later);
    }

    @Test
    void samplerReachesEveryValueOfEveryAttribute() {
        EnumSet<ShapeKind> kinds = EnumSet.noneOf(ShapeKind.class);
        EnumSet<ShapeColor> colors = EnumSet.noneOf(ShapeColor.class);
        EnumSet<Size> sizes = EnumSet.noneOf(Size.class);
        EnumSet<Position> positions = EnumSet.noneOf(Position.class);
        int[] counts = new int[3];
        for (int i = 0; i < 2000; i++) {
            Scene s = SceneSampler.sample(5, i);
            counts[s.shapes().size()]++;
            for (Shape shape : s.shapes()) {
                kinds.add(shape.kind());
                colors.add(shape.color());
                sizes.add(shape.size());
                positions.add(shape.position());
            }
        }
        assertThat(kinds).containsExactlyInAnyOrder(ShapeKind.values());
        assertThat(colors).containsExactlyInAnyOrder(ShapeColor.values());
        assertThat(sizes).containsExactlyInAnyOrder(Size.values());
        assertThat(positions).containsExactlyInAnyOrder(Position.values());
        // One or two shapes with equal probability: 1000 expected each, 4 standard deviations is about 90.
        assertThat(counts[1]).isBetween(910, 1090);
    }

    @Test
    void paletteColoursAreAtLeast100Apart() {
        for (ShapeColor a : ShapeColor.values()) {
            for (ShapeColor b : ShapeColor.values()) {
                if (a != b) {
                    double d = Math.sqrt(Math.pow(a.red() - b.red(), 2) + Math.pow(a.green() - b.green(), 2)
                            + Math.pow(a.blue() - b.blue(), 2));
                    assertThat(d).as("%s vs %s", a, b).isGreaterThanOrEqualTo(100);
                }
            }
        }
    }

    @Test
    void sampleMatchingKeepsStatedAttributesAndFillsTheRest() {
        Description d = TextParser.parse("a large red circle on a blue background");
        for (int i = 0; i < 50; i++) {
            Scene s = SceneSampler.sampleMatching(d, new java.util.SplittableRandom(i)).orElseThrow();
            assertThat(s.background()).isEqualTo(BLUE);
            assertThat(s.shapes()).singleElement().satisfies(shape -> {
                assertThat(shape.kind()).isEqualTo(CIRCLE);
                assertThat(shape.color()).isEqualTo(RED);
                assertThat(shape.size()).isEqualTo(LARGE);
            });
        }
    }

    @Test
    void sampleMatchingFindsNothingForAnImpossiblePrompt() {
        Description d = TextParser.parse("a red circle on a red background");
        assertThat(SceneSampler.sampleMatching(d, new java.util.SplittableRandom(1))).isEmpty();
    }

    @Test
    void parseOfNamesFailsWithTheChoices() {
        assertThatThrownBy(() -> ShapeKind.parse("hexagon"))
                .hasMessage("Unknown shape kind 'hexagon'; known: [circle, square, triangle, star, diamond]");
        assertThat(ShapeColor.parse("Grey")).isEqualTo(ShapeColor.GRAY);
        assertThat(Position.parse("center")).isEqualTo(CENTRE);
    }
}
