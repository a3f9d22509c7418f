package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCheckerTest {

    private static final Scene SCENE = Scene.of(ShapeColor.BLUE,
            new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE, Position.LEFT),
            new Shape(ShapeKind.SQUARE, ShapeColor.YELLOW, Size.SMALL, Position.BOTTOM));

    @TempDir Path dir;

    @Test
    void readsARenderedPngBack() throws IOException {
        Path png = dir.resolve("x.png");
        ImageIO.write(Renderer.render(SCENE), "png", png.toFile());
        ImageCheck check = ImageChecker.check(png);
        assertThat(check.isKnown()).as(check.reason()).isTrue();
        assertThat(check.scene().get().sameAs(SCENE)).isTrue();
    }

    @Test
    void readsNonSquareImages() {
        ImageCheck check = ImageChecker.check(Renderer.render(SCENE, 96, 64));
        assertThat(check.scene()).hasValueSatisfying(s -> assertThat(s.sameAs(SCENE)).isTrue());
    }

    @Test
    void uniformNoiseIsUnknown() {
        SplittableRandom r = new SplittableRandom(1);
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        assertThat(ImageChecker.check(img).isKnown()).isFalse();
        assertThat(ImageChecker.check(img).reason()).contains("background is not uniform");
    }

    @Test
    void sceneUnderHeavyNoiseIsUnknownRatherThanGuessed() {
        SplittableRandom r = new SplittableRandom(2);
        BufferedImage img = Renderer.render(SCENE);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int rgb = img.getRGB(x, y);
                int n = (int) (r.nextGaussian() * 60);
                int red = Math.max(0, Math.min(255, ((rgb >> 16) & 0xFF) + n));
                img.setRGB(x, y, (red << 16) | (rgb & 0xFFFF));
            }
        }
        assertThat(ImageChecker.check(img).isKnown()).isFalse();
    }

    @Test
    void gradientsAreUnknown() {
        for (int kind = 0; kind < 3; kind++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int v = kind == 0 ? x * 4 : kind == 1 ? y * 4 : (int) Math.min(255, Math.hypot(x - 32, y - 32) * 8);
                    img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | 128);
                }
            }
            assertThat(ImageChecker.check(img).isKnown()).as("gradient %d", kind).isFalse();
        }
    }

    @Test
    void photoLikeSmoothTextureIsUnknown() {
        // A sum of random sinusoids: smooth, many colours, no flat background, like an out-of-focus photo.
        SplittableRandom r = new SplittableRandom(3);
        double[][] waves = new double[12][5];
        for (double[] w : waves) {
            for (int i = 0; i < 5; i++) {
                w[i] = r.nextDouble();
            }
        }
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int[] c = new int[3];
                for (int k = 0; k < waves.length; k++) {
                    double[] w = waves[k];
                    c[k % 3] += (int) (20 * Math.sin(w[0] * x * 0.4 + w[1] * y * 0.4 + w[2] * 6));
                }
                img.setRGB(x, y, (clamp(128 + c[0]) << 16) | (clamp(128 + c[1]) << 8) | clamp(128 + c[2]));
            }
        }
        assertThat(ImageChecker.check(img).isKnown()).isFalse();
    }

    @Test
    void flatImageHasNoShapes() {
        BufferedImage img = Renderer.render(SCENE);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, ShapeColor.GREEN.rgb());
            }
        }
        assertThat(ImageChecker.check(img).reason()).startsWith("no shapes");
    }

    @Test
    void colourOffThePaletteIsUnknown() {
        // Teal (0, 128, 128) is about 110 from green, blue and gray alike.
        BufferedImage img = Renderer.render(Scene.of(ShapeColor.WHITE,
                new Shape(ShapeKind.CIRCLE, ShapeColor.BLACK, Size.LARGE, Position.CENTRE)));
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                if (img.getRGB(x, y) != (0xFF000000 | ShapeColor.WHITE.rgb())) {
                    img.setRGB(x, y, 0x008080);
                }
            }
        }
        assertThat(ImageChecker.check(img).isKnown()).isFalse();
    }

    @Test
    void thinLineIsNotAShape() {
        BufferedImage img = Renderer.render(Scene.of(ShapeColor.WHITE,
                new Shape(ShapeKind.CIRCLE, ShapeColor.BLACK, Size.SMALL, Position.LEFT)));
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, ShapeColor.WHITE.rgb());
            }
        }
        for (int x = 10; x < 54; x++) {
            img.setRGB(x, 32, ShapeColor.BLACK.rgb());
            img.setRGB(x, 33, ShapeColor.BLACK.rgb());
        }
        assertThat(ImageChecker.check(img).isKnown()).isFalse();
    }

    @Test
    void threeShapesAreUnknown() {
        BufferedImage img = Renderer.render(Scene.of(ShapeColor.WHITE,
                new Shape(ShapeKind.CIRCLE, ShapeColor.BLACK, Size.SMALL, Position.LEFT),
                new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.SMALL, Position.RIGHT)));
        BufferedImage third = Renderer.render(Scene.of(ShapeColor.WHITE,
                new Shape(ShapeKind.STAR, ShapeColor.BLUE, Size.SMALL, Position.TOP)));
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, third.getRGB(x, y));
            }
        }
        assertThat(ImageChecker.check(img).reason()).isEqualTo("3 objects found, a scene holds at most 2");
    }

    @Test
    void missingFileIsRejectedNamingTheFile() {
        Path missing = dir.resolve("nope.png");
        assertThatThrownBy(() -> ImageChecker.check(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image file must be an existing, readable PNG/JPEG/BMP/GIF file, but is: " + missing
                        + " (no such file)");
    }

    @Test
    void fileThatIsNotAnImageIsRejectedNamingTheFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");
        assertThatThrownBy(() -> ImageChecker.check(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("image file must be a readable PNG/JPEG/BMP/GIF image, but is: " + text);
    }

    @Test
    void tinyImageIsRejectedWithTheAllowedRange() {
        assertThatThrownBy(() -> ImageChecker.check(new BufferedImage(8, 64, BufferedImage.TYPE_INT_RGB)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image width must be in [16, 8192] pixels, but is: 8");
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
