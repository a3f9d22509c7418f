package dev.tempera.shapes;

/**
 * What {@link DatasetWriter} writes.
 *
 * @param count number of scenes, in [1, {@value #MAX_COUNT}]
 * @param seed the seed; scene {@code i} is {@code SceneSampler.sample(seed, i)}
 * @param size image side in pixels, in [{@value Renderer#MIN_SIZE}, {@value Renderer#MAX_SIZE}]
 */
public record DatasetSpec(int count, long seed, int size) {

    /** The most scenes one dataset holds. */
    public static final int MAX_COUNT = 10_000_000;

    public DatasetSpec {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be in [1, " + MAX_COUNT + "], but is: " + count);
        }
        if (size < Renderer.MIN_SIZE || size > Renderer.MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [" + Renderer.MIN_SIZE + ", " + Renderer.MAX_SIZE
                    + "] pixels, but is: " + size);
        }
    }
}
