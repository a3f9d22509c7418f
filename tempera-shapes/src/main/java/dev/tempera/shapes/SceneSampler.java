package dev.tempera.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws valid scenes reproducibly. The scene for ({@code seed}, {@code index}) depends on nothing else, so a dataset
 * of any size, generated in any order or in parallel, holds the same scene at the same index.
 *
 * <p>Distribution: one or two shapes with equal probability; background, kinds, colours, sizes and positions
 * uniform, redrawn (rejection sampling) until the scene is valid. Stateless and thread-safe.
 *
 * {@code Scene s = SceneSampler.sample(1, 42);}
 */
public final class SceneSampler {

    private SceneSampler() {}

    /** The scene at {@code index} of the sequence for {@code seed}. */
    public static Scene sample(long seed, long index) {
        return sample(new SplittableRandom(mix(seed, index)));
    }

    /** Draws a scene from {@code random}, advancing it. Not thread-safe if {@code random} is shared. */
    public static Scene sample(SplittableRandom random) {
        int count = 1 + random.nextInt(Scene.MAX_SHAPES);
        while (true) {
            ShapeColor background = pick(random, ShapeColor.values());
            List<Shape> shapes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                shapes.add(new Shape(pick(random, ShapeKind.values()), pick(random, ShapeColor.values()),
                        pick(random, Size.values()), pick(random, Position.values())));
            }
            if (Scene.isValid(background, shapes)) {
                return new Scene(background, shapes);
            }
        }
    }

    /**
     * Draws a scene that has everything {@code description} states, filling in what it leaves open at random
     * (rejection sampling, at most {@value #MATCH_ATTEMPTS} draws). The scene has exactly as many shapes as the
     * description mentions, in the same order.
     *
     * @return the scene, or empty when no valid scene has all the stated attributes (a red circle on a red
     *     background; a large shape in the centre next to another)
     * @throws IllegalArgumentException if the description mentions no shape or more than {@link Scene#MAX_SHAPES}
     */
    public static java.util.Optional<Scene> sampleMatching(Description description, SplittableRandom random) {
        int n = description.shapes().size();
        if (n < 1 || n > Scene.MAX_SHAPES) {
            throw new IllegalArgumentException("description must mention 1 to " + Scene.MAX_SHAPES
                    + " shapes, but mentions: " + n + " (" + description + ")");
        }
        for (int attempt = 0; attempt < MATCH_ATTEMPTS; attempt++) {
            ShapeColor background = description.background().orElseGet(() -> pick(random, ShapeColor.values()));
            List<Shape> shapes = new ArrayList<>(n);
            for (MentionedShape m : description.shapes()) {
                shapes.add(new Shape(m.kind().orElseGet(() -> pick(random, ShapeKind.values())),
                        m.color().orElseGet(() -> pick(random, ShapeColor.values())),
                        m.size().orElseGet(() -> pick(random, Size.values())),
                        m.position().orElseGet(() -> pick(random, Position.values()))));
            }
            if (Scene.isValid(background, shapes)) {
                return java.util.Optional.of(new Scene(background, shapes));
            }
        }
        return java.util.Optional.empty();
    }

    /** How many draws {@link #sampleMatching} makes before giving up. */
    public static final int MATCH_ATTEMPTS = 10_000;

    /**
     * A well-mixed 64-bit key for ({@code seed}, {@code index}) (two rounds of the SplitMix64 finaliser), used to seed
     * per-index generators and to decide dataset splits.
     */
    public static long mix(long seed, long index) {
        return fmix(fmix(seed ^ 0x9E3779B97F4A7C15L) + index * 0xBF58476D1CE4E5B9L);
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
