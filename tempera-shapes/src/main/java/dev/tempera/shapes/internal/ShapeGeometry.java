package dev.tempera.shapes.internal;

import dev.tempera.shapes.ShapeKind;

/**
 * The outline of each shape kind in unit coordinates: anchor at the origin, radius 1, y pointing down. Only
 * {@code +,-,*,/} and {@link StrictMath} are used, so every JDK gives bit-identical answers.
 *
 * <p>Stateless and thread-safe.
 */
public final class ShapeGeometry {

    private static final double SQUARE_HALF = 0.86;
    private static final double TRIANGLE_TOP = -0.95;
    private static final double TRIANGLE_BASE = 0.8;
    private static final double TRIANGLE_HALF_WIDTH = 1.0;
    private static final double DIAMOND_HALF_WIDTH = 0.9;
    private static final double DIAMOND_HALF_HEIGHT = 1.1;
    private static final double STAR_OUTER = 1.1;
    private static final double STAR_INNER = 0.5;
    private static final double[] STAR_X = new double[10];
    private static final double[] STAR_Y = new double[10];

    static {
        for (int i = 0; i < 10; i++) {
            double r = i % 2 == 0 ? STAR_OUTER : STAR_INNER;
            double a = -StrictMath.PI / 2 + i * StrictMath.PI / 5;
            STAR_X[i] = r * StrictMath.cos(a);
            STAR_Y[i] = r * StrictMath.sin(a);
        }
    }

    private static final int STATS_GRID = 440;
    private static final double[] AREA = new double[ShapeKind.values().length];
    private static final double[] CENTROID_Y = new double[ShapeKind.values().length];

    static {
        // Midpoint-rule integration over [-1.1, 1.1]^2; deterministic, accurate to about 1e-3.
        double step = 2.2 / STATS_GRID;
        for (ShapeKind k : ShapeKind.values()) {
            long n = 0;
            double sy = 0;
            for (int j = 0; j < STATS_GRID; j++) {
                double y = -1.1 + (j + 0.5) * step;
                for (int i = 0; i < STATS_GRID; i++) {
                    double x = -1.1 + (i + 0.5) * step;
                    if (contains(k, x, y)) {
                        n++;
                        sy += y;
                    }
                }
            }
            AREA[k.ordinal()] = n * step * step;
            CENTROID_Y[k.ordinal()] = sy / n;
        }
    }

    private ShapeGeometry() {}

    /** Whether the unit-radius shape of {@code kind} anchored at the origin contains point ({@code x}, {@code y}). */
    public static boolean contains(ShapeKind kind, double x, double y) {
        switch (kind) {
            case CIRCLE:
                return x * x + y * y <= 1.0;
            case SQUARE:
                return Math.abs(x) <= SQUARE_HALF && Math.abs(y) <= SQUARE_HALF;
            case TRIANGLE:
                if (y > TRIANGLE_BASE || y < TRIANGLE_TOP) {
                    return false;
                }
                return Math.abs(x) <= (y - TRIANGLE_TOP) / (TRIANGLE_BASE - TRIANGLE_TOP) * TRIANGLE_HALF_WIDTH;
            case DIAMOND:
                return Math.abs(x) / DIAMOND_HALF_WIDTH + Math.abs(y) / DIAMOND_HALF_HEIGHT <= 1.0;
            case STAR:
                return insideStar(x, y);
            default:
                throw new IllegalStateException("unhandled kind " + kind);
        }
    }

    private static boolean insideStar(double x, double y) {
        if (x * x + y * y > STAR_OUTER * STAR_OUTER) {
            return false;
        }
        boolean inside = false;
        for (int i = 0, j = 9; i < 10; j = i++) {
            if ((STAR_Y[i] > y) != (STAR_Y[j] > y)
                    && x < (STAR_X[j] - STAR_X[i]) * (y - STAR_Y[i]) / (STAR_Y[j] - STAR_Y[i]) + STAR_X[i]) {
                inside = !inside;
            }
        }
        return inside;
    }

    /**
     * The unit-radius outline of {@code kind} as polygon vertices {x0, y0, x1, y1, ...}; the circle is a 64-gon
     * inscribed in it.
     */
    static double[] outline(ShapeKind kind) {
        switch (kind) {
            case SQUARE:
                return new double[] {-SQUARE_HALF, -SQUARE_HALF, SQUARE_HALF, -SQUARE_HALF, SQUARE_HALF, SQUARE_HALF,
                    -SQUARE_HALF, SQUARE_HALF};
            case TRIANGLE:
                return new double[] {0, TRIANGLE_TOP, TRIANGLE_HALF_WIDTH, TRIANGLE_BASE, -TRIANGLE_HALF_WIDTH,
                    TRIANGLE_BASE};
            case DIAMOND:
                return new double[] {0, -DIAMOND_HALF_HEIGHT, DIAMOND_HALF_WIDTH, 0, 0, DIAMOND_HALF_HEIGHT,
                    -DIAMOND_HALF_WIDTH, 0};
            case STAR: {
                double[] v = new double[20];
                for (int i = 0; i < 10; i++) {
                    v[2 * i] = STAR_X[i];
                    v[2 * i + 1] = STAR_Y[i];
                }
                return v;
            }
            default: {
                double[] v = new double[128];
                for (int i = 0; i < 64; i++) {
                    double a = i * StrictMath.PI / 32;
                    v[2 * i] = StrictMath.cos(a);
                    v[2 * i + 1] = StrictMath.sin(a);
                }
                return v;
            }
        }
    }

    /**
     * The distance between the outlines of two shapes (0 if they touch or overlap), in the units of the given
     * anchors and radii. Exact for the polygons, within 0.0013 radius for circles.
     */
    public static double clearance(ShapeKind kindA, double xa, double ya, double ra,
                                   ShapeKind kindB, double xb, double yb, double rb) {
        if (kindA == ShapeKind.CIRCLE && kindB == ShapeKind.CIRCLE) {
            return Math.max(0, Math.hypot(xa - xb, ya - yb) - ra - rb);
        }
        double[] a = outline(kindA);
        double[] b = outline(kindB);
        for (int i = 0; i < a.length; i += 2) {
            if (contains(kindB, (xa + a[i] * ra - xb) / rb, (ya + a[i + 1] * ra - yb) / rb)) {
                return 0;
            }
        }
        for (int i = 0; i < b.length; i += 2) {
            if (contains(kindA, (xb + b[i] * rb - xa) / ra, (yb + b[i + 1] * rb - ya) / ra)) {
                return 0;
            }
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < a.length; i += 2) {
            int i2 = (i + 2) % a.length;
            double ax0 = xa + a[i] * ra;
            double ay0 = ya + a[i + 1] * ra;
            double ax1 = xa + a[i2] * ra;
            double ay1 = ya + a[i2 + 1] * ra;
            for (int j = 0; j < b.length; j += 2) {
                int j2 = (j + 2) % b.length;
                double bx0 = xb + b[j] * rb;
                double by0 = yb + b[j + 1] * rb;
                double bx1 = xb + b[j2] * rb;
                double by1 = yb + b[j2 + 1] * rb;
                if (segmentsCross(ax0, ay0, ax1, ay1, bx0, by0, bx1, by1)) {
                    return 0;
                }
                best = Math.min(best, Math.min(
                        Math.min(pointSegment(ax0, ay0, bx0, by0, bx1, by1), pointSegment(ax1, ay1, bx0, by0, bx1, by1)),
                        Math.min(pointSegment(bx0, by0, ax0, ay0, ax1, ay1), pointSegment(bx1, by1, ax0, ay0, ax1, ay1))));
            }
        }
        return Math.sqrt(best);
    }

    /** Squared distance from a point to a segment. */
    private static double pointSegment(double px, double py, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double t = ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy);
        t = Math.max(0, Math.min(1, t));
        double ex = px - (x0 + t * dx);
        double ey = py - (y0 + t * dy);
        return ex * ex + ey * ey;
    }

    private static boolean segmentsCross(double ax0, double ay0, double ax1, double ay1,
                                         double bx0, double by0, double bx1, double by1) {
        double d1 = cross(bx1 - bx0, by1 - by0, ax0 - bx0, ay0 - by0);
        double d2 = cross(bx1 - bx0, by1 - by0, ax1 - bx0, ay1 - by0);
        double d3 = cross(ax1 - ax0, ay1 - ay0, bx0 - ax0, by0 - ay0);
        double d4 = cross(ax1 - ax0, ay1 - ay0, bx1 - ax0, by1 - ay0);
        return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
    }

    private static double cross(double ux, double uy, double vx, double vy) {
        return ux * vy - uy * vx;
    }

    /** The area of the unit-radius shape (π for the circle). */
    public static double unitArea(ShapeKind kind) {
        return AREA[kind.ordinal()];
    }

    /** How far below the anchor the shape's centroid lies, at radius 1 (0 for symmetric kinds). */
    public static double unitCentroidY(ShapeKind kind) {
        return CENTROID_Y[kind.ordinal()];
    }

    /**
     * Adds the coverage of the shape (fraction of {@code n × n} regular samples inside it) to each pixel of {@code out}
     * (row-major, {@code width × height}), restricted to the shape's bounding box. Centre and radius are in pixels.
     *
     * <p>Pixels whose corner samples all lie inside a convex part of the shape are counted as fully covered, and
     * pixels whose samples all lie beyond the shape's circumradius as empty, without testing every sample: both
     * shortcuts give exactly the count the full test would.
     */
    public static void accumulateCoverage(ShapeKind kind, double cx, double cy, double radius, int n,
                                          int width, int height, float[] out) {
        double reach = CIRCUMRADIUS[kind.ordinal()];
        int x0 = Math.max(0, (int) Math.floor(cx - reach * radius) - 1);
        int x1 = Math.min(width - 1, (int) Math.ceil(cx + reach * radius) + 1);
        int y0 = Math.max(0, (int) Math.floor(cy - reach * radius) - 1);
        int y1 = Math.min(height - 1, (int) Math.ceil(cy + reach * radius) + 1);
        double inv = 1.0 / radius;
        float per = 1.0f / (n * n);
        double[] offset = new double[n];
        for (int i = 0; i < n; i++) {
            offset[i] = (i + 0.5) / n;
        }
        double first = offset[0];
        double last = offset[n - 1];
        for (int py = y0; py <= y1; py++) {
            double ya = (py + first - cy) * inv;
            double yb = (py + last - cy) * inv;
            for (int px = x0; px <= x1; px++) {
                double xa = (px + first - cx) * inv;
                double xb = (px + last - cx) * inv;
                // Nearest point of the sample rectangle to the anchor.
                double nx = xa > 0 ? xa : xb < 0 ? xb : 0;
                double ny = ya > 0 ? ya : yb < 0 ? yb : 0;
                if (nx * nx + ny * ny > reach * reach) {
                    continue;
                }
                int hits;
                if (cornersInsideConvexPart(kind, xa, ya, xb, yb)) {
                    hits = n * n;
                } else {
                    hits = 0;
                    for (int sy = 0; sy < n; sy++) {
                        double y = (py + offset[sy] - cy) * inv;
                        for (int sx = 0; sx < n; sx++) {
                            double x = (px + offset[sx] - cx) * inv;
                            if (contains(kind, x, y)) {
                                hits++;
                            }
                        }
                    }
                }
                if (hits > 0) {
                    out[py * width + px] += hits * per;
                }
            }
        }
    }

    /** Whether the four corners lie in a convex region inside the shape (then so does every sample between them). */
    private static boolean cornersInsideConvexPart(ShapeKind kind, double xa, double ya, double xb, double yb) {
        if (kind == ShapeKind.STAR) {
            // The circle inscribed in the inner pentagon is convex and inside the star.
            double r2 = STAR_CORE * STAR_CORE;
            return xa * xa + ya * ya <= r2 && xb * xb + ya * ya <= r2 && xa * xa + yb * yb <= r2
                    && xb * xb + yb * yb <= r2;
        }
        return contains(kind, xa, ya) && contains(kind, xb, ya) && contains(kind, xa, yb) && contains(kind, xb, yb);
    }

    private static final double STAR_CORE = STAR_INNER * StrictMath.cos(StrictMath.PI / 5);
    private static final double[] CIRCUMRADIUS = new double[ShapeKind.values().length];

    static {
        for (ShapeKind k : ShapeKind.values()) {
            double[] v = outline(k);
            double max = 0;
            for (int i = 0; i < v.length; i += 2) {
                max = Math.max(max, Math.hypot(v[i], v[i + 1]));
            }
            CIRCUMRADIUS[k.ordinal()] = k == ShapeKind.CIRCLE ? 1.0 : max * (1 + 1e-9);
        }
    }
}
