package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checker's exact-scene accuracy on rendered scenes, per condition. Each condition uses its own seed so the
 * conditions are independent samples; the scenes are never seen while tuning (tuning used seed 7).
 */
class ImageCheckerAccuracyTest {

    /** Exact means background and every shape's kind, colour, size and position, in any order. */
    private static double exactRate(long seed, int count, Function<Scene, BufferedImage> image) {
        long exact = IntStream.range(0, count).parallel().filter(i -> {
            Scene scene = SceneSampler.sample(seed, i);
            ImageCheck check = ImageChecker.check(image.apply(scene));
            return check.scene().isPresent() && check.scene().get().sameAs(scene);
        }).count();
        return (double) exact / count;
    }

    private static Function<Scene, BufferedImage> condition(String name) {
        switch (name) {
            case "64": return s -> Renderer.render(s, 64);
            case "32": return s -> Renderer.render(s, 32);
            case "128": return s -> Renderer.render(s, 128);
            case "256": return s -> Renderer.render(s, 256);
            case "box3": return s -> Degrade.boxBlur(Renderer.render(s));
            case "gauss1": return s -> Degrade.gaussianBlur(Renderer.render(s), 1.0);
            case "jpeg85": return s -> Degrade.jpeg(Renderer.render(s), 0.85f);
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest(name = "{0}: at least 99% exact on {2} scenes")
    @CsvSource({
        "64, 101, 2000",
        "32, 102, 2000",
        "128, 103, 1000",
        "256, 104, 500",
        "box3, 105, 2000",
        "gauss1, 106, 2000",
        "jpeg85, 107, 2000",
    })
    void recognisesRenderedScenes(String name, long seed, int count) {
        double rate = exactRate(seed, count, condition(name));
        assertThat(rate).as("exact-scene rate for %s", name).isGreaterThanOrEqualTo(0.99);
    }
}
