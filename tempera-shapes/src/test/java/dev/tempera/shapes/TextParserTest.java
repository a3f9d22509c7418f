package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextParserTest {

    private static final Scene RED_LEFT_YELLOW_BOTTOM = Scene.of(ShapeColor.BLUE,
            new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT),
            new Shape(ShapeKind.SQUARE, ShapeColor.YELLOW, Size.SMALL, Position.BOTTOM));

    @ParameterizedTest
    @ValueSource(strings = {
        "a large red circle on the left of a blue background, and a small yellow square at the bottom",
        "A LARGE RED CIRCLE ON THE LEFT OF A BLUE BACKGROUND, AND A SMALL YELLOW SQUARE AT THE BOTTOM.",
        "The background is blue. There is a big red circle on the left and a little yellow box at the bottom.",
        "On the left there's a large red circle; at the bottom, a small yellow square. Blue backdrop.",
        "blue background: large red disc (left), small yellow block (bottom)",
        "I see a big red circle placed on the left side and a tiny yellow square near the lower edge, all on a blue background",
        "蓝色背景上左边有一个大的红色圆形，底部有一个小的黄色正方形",
        "在蓝色的背景上，左侧是一个大红色圆形，下方是一个小黄色方块",
        "左边有一个较大的红色圆圈，底部有一个很小的黄色正方形，背景是蓝色",
        "一个大的红色圆形位于蓝色背景的左边，一个小的黄色正方形位于底部",
    })
    void readsTheSameSceneFromManyWordings(String text) {
        Description d = TextParser.parse(text);
        assertThat(d.toScene()).as("%s -> %s", text, d).isPresent();
        assertThat(d.toScene().get().sameAs(RED_LEFT_YELLOW_BOTTOM)).as("%s -> %s", text, d).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a star in the centre", "a star in the center", "a star in the middle", "中间有一个星形",
        "一颗五角星居中", "a centered star"})
    void centreSpellingsAllMeanCentre(String text) {
        Description d = TextParser.parse(text);
        assertThat(d.shapes()).singleElement().satisfies(m -> {
            assertThat(m.kind()).contains(ShapeKind.STAR);
            assertThat(m.position()).contains(Position.CENTRE);
        });
    }

    @Test
    void pluralsAndGreyAreFolded() {
        Description d = TextParser.parse("Two grey boxes");
        assertThat(d.shapes()).singleElement().satisfies(m -> {
            assertThat(m.kind()).contains(ShapeKind.SQUARE);
            assertThat(m.color()).contains(ShapeColor.GRAY);
        });
    }

    @Test
    void colourAfterTheShapeFillsIt() {
        // "that is green" comes after the noun, in a later clause ("with"), and still belongs to the diamond.
        Description d = TextParser.parse("a diamond with a colour that is green, on a white background");
        assertThat(d.background()).contains(ShapeColor.WHITE);
        assertThat(d.shapes()).singleElement().satisfies(m -> assertThat(m.color()).contains(ShapeColor.GREEN));
    }

    @Test
    void pinkIsNotReadAsRedInChinese() {
        // 粉红色 contains 红色; longest match must win.
        Description d = TextParser.parse("一个粉红色的三角形");
        assertThat(d.shapes()).singleElement().satisfies(m -> assertThat(m.color()).contains(ShapeColor.PINK));
    }

    @Test
    void onTheBackgroundIsNotThePositionTop() {
        // 背景上面 means "on the background", not "at the top".
        Description d = TextParser.parse("白色背景上面有一个黑色星星");
        assertThat(d.background()).contains(ShapeColor.WHITE);
        assertThat(d.shapes()).singleElement().satisfies(m -> assertThat(m.position()).isEmpty());
    }

    @Test
    void shapeColourAfterBackgroundCopulaStaysWithTheShape() {
        Description d = TextParser.parse("背景上是一个红色圆形");
        assertThat(d.background()).isEmpty();
        assertThat(d.shapes()).singleElement().satisfies(m -> assertThat(m.color()).contains(ShapeColor.RED));
    }

    @Test
    void mixedLanguageTextIsRead() {
        Description d = TextParser.parse("a red 圆形 on the left");
        assertThat(d.shapes()).singleElement().satisfies(m -> {
            assertThat(m.kind()).contains(ShapeKind.CIRCLE);
            assertThat(m.color()).contains(ShapeColor.RED);
            assertThat(m.position()).contains(Position.LEFT);
        });
    }

    @Test
    void textWithNothingKnownGivesAnEmptyDescription() {
        assertThat(TextParser.parse("lorem ipsum dolor").isEmpty()).isTrue();
        assertThat(TextParser.parse("a blue background").shapes()).isEmpty();
        assertThat(TextParser.parse("a blue background").background()).isEqualTo(Optional.of(ShapeColor.BLUE));
    }

    @Test
    void blankTextIsRejectedWithTheValue() {
        assertThatThrownBy(() -> TextParser.parse("   "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("description text must contain at least one non-blank character, but is: \"   \"");
        assertThatThrownBy(() -> TextParser.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("but is: null");
    }
}
