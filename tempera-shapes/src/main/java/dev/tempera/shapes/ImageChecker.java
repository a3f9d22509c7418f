package dev.tempera.shapes;

import dev.tempera.shapes.internal.Components;
import dev.tempera.shapes.internal.RgbPlanes;
import dev.tempera.shapes.internal.ShapeGeometry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Reads a Shapes-world scene back from any image, or says "unknown" with the reason when the image is not one
 * (photos, noise, gradients, clutter, colours off the palette, shapes it cannot name).
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>Images with a shorter side of 128 or more are box-averaged by {@code side / 64} (integer) first.
 *   <li>Background: the median of the border ring; at least 90% of the ring must lie near it, and it must be near
 *       a palette colour.
 *   <li>Objects: connected components of pixels far from the background; specks are ignored unless they add up to
 *       clutter; one or two objects must remain.
 *   <li>Colour candidates: each object is unmixed against every palette colour (each pixel as background + α ×
 *       (colour − background), which is what an anti-aliased, blurred or averaged edge is); the three colours with
 *       the smallest residual (plus distance from the object's core colour) are kept. For each, the α values are
 *       the object's coverage map.
 *   <li>Kind and size: for the best colour candidate, every kind at both sizes is rasterised at the coverage map's
 *       centroid; the (kind, size) whose outline overlaps the coverage map best (soft intersection over union)
 *       wins, if the overlap is good enough; otherwise the next colour candidate is tried. The object's area must
 *       match the size within a factor of 1.3 in radius.
 *   <li>Position: the fitted anchor must lie near one of the five anchors.
 *   <li>The scene must be valid, and rendering it must reproduce the image closely.
 * </ol>
 * Thresholds are in {@code 0–255} sRGB units and fractions of the shorter side. Stateless and thread-safe.
 *
 * {@code ImageCheck c = ImageChecker.check(Path.of("x.png")); c.scene().ifPresent(System.out::println);}
 */
public final class ImageChecker {

    /** Smallest image side the checker accepts, in pixels. */
    public static final int MIN_SIDE = 16;
    /** Largest image side the checker accepts, in pixels. */
    public static final int MAX_SIDE = 8192;

    private static final int WORKING_SIDE = 64;
    private static final double BORDER_MATCH = 0.90;
    private static final float BORDER_DISTANCE = 48f;
    private static final float PALETTE_DISTANCE = 60f;
    private static final float FOREGROUND_DISTANCE = 40f;
    private static final double SPECK_FRACTION = 0.002;
    private static final double CLUTTER_FRACTION = 0.01;
    private static final float MAX_RESIDUAL_RMS = 40f;
    private static final int COLOUR_CANDIDATES = 3;
    private static final double MAX_RADIUS_RATIO = 1.3;
    private static final double MIN_SOLID_ALPHA = 0.75;
    private static final double MIN_OVERLAP = 0.6;
    private static final double MAX_ANCHOR_OFFSET = 0.12;
    private static final double MAX_MEAN_ERROR = 12.0;

    private ImageChecker() {}

    /**
     * Reads and checks the image file {@code file} (any format {@link ImageIO} reads: PNG, JPEG, BMP, GIF).
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or not an image, naming the file
     */
    public static ImageCheck check(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("image file must be an existing, readable PNG/JPEG/BMP/GIF file, but is: "
                    + file + " (" + (Files.exists(file) ? "not a readable regular file" : "no such file") + ")");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("image file must be a readable PNG/JPEG/BMP/GIF image, but is: " + file
                    + " (" + e.getMessage() + ")", e);
        }
        if (image == null) {
            throw new IllegalArgumentException("image file must be a readable PNG/JPEG/BMP/GIF image, but is: " + file
                    + " (no image reader recognises its contents)");
        }
        return check(image);
    }

    /**
     * Checks {@code image}.
     *
     * @throws IllegalArgumentException if a side is outside [{@value #MIN_SIDE}, {@value #MAX_SIDE}]
     */
    public static ImageCheck check(BufferedImage image) {
        checkSide("width", image.getWidth());
        checkSide("height", image.getHeight());
        int factor = Math.max(1, Math.min(image.getWidth(), image.getHeight()) / WORKING_SIDE);
        return check(RgbPlanes.of(image, factor));
    }

    private static ImageCheck check(RgbPlanes img) {
        int w = img.width;
        int h = img.height;
        int n = w * h;

        // 1. Background.
        float[] bg = borderMedian(img);
        int border = 0;
        int near = 0;
        for (int i = 0; i < n; i++) {
            int x = i % w;
            int y = i / w;
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                border++;
                if (img.distance2(i, bg[0], bg[1], bg[2]) <= BORDER_DISTANCE * BORDER_DISTANCE) {
                    near++;
                }
            }
        }
        if (near < BORDER_MATCH * border) {
            return ImageCheck.unknown(String.format(Locale.ROOT,
                    "background is not uniform: %.0f%% of the border is near its median colour, %.0f%% needed",
                    100.0 * near / border, 100 * BORDER_MATCH));
        }
        ShapeColor background = nearestPalette(bg[0], bg[1], bg[2]);
        double bgDistance = Math.sqrt(distance2(background, bg[0], bg[1], bg[2]));
        if (bgDistance > PALETTE_DISTANCE) {
            return ImageCheck.unknown(String.format(Locale.ROOT,
                    "background colour #%02x%02x%02x is not in the palette (nearest: %s, distance %.0f)",
                    Math.round(bg[0]), Math.round(bg[1]), Math.round(bg[2]), background.english(), bgDistance));
        }

        // 2. Objects.
        boolean[] foreground = new boolean[n];
        for (int i = 0; i < n; i++) {
            foreground[i] = img.distance2(i, bg[0], bg[1], bg[2]) > FOREGROUND_DISTANCE * FOREGROUND_DISTANCE;
        }
        List<int[]> objects = new ArrayList<>();
        int speckPixels = 0;
        int minPixels = Math.max(4, (int) Math.ceil(SPECK_FRACTION * n));
        for (int[] c : Components.of(foreground, w, h)) {
            if (c.length >= minPixels) {
                objects.add(c);
            } else {
                speckPixels += c.length;
            }
        }
        if (speckPixels > CLUTTER_FRACTION * n) {
            return ImageCheck.unknown(String.format(Locale.ROOT,
                    "too much clutter: %.1f%% of the image is specks, at most %.1f%% allowed",
                    100.0 * speckPixels / n, 100 * CLUTTER_FRACTION));
        }
        if (objects.isEmpty()) {
            return ImageCheck.unknown("no shapes: nothing stands out from the " + background.english() + " background");
        }
        if (objects.size() > Scene.MAX_SHAPES) {
            return ImageCheck.unknown(objects.size() + " objects found, a scene holds at most " + Scene.MAX_SHAPES);
        }
        int[] owner = Components.grow(objects, w, h, 2);

        // 3-5. Each object's colour, kind, size and position.
        List<Shape> shapes = new ArrayList<>();
        for (int o = 0; o < objects.size(); o++) {
            Object result = readShape(img, bg, background, owner, o + 1);
            if (result instanceof String reason) {
                return ImageCheck.unknown("object " + (o + 1) + ": " + reason);
            }
            shapes.add((Shape) result);
        }

        // 6. Validity and reconstruction.
        Scene scene;
        try {
            scene = new Scene(background, shapes);
        } catch (IllegalArgumentException e) {
            return ImageCheck.unknown("not a valid scene: " + e.getMessage());
        }
        double error = meanError(img, scene);
        if (error > MAX_MEAN_ERROR) {
            return ImageCheck.unknown(String.format(Locale.ROOT,
                    "rendering the recognised scene (%s) differs from the image by %.1f per channel on average, at most %.1f allowed",
                    scene, error, MAX_MEAN_ERROR));
        }
        return ImageCheck.known(scene);
    }

    /** A palette colour that might explain an object, with its unmixing residual. */
    private record ColourCandidate(ShapeColor color, double rms, double cost) {}

    /**
     * The shape of object {@code label}, or a String saying why it cannot be named. The colour candidates are tried
     * best first; for each, every kind at every size is fitted, and the first colour with a good enough fit wins.
     */
    private static Object readShape(RgbPlanes img, float[] bg, ShapeColor background, int[] owner, int label) {
        int w = img.width;
        int h = img.height;
        double side = Math.min(w, h);
        int[] region = regionOf(owner, label);
        List<ColourCandidate> candidates = colourCandidates(img, bg, background, region);
        if (candidates.stream().allMatch(c -> c.rms() > MAX_RESIDUAL_RMS)) {
            return String.format(Locale.ROOT, "colour is not in the palette (nearest: %s, residual %.0f, at most %.0f)",
                    candidates.get(0).color().english(), candidates.get(0).rms(), MAX_RESIDUAL_RMS);
        }
        int x0 = w;
        int y0 = h;
        int x1 = 0;
        int y1 = 0;
        for (int p : region) {
            x0 = Math.min(x0, p % w);
            x1 = Math.max(x1, p % w);
            y0 = Math.min(y0, p / w);
            y1 = Math.max(y1, p / w);
        }
        float[] alpha = new float[w * h];
        ShapeColor bestColor = null;
        ShapeKind bestKind = null;
        Size bestSize = null;
        double bestOverlap = -1;
        double bestArea = 0;
        double bestX = 0;
        double bestY = 0;
        boolean anySolid = false;
        for (ColourCandidate candidate : candidates) {
            if (candidate.rms() > MAX_RESIDUAL_RMS) {
                continue;
            }
            ShapeColor c = candidate.color();
            float er = c.red() - bg[0];
            float eg = c.green() - bg[1];
            float eb = c.blue() - bg[2];
            float ee = er * er + eg * eg + eb * eb;
            double area = 0;
            double sx = 0;
            double sy = 0;
            boolean solid = false;
            for (int p : region) {
                float dr = img.r[p] - bg[0];
                float dg = img.g[p] - bg[1];
                float db = img.b[p] - bg[2];
                float a = Math.max(0f, Math.min(1f, (dr * er + dg * eg + db * eb) / ee));
                alpha[p] = a;
                area += a;
                sx += a * (p % w + 0.5);
                sy += a * (p / w + 0.5);
                solid |= a >= MIN_SOLID_ALPHA;
            }
            if (!solid) {
                continue;
            }
            anySolid = true;
            double cx = sx / area;
            double cy = sy / area;
            for (ShapeKind k : ShapeKind.values()) {
                // Only the size nearer (in log radius) to the object's area is fitted; the other cannot win.
                double areaRadius = Math.sqrt(area / ShapeGeometry.unitArea(k)) / side;
                Size size = areaRadius < Math.sqrt(Size.SMALL.radius() * Size.LARGE.radius()) ? Size.SMALL : Size.LARGE;
                {
                    double r = size.radius() * side;
                    double ay = cy - ShapeGeometry.unitCentroidY(k) * r;
                    double overlap = overlap(k, cx, ay, r, alpha, owner, label, x0, y0, x1, y1, w, h);
                    if (overlap > bestOverlap) {
                        bestOverlap = overlap;
                        bestColor = c;
                        bestKind = k;
                        bestSize = size;
                        bestArea = area;
                        bestX = cx / w;
                        bestY = ay / h;
                    }
                }
            }
            if (bestOverlap >= MIN_OVERLAP) {
                break; // the most plausible colour fits; later candidates only get a say when it does not
            }
        }
        if (!anySolid) {
            return "no pixel is solidly one palette colour; the object is too faint or too blurred";
        }
        if (bestOverlap < MIN_OVERLAP) {
            return String.format(Locale.ROOT, "shape not recognised (best: %s %s %s, overlap %.2f, at least %.2f needed)",
                    bestSize.english(), bestColor.english(), bestKind.english(), bestOverlap, MIN_OVERLAP);
        }
        double areaRadius = Math.sqrt(bestArea / ShapeGeometry.unitArea(bestKind)) / side;
        double ratio = areaRadius / bestSize.radius();
        if (ratio < 1 / MAX_RADIUS_RATIO || ratio > MAX_RADIUS_RATIO) {
            return String.format(Locale.ROOT,
                    "%s %s of radius %.3f is neither small (%.2f) nor large (%.2f) within a factor of %.2f",
                    bestColor.english(), bestKind.english(), areaRadius, Size.SMALL.radius(), Size.LARGE.radius(),
                    MAX_RADIUS_RATIO);
        }
        Position position = null;
        double nearest = Double.MAX_VALUE;
        for (Position p : Position.values()) {
            double d = Math.hypot(bestX - p.x(), bestY - p.y());
            if (d < nearest) {
                nearest = d;
                position = p;
            }
        }
        if (nearest > MAX_ANCHOR_OFFSET) {
            return String.format(Locale.ROOT,
                    "%s %s at (%.2f, %.2f) is %.2f from the nearest anchor (%s), at most %.2f allowed",
                    bestColor.english(), bestKind.english(), bestX, bestY, nearest, position.english(),
                    MAX_ANCHOR_OFFSET);
        }
        return new Shape(bestKind, bestColor, bestSize, position);
    }

    /**
     * The soft intersection over union of the coverage map {@code alpha} (only where {@code owner == label}) and the
     * outline of {@code kind} at ({@code cx}, {@code cy}) with radius {@code r} (pixels). The outline is also compared
     * after one and two 3×3 box blurs, and the best of the three counts: blur and JPEG's half-resolution colour
     * soften edges, and a softened outline matches a softened object better than a sharp one.
     */
    private static double overlap(ShapeKind kind, double cx, double cy, double r, float[] alpha, int[] owner, int label,
                                  int rx0, int ry0, int rx1, int ry1, int w, int h) {
        int x0 = Math.max(0, Math.min(rx0, (int) Math.floor(cx - 1.1 * r)) - 3);
        int x1 = Math.min(w - 1, Math.max(rx1, (int) Math.ceil(cx + 1.1 * r)) + 3);
        int y0 = Math.max(0, Math.min(ry0, (int) Math.floor(cy - 1.1 * r)) - 3);
        int y1 = Math.min(h - 1, Math.max(ry1, (int) Math.ceil(cy + 1.1 * r)) + 3);
        int ww = x1 - x0 + 1;
        int wh = y1 - y0 + 1;
        float[] a = new float[ww * wh];
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int p = y * w + x;
                a[(y - y0) * ww + (x - x0)] = owner[p] == label ? alpha[p] : 0f;
            }
        }
        float[] t = new float[ww * wh];
        ShapeGeometry.accumulateCoverage(kind, cx - x0, cy - y0, r, 4, ww, wh, t);
        double best = softIou(a, t);
        for (int pass = 0; pass < 2; pass++) {
            t = boxBlur(t, ww, wh);
            best = Math.max(best, softIou(a, t));
        }
        return best;
    }

    private static double softIou(float[] a, float[] t) {
        double inter = 0;
        double union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += Math.min(a[i], t[i]);
            union += Math.max(a[i], t[i]);
        }
        return union == 0 ? 0 : inter / union;
    }

    private static float[] boxBlur(float[] in, int w, int h) {
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && nx < w && ny >= 0 && ny < h) {
                            sum += in[ny * w + nx];
                            n++;
                        }
                    }
                }
                out[y * w + x] = sum / n;
            }
        }
        return out;
    }

    /**
     * The three palette colours (other than the background) that best explain {@code region}, best first. Cost =
     * unmixing residual (RMS) + distance from the object's core colour (its quarter of pixels farthest from the
     * background): without the core term, gray on white is explained equally well as half-covered black.
     */
    private static List<ColourCandidate> colourCandidates(RgbPlanes img, float[] bg, ShapeColor background,
                                                          int[] region) {
        float[] core = coreColour(img, bg, region);
        List<ColourCandidate> all = new ArrayList<>();
        for (ShapeColor c : ShapeColor.values()) {
            if (c == background) {
                continue;
            }
            double residual = 0;
            float er = c.red() - bg[0];
            float eg = c.green() - bg[1];
            float eb = c.blue() - bg[2];
            float ee = er * er + eg * eg + eb * eb;
            for (int p : region) {
                float dr = img.r[p] - bg[0];
                float dg = img.g[p] - bg[1];
                float db = img.b[p] - bg[2];
                float a = Math.max(0f, Math.min(1f, (dr * er + dg * eg + db * eb) / ee));
                float rr = dr - a * er;
                float rg = dg - a * eg;
                float rb = db - a * eb;
                residual += rr * rr + rg * rg + rb * rb;
            }
            double rms = Math.sqrt(residual / region.length);
            all.add(new ColourCandidate(c, rms, rms + Math.sqrt(distance2(c, core[0], core[1], core[2]))));
        }
        all.sort(java.util.Comparator.comparingDouble(ColourCandidate::cost));
        return all.subList(0, COLOUR_CANDIDATES);
    }

    private static float[] coreColour(RgbPlanes img, float[] bg, int[] region) {
        float[] d = new float[region.length];
        for (int i = 0; i < region.length; i++) {
            d[i] = img.distance2(region[i], bg[0], bg[1], bg[2]);
        }
        float[] sorted = d.clone();
        java.util.Arrays.sort(sorted);
        float cut = sorted[(int) (sorted.length * 0.75)];
        float[] mean = new float[3];
        int k = 0;
        for (int i = 0; i < region.length; i++) {
            if (d[i] >= cut) {
                mean[0] += img.r[region[i]];
                mean[1] += img.g[region[i]];
                mean[2] += img.b[region[i]];
                k++;
            }
        }
        for (int c = 0; c < 3; c++) {
            mean[c] /= k;
        }
        return mean;
    }

    private static int[] regionOf(int[] owner, int label) {
        int count = 0;
        for (int o : owner) {
            if (o == label) {
                count++;
            }
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] == label) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static double meanError(RgbPlanes img, Scene scene) {
        int[] rendered = Renderer.renderPixels(scene, img.width, img.height);
        double sum = 0;
        for (int i = 0; i < rendered.length; i++) {
            int rgb = rendered[i];
            sum += Math.abs(img.r[i] - ((rgb >> 16) & 0xFF)) + Math.abs(img.g[i] - ((rgb >> 8) & 0xFF))
                    + Math.abs(img.b[i] - (rgb & 0xFF));
        }
        return sum / (3.0 * rendered.length);
    }

    private static float[] borderMedian(RgbPlanes img) {
        int w = img.width;
        int h = img.height;
        int count = 2 * w + 2 * (h - 2);
        float[][] ch = new float[3][count];
        int k = 0;
        for (int i = 0; i < w * h; i++) {
            int x = i % w;
            int y = i / w;
            if (x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                ch[0][k] = img.r[i];
                ch[1][k] = img.g[i];
                ch[2][k] = img.b[i];
                k++;
            }
        }
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            java.util.Arrays.sort(ch[c]);
            out[c] = ch[c][count / 2];
        }
        return out;
    }

    private static ShapeColor nearestPalette(float r, float g, float b) {
        ShapeColor best = null;
        double bestD = Double.MAX_VALUE;
        for (ShapeColor c : ShapeColor.values()) {
            double d = distance2(c, r, g, b);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }

    private static double distance2(ShapeColor c, float r, float g, float b) {
        double dr = c.red() - r;
        double dg = c.green() - g;
        double db = c.blue() - b;
        return dr * dr + dg * dg + db * db;
    }

    private static void checkSide(String name, int value) {
        if (value < MIN_SIDE || value > MAX_SIDE) {
            throw new IllegalArgumentException("image " + name + " must be in [" + MIN_SIDE + ", " + MAX_SIDE
                    + "] pixels, but is: " + value);
        }
    }
}
