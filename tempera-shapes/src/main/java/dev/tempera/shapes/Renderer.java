package dev.tempera.shapes;

import dev.tempera.shapes.internal.ShapeGeometry;
import java.awt.image.BufferedImage;

/**
 * Draws a scene as an anti-aliased RGB image with its own rasteriser: each pixel is sampled on a regular
 * {@value #SAMPLES}×{@value #SAMPLES} grid, and the shape's colour is blended over what lies below in proportion to the
 * samples it covers, in integer sRGB arithmetic. No Java2D drawing is involved, so the pixels are identical on every
 * JDK and platform.
 *
 * <p>Geometry: anchors are fractions of the width and height ({@link Position}), radii fractions of the shorter side
 * ({@link Size}); shapes are drawn in scene order. Stateless and thread-safe.
 *
 * {@code BufferedImage img = Renderer.render(scene); // 64×64}
 */
public final class Renderer {

    /** Default image side in pixels. */
    public static final int DEFAULT_SIZE = 64;
    /** Smallest allowed image side in pixels. */
    public static final int MIN_SIZE = 16;
    /** Largest allowed image side in pixels. */
    public static final int MAX_SIZE = 4096;
    /** Samples per pixel along each axis. */
    public static final int SAMPLES = 8;

    private Renderer() {}

    /** Renders {@code scene} at 64×64. */
    public static BufferedImage render(Scene scene) {
        return render(scene, DEFAULT_SIZE, DEFAULT_SIZE);
    }

    /** Renders {@code scene} at {@code size}×{@code size}. */
    public static BufferedImage render(Scene scene, int size) {
        return render(scene, size, size);
    }

    /**
     * Renders {@code scene} as a new {@link BufferedImage#TYPE_INT_RGB} image.
     *
     * @throws IllegalArgumentException if a side is outside [{@value #MIN_SIZE}, {@value #MAX_SIZE}]
     */
    public static BufferedImage render(Scene scene, int width, int height) {
        checkSide("width", width);
        checkSide("height", height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, renderPixels(scene, width, height), 0, width);
        return image;
    }

    /** Renders {@code scene} into a new row-major array of {@code 0xRRGGBB} pixels. */
    public static int[] renderPixels(Scene scene, int width, int height) {
        checkSide("width", width);
        checkSide("height", height);
        int[] pixels = new int[width * height];
        java.util.Arrays.fill(pixels, scene.background().rgb());
        float[] coverage = new float[width * height];
        int full = SAMPLES * SAMPLES;
        for (Shape shape : scene.shapes()) {
            java.util.Arrays.fill(coverage, 0f);
            double cx = shape.position().x() * width;
            double cy = shape.position().y() * height;
            double r = shape.size().radius() * Math.min(width, height);
            ShapeGeometry.accumulateCoverage(shape.kind(), cx, cy, r, SAMPLES, width, height, coverage);
            int fg = shape.color().rgb();
            for (int i = 0; i < pixels.length; i++) {
                if (coverage[i] > 0f) {
                    // coverage is hits/64 exactly representable in float, so this count is exact.
                    int hits = Math.round(coverage[i] * full);
                    pixels[i] = blend(pixels[i], fg, hits, full);
                }
            }
        }
        return pixels;
    }

    private static int blend(int under, int over, int hits, int full) {
        int r = mix((under >> 16) & 0xFF, (over >> 16) & 0xFF, hits, full);
        int g = mix((under >> 8) & 0xFF, (over >> 8) & 0xFF, hits, full);
        int b = mix(under & 0xFF, over & 0xFF, hits, full);
        return (r << 16) | (g << 8) | b;
    }

    private static int mix(int a, int b, int hits, int full) {
        return (a * (full - hits) + b * hits + full / 2) / full;
    }

    static void checkSide(String name, int value) {
        if (value < MIN_SIZE || value > MAX_SIZE) {
            throw new IllegalArgumentException("image " + name + " must be in [" + MIN_SIZE + ", " + MAX_SIZE
                    + "] pixels, but is: " + value);
        }
    }
}
