package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class RendererTest {

    private static final Scene RED_CIRCLE_LEFT = Scene.of(ShapeColor.BLUE,
            new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT),
            new Shape(ShapeKind.SQUARE, ShapeColor.YELLOW, Size.SMALL, Position.BOTTOM));

    @Test
    void defaultImageIs64By64Rgb() {
        BufferedImage img = Renderer.render(RED_CIRCLE_LEFT);
        assertThat(img.getWidth()).isEqualTo(64);
        assertThat(img.getHeight()).isEqualTo(64);
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    }

    @Test
    void sameSceneGivesIdenticalPixelsEvenWhenRenderedConcurrently() {
        int[] reference = Renderer.renderPixels(RED_CIRCLE_LEFT, 64, 64);
        List<int[]> again = IntStream.range(0, 16).parallel()
                .mapToObj(i -> Renderer.renderPixels(RED_CIRCLE_LEFT, 64, 64)).toList();
        assertThat(again).allSatisfy(p -> assertThat(p).isEqualTo(reference));
    }

    @Test
    void pixelsMatchTheRecordedChecksumOnEveryJdk() {
        // Recorded once from this renderer; integer blending and StrictMath make it platform-independent, so a
        // change here means the rasteriser changed (and the published datasets with it).
        CRC32 crc = new CRC32();
        for (int i = 0; i < 200; i++) {
            for (int p : Renderer.renderPixels(SceneSampler.sample(1, i), 64, 64)) {
                crc.update(p >> 16);
                crc.update(p >> 8);
                crc.update(p);
            }
        }
        assertThat(Long.toHexString(crc.getValue())).isEqualTo(GOLDEN_CRC);
    }

    static final String GOLDEN_CRC = "67320842";

    @Test
    void interiorIsTheShapeColourAndFarCornersTheBackground() {
        int[] px = Renderer.renderPixels(RED_CIRCLE_LEFT, 64, 64);
        // The circle's anchor is at (0.22 × 64, 0.5 × 64) = (14.08, 32).
        assertThat(px[32 * 64 + 14]).isEqualTo(ShapeColor.RED.rgb());
        assertThat(px[0]).isEqualTo(ShapeColor.BLUE.rgb());
        assertThat(px[63 * 64 + 63]).isEqualTo(ShapeColor.BLUE.rgb());
    }

    @Test
    void edgesAreAntiAliased() {
        int[] px = Renderer.renderPixels(Scene.of(ShapeColor.BLACK,
                new Shape(ShapeKind.CIRCLE, ShapeColor.WHITE, Size.LARGE, Position.CENTRE)), 64, 64);
        long intermediate = IntStream.of(px).filter(p -> p != ShapeColor.BLACK.rgb() && p != ShapeColor.WHITE.rgb()).count();
        // A circle of radius 10.24 px crosses about 2π·10.24 ≈ 64 pixels' worth of boundary.
        assertThat(intermediate).isBetween(40L, 120L);
    }

    @Test
    void circleCoversItsAnalyticArea() {
        for (int side : new int[] {32, 64, 256}) {
            int[] px = Renderer.renderPixels(Scene.of(ShapeColor.BLACK,
                    new Shape(ShapeKind.CIRCLE, ShapeColor.WHITE, Size.LARGE, Position.CENTRE)), side, side);
            double covered = 0;
            for (int p : px) {
                covered += (((p >> 8) & 0xFF) - 0x0F) / (double) (0xFA - 0x0F);
            }
            double r = Size.LARGE.radius() * side;
            assertThat(covered).as("side %d", side).isCloseTo(Math.PI * r * r, org.assertj.core.data.Percentage.withPercentage(1.5));
        }
    }

    @Test
    void nonSquareImagesScaleAnchorsPerAxis() {
        BufferedImage img = Renderer.render(RED_CIRCLE_LEFT, 128, 64);
        assertThat(img.getRGB((int) (0.22 * 128), 32) & 0xFFFFFF).isEqualTo(ShapeColor.RED.rgb());
    }

    @Test
    void sizeOutsideTheRangeIsRejectedWithTheValue() {
        assertThatThrownBy(() -> Renderer.render(RED_CIRCLE_LEFT, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image width must be in [16, 4096] pixels, but is: 8");
    }
}
