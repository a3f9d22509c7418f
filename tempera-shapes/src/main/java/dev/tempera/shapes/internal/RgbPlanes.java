package dev.tempera.shapes.internal;

import java.awt.image.BufferedImage;

/**
 * An image as three float planes on the 0–255 scale, row-major. Mutable, not thread-safe; made fresh per check.
 */
public final class RgbPlanes {
    public final int width;
    public final int height;
    public final float[] r;
    public final float[] g;
    public final float[] b;

    private RgbPlanes(int width, int height) {
        this.width = width;
        this.height = height;
        this.r = new float[width * height];
        this.g = new float[width * height];
        this.b = new float[width * height];
    }

    /**
     * Reads {@code image}, averaging {@code factor × factor} blocks (box filter; a remainder of fewer than
     * {@code factor} rows or columns at the right and bottom is dropped). Averaging is linear, so anti-aliased edges
     * stay linear mixtures of their two colours.
     */
    public static RgbPlanes of(BufferedImage image, int factor) {
        int w = image.getWidth() / factor;
        int h = image.getHeight() / factor;
        RgbPlanes p = new RgbPlanes(w, h);
        int[] row = new int[image.getWidth()];
        float inv = 1f / (factor * factor);
        for (int y = 0; y < h * factor; y++) {
            image.getRGB(0, y, image.getWidth(), 1, row, 0, image.getWidth());
            int base = (y / factor) * w;
            for (int x = 0; x < w * factor; x++) {
                int rgb = row[x];
                int i = base + x / factor;
                p.r[i] += ((rgb >> 16) & 0xFF) * inv;
                p.g[i] += ((rgb >> 8) & 0xFF) * inv;
                p.b[i] += (rgb & 0xFF) * inv;
            }
        }
        return p;
    }

    /** Squared Euclidean distance between pixel {@code i} and the colour ({@code cr}, {@code cg}, {@code cb}). */
    public float distance2(int i, float cr, float cg, float cb) {
        float dr = r[i] - cr;
        float dg = g[i] - cg;
        float db = b[i] - cb;
        return dr * dr + dg * dg + db * db;
    }
}
