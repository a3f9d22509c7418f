package dev.tempera.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checker's accuracy on rendered scenes, per condition: exact (background and every shape's kind, colour, size
 * and position, in any order), unknown, or wrong (a scene that is not the truth). Each condition uses its own seed so
 * the conditions are independent samples; the scenes are never seen while tuning (tuning used seeds 7–10).
 *
 * <p>Where the checker is expected to read nearly everything, a row asserts at least 99% exact. Where it cannot
 * (JPEG at 32×32: a small shape's colour is about three half-resolution chroma pixels across), it must say unknown
 * rather than guess: the row asserts at most 1% wrong, and a floor on exact so that "always unknown" fails too.
 */
class ImageCheckerAccuracyTest {

    private record Tally(int exact, int unknown, int wrong, int count) {
        double exactRate() {
            return (double) exact / count;
        }

        double wrongRate() {
            return (double) wrong / count;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d scenes: %.2f%% exact, %d unknown, %d wrong", count,
                    100.0 * exact / count, unknown, wrong);
        }
    }

    private static Tally tally(long seed, int count, Function<Scene, BufferedImage> image) {
        int[] outcome = IntStream.range(0, count).parallel().map(i -> {
            Scene scene = SceneSampler.sample(seed, i);
            ImageCheck check = ImageChecker.check(image.apply(scene));
            return check.scene().isEmpty() ? 1 : check.scene().get().sameAs(scene) ? 0 : 2;
        }).toArray();
        int[] n = new int[3];
        for (int o : outcome) {
            n[o]++;
        }
        return new Tally(n[0], n[1], n[2], count);
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
            case "jpeg85_32": return s -> Degrade.jpeg(Renderer.render(s, 32), 0.85f);
            default: throw new IllegalArgumentException(name);
        }
    }

    @ParameterizedTest(name = "{0}: at least {3} exact and at most {4} wrong on {2} scenes")
    @CsvSource({
        "64, 101, 2000, 0.99, 0.01",
        "32, 102, 2000, 0.99, 0.01",
        "128, 103, 1000, 0.99, 0.01",
        "256, 104, 500, 0.99, 0.01",
        "box3, 105, 2000, 0.99, 0.01",
        "gauss1, 106, 2000, 0.99, 0.01",
        "jpeg85, 107, 2000, 0.99, 0.01",
        "jpeg85_32, 108, 2000, 0.85, 0.01",
    })
    void recognisesRenderedScenes(String name, long seed, int count, double minExact, double maxWrong) {
        Tally t = tally(seed, count, condition(name));
        assertThat(t.wrongRate()).as("wrong-scene rate for %s (%s)", name, t).isLessThanOrEqualTo(maxWrong);
        assertThat(t.exactRate()).as("exact-scene rate for %s (%s)", name, t).isGreaterThanOrEqualTo(minExact);
    }
}
