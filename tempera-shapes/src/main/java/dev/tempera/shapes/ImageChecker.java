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
 *   <li>Outline fit: for the best colour candidate, every kind at both sizes is rasterised at the coverage map's
 *       centroid; the (kind, size) whose outline overlaps the coverage map best (soft intersection over union)
 *       wins, if the overlap is good enough; otherwise the next colour candidate is tried. The object's area must
 *       match the size within a factor of 1.3 in radius.
 *   <li>Position: the fitted anchor must lie near one of the five anchors. When the outline fit cannot name the
 *       object (no solid pixel, poor overlap, size off) the anchor nearest its centroid is used instead.
 *   <li>Kind, colour and size by re-rendering: every (kind, colour, size) at that anchor is rendered into a window
 *       around the object and compared with the image (luma sharp, chroma blurred, as JPEG keeps it); the best wins
 *       only if it beats the runner-up by a clear margin, otherwise the object is ambiguous and the answer unknown.
 *   <li>The scene must be valid, and rendering it must reproduce the image closely, both on average and in every
 *       patch of a fifth of the side (a missed small shape leaves a concentrated residual).
 * </ol>
 * Thresholds are in {@code 0–255} sRGB units and fractions of the shorter side. Thread-safe; the only state is a
 * bounded cache of shape coverage maps.
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
    private static final double MIN_MARGIN = 2.0;
    private static final double MAX_LOCAL_RESIDUAL = 800;
    private static final double LOCAL_WINDOW = 0.2;

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

        // 3-5. Each object's position from the outline fit, then its kind, colour and size by re-rendering.
        List<Shape> shapes = new ArrayList<>();
        for (int o = 0; o < objects.size(); o++) {
            Object reading = readShape(img, bg, background, owner, o + 1);
            Position anchor;
            if (reading instanceof Shape shape) {
                anchor = shape.position();
            } else if (reading instanceof Unnamed unnamed) {
                // Typically a small shape in a small JPEG, its colour smeared by half-resolution chroma: the
                // re-rendering fit below may still name it, at the anchor nearest its centroid.
                anchor = nearestAnchor(img, bg, owner, o + 1);
                if (anchor == null) {
                    return ImageCheck.unknown("object " + (o + 1) + ": " + unnamed.reason()
                            + ", and its centroid is near no anchor");
                }
            } else {
                return ImageCheck.unknown("object " + (o + 1) + ": " + reading);
            }
            SynthesisFit fit = synthesisFit(img, bg, background, owner, o + 1, anchor);
            if (fit.secondMse() - fit.bestMse() < MIN_MARGIN) {
                return ImageCheck.unknown(String.format(Locale.ROOT,
                        "object %d: ambiguous: the %s and the %s re-render almost equally well (%.1f and %.1f per"
                                + " pixel, a margin of at least %.1f needed)",
                        o + 1, fit.best(), fit.second(), fit.bestMse(), fit.secondMse(), MIN_MARGIN));
            }
            shapes.add(fit.best());
        }

        // 6. Validity and reconstruction.
        Scene scene;
        try {
            scene = new Scene(background, shapes);
        } catch (IllegalArgumentException e) {
            return ImageCheck.unknown("not a valid scene: " + e.getMessage());
        }
        int[] rendered = Renderer.renderPixels(scene, w, h);
        double error = meanError(img, rendered);
        if (error > MAX_MEAN_ERROR) {
            return ImageCheck.unknown(String.format(Locale.ROOT,
                    "rendering the recognised scene (%s) differs from the image by %.1f per channel on average, at most %.1f allowed",
                    scene, error, MAX_MEAN_ERROR));
        }
        double local = localResidual(img, rendered);
        if (local > MAX_LOCAL_RESIDUAL) {
            return ImageCheck.unknown(String.format(Locale.ROOT,
                    "rendering the recognised scene (%s) leaves something unexplained: a squared error of %.0f per"
                            + " pixel in one spot, at most %.0f allowed",
                    scene, local, MAX_LOCAL_RESIDUAL));
        }
        return ImageCheck.known(scene);
    }

    /**
     * The largest mean squared difference (luma, and chroma after a 3×3 blur of both sides) between the image and the
     * re-rendered scene (blurred 0, 1 or 2 times, whichever matches best overall) over any square of a fifth of the
     * shorter side: a small shape the checker missed (too faint to stand out, or dropped as a speck) leaves a
     * concentrated residual that the whole-image mean error dilutes.
     */
    private static double localResidual(RgbPlanes img, int[] rendered) {
        int w = img.width;
        int h = img.height;
        int n = w * h;
        float[] ry = new float[n];
        float[] rcb = new float[n];
        float[] rcr = new float[n];
        float[] iy = new float[n];
        float[] icb = new float[n];
        float[] icr = new float[n];
        for (int i = 0; i < n; i++) {
            int rgb = rendered[i];
            float r = (rgb >> 16) & 0xFF;
            float g = (rgb >> 8) & 0xFF;
            float b = rgb & 0xFF;
            ry[i] = luma(r, g, b);
            rcb[i] = cb(r, g, b);
            rcr[i] = cr(r, g, b);
            iy[i] = luma(img.r[i], img.g[i], img.b[i]);
            icb[i] = cb(img.r[i], img.g[i], img.b[i]);
            icr[i] = cr(img.r[i], img.g[i], img.b[i]);
        }
        icb = boxBlur(icb, w, h);
        icr = boxBlur(icr, w, h);
        rcb = boxBlur(rcb, w, h);
        rcr = boxBlur(rcr, w, h);
        // The rendering blurred as much as the image seems to be (0, 1 or 2 box blurs, least total error).
        float[] dy = null;
        float[] dcb = null;
        float[] dcr = null;
        double bestTotal = Double.MAX_VALUE;
        for (int level = 0; level < 3; level++) {
            if (level > 0) {
                ry = boxBlur(ry, w, h);
                rcb = boxBlur(rcb, w, h);
                rcr = boxBlur(rcr, w, h);
            }
            float[] ey = new float[n];
            float[] eb = new float[n];
            float[] er = new float[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                ey[i] = iy[i] - ry[i];
                eb[i] = icb[i] - rcb[i];
                er[i] = icr[i] - rcr[i];
                total += ey[i] * ey[i] + eb[i] * eb[i] + er[i] * er[i];
            }
            if (total < bestTotal) {
                bestTotal = total;
                dy = ey;
                dcb = eb;
                dcr = er;
            }
        }
        float[] e = new float[n];
        for (int i = 0; i < n; i++) {
            e[i] = dy[i] * dy[i] + dcb[i] * dcb[i] + dcr[i] * dcr[i];
        }
        int k = Math.max(3, (int) Math.round(Math.min(w, h) * LOCAL_WINDOW));
        // Summed-area table.
        double[] sat = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                sat[(y + 1) * (w + 1) + x + 1] = e[y * w + x] + sat[y * (w + 1) + x + 1] + sat[(y + 1) * (w + 1) + x]
                        - sat[y * (w + 1) + x];
            }
        }
        double worst = 0;
        for (int y = 0; y + k <= h; y++) {
            for (int x = 0; x + k <= w; x++) {
                double s = sat[(y + k) * (w + 1) + x + k] - sat[y * (w + 1) + x + k] - sat[(y + k) * (w + 1) + x]
                        + sat[y * (w + 1) + x];
                worst = Math.max(worst, s / (k * k));
            }
        }
        return worst;
    }

    /** Why the outline fit could not name an object that re-rendering may still name. */
    private record Unnamed(String reason) {}

    /** The anchor nearest the contrast-weighted centroid of object {@code label}, or null if none is near. */
    private static Position nearestAnchor(RgbPlanes img, float[] bg, int[] owner, int label) {
        int w = img.width;
        double sw = 0;
        double sx = 0;
        double sy = 0;
        for (int p = 0; p < owner.length; p++) {
            if (owner[p] == label) {
                double d = Math.sqrt(img.distance2(p, bg[0], bg[1], bg[2]));
                sw += d;
                sx += d * (p % w + 0.5);
                sy += d * (p / w + 0.5);
            }
        }
        double x = sx / sw / w;
        double y = sy / sw / img.height;
        Position best = null;
        double nearest = Double.MAX_VALUE;
        for (Position p : Position.values()) {
            double d = Math.hypot(x - p.x(), y - p.y());
            if (d < nearest) {
                nearest = d;
                best = p;
            }
        }
        return nearest <= MAX_ANCHOR_OFFSET ? best : null;
    }

    /** A palette colour that might explain an object, with its unmixing residual. */
    private record ColourCandidate(ShapeColor color, double rms, double cost) {}

    /**
     * The outline fit's reading of object {@code label}: a Shape (only its position is used; kind, colour and size are
     * then read by re-rendering), an {@link Unnamed} when the outline fit fails but the object may still be nameable
     * (no solid pixel, poor overlap, size off), or a String saying why it is not a palette shape. The colour
     * candidates are tried best first; for each, every kind at every size is fitted, and the first colour with a good
     * enough fit wins.
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
            return new Unnamed("no pixel is solidly one palette colour; the object is too faint or too blurred");
        }
        if (bestOverlap < MIN_OVERLAP) {
            return new Unnamed(String.format(Locale.ROOT,
                    "shape not recognised (best: %s %s %s, overlap %.2f, at least %.2f needed)",
                    bestSize.english(), bestColor.english(), bestKind.english(), bestOverlap, MIN_OVERLAP));
        }
        double areaRadius = Math.sqrt(bestArea / ShapeGeometry.unitArea(bestKind)) / side;
        double ratio = areaRadius / bestSize.radius();
        if (ratio < 1 / MAX_RADIUS_RATIO || ratio > MAX_RADIUS_RATIO) {
            return new Unnamed(String.format(Locale.ROOT,
                    "%s %s of radius %.3f is neither small (%.2f) nor large (%.2f) within a factor of %.2f",
                    bestColor.english(), bestKind.english(), areaRadius, Size.SMALL.radius(), Size.LARGE.radius(),
                    MAX_RADIUS_RATIO));
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
     * The best and second-best (kind, colour, size) at an anchor by local re-rendering, with their mean squared errors
     * per window pixel (luma and chroma, 0–255 scale).
     */
    private record SynthesisFit(Shape best, double bestMse, Shape second, double secondMse) {}

    /**
     * Fits every (kind, size, colour) at {@code position} by re-rendering it into a window around object
     * {@code label} (the object's pixels and everything a large shape at the anchor would cover, less the other
     * object's) and comparing with the image in YCbCr: luma at full resolution, the outline blurred 0, 1 or 2 times
     * (3×3 box) and the best counting; chroma after one more 3×3 blur of both sides, since JPEG keeps chroma at half
     * resolution and smears a small shape's colour into its surroundings. Wrong colours, kinds and sizes leave
     * larger residuals than the outline fit's overlap score reveals; the gap to the runner-up is the confidence.
     */
    private static SynthesisFit synthesisFit(RgbPlanes img, float[] bg, ShapeColor background, int[] owner,
                                             int label, Position position) {
        int w = img.width;
        int h = img.height;
        double side = Math.min(w, h);
        double cx = position.x() * w;
        double cy = position.y() * h;
        double reach = 1.15 * Size.LARGE.radius() * side;
        int x0 = (int) Math.floor(cx - reach);
        int x1 = (int) Math.ceil(cx + reach);
        int y0 = (int) Math.floor(cy - reach);
        int y1 = (int) Math.ceil(cy + reach);
        for (int p = 0; p < owner.length; p++) {
            if (owner[p] == label) {
                x0 = Math.min(x0, p % w);
                x1 = Math.max(x1, p % w);
                y0 = Math.min(y0, p / w);
                y1 = Math.max(y1, p / w);
            }
        }
        x0 = Math.max(0, x0 - 2);
        y0 = Math.max(0, y0 - 2);
        x1 = Math.min(w - 1, x1 + 2);
        y1 = Math.min(h - 1, y1 + 2);
        int ww = x1 - x0 + 1;
        int wh = y1 - y0 + 1;
        int m = ww * wh;
        boolean[] use = new boolean[m];
        float[] iy = new float[m];
        float[] icb = new float[m];
        float[] icr = new float[m];
        int used = 0;
        float bgY = luma(bg[0], bg[1], bg[2]);
        float bgCb = cb(bg[0], bg[1], bg[2]);
        float bgCr = cr(bg[0], bg[1], bg[2]);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int p = y * w + x;
                int q = (y - y0) * ww + (x - x0);
                // The other object's pixels are left out (and count as background for the chroma blur).
                use[q] = owner[p] == 0 || owner[p] == label;
                if (use[q]) {
                    used++;
                    iy[q] = luma(img.r[p], img.g[p], img.b[p]) - bgY;
                    icb[q] = cb(img.r[p], img.g[p], img.b[p]) - bgCb;
                    icr[q] = cr(img.r[p], img.g[p], img.b[p]) - bgCr;
                }
            }
        }
        icb = boxBlur(icb, ww, wh);
        icr = boxBlur(icr, ww, wh);
        double energy = 0;
        for (int q = 0; q < m; q++) {
            if (use[q]) {
                energy += iy[q] * iy[q] + icb[q] * icb[q] + icr[q] * icr[q];
            }
        }
        Shape best = null;
        Shape second = null;
        double bestSse = Double.MAX_VALUE;
        double secondSse = Double.MAX_VALUE;
        for (ShapeKind kind : ShapeKind.values()) {
            for (Size size : Size.values()) {
                float[][] cov = new float[4][];
                cov[0] = new float[m];
                float[] full = coverage(kind, size, position, w, h);
                for (int y = y0; y <= y1; y++) {
                    System.arraycopy(full, y * w + x0, cov[0], (y - y0) * ww, ww);
                }
                for (int l = 1; l < 4; l++) {
                    cov[l] = boxBlur(cov[l - 1], ww, wh);
                }
                // The error is quadratic in the colour, so five sums per blur level give it for every colour:
                // Σ(i − a·d)² = Σi² − 2d·Σi·a + d²·Σa².
                double[][] sums = new double[3][5];
                for (int l = 0; l < 3; l++) {
                    float[] a = cov[l];
                    float[] ab = cov[l + 1];
                    double ya = 0;
                    double aa = 0;
                    double ba = 0;
                    double ra = 0;
                    double bb = 0;
                    for (int q = 0; q < m; q++) {
                        if (use[q]) {
                            ya += iy[q] * a[q];
                            aa += a[q] * a[q];
                            ba += icb[q] * ab[q];
                            ra += icr[q] * ab[q];
                            bb += ab[q] * ab[q];
                        }
                    }
                    sums[l] = new double[] {ya, aa, ba, ra, bb};
                }
                for (ShapeColor c : ShapeColor.values()) {
                    if (c == background) {
                        continue;
                    }
                    double dy = luma(c.red(), c.green(), c.blue()) - bgY;
                    double dcb = cb(c.red(), c.green(), c.blue()) - bgCb;
                    double dcr = cr(c.red(), c.green(), c.blue()) - bgCr;
                    double sse = Double.MAX_VALUE;
                    for (double[] t : sums) {
                        sse = Math.min(sse, energy - 2 * (dy * t[0] + dcb * t[2] + dcr * t[3])
                                + dy * dy * t[1] + (dcb * dcb + dcr * dcr) * t[4]);
                    }
                    Shape shape = new Shape(kind, c, size, position);
                    if (sse < bestSse) {
                        second = best;
                        secondSse = bestSse;
                        best = shape;
                        bestSse = sse;
                    } else if (sse < secondSse) {
                        second = shape;
                        secondSse = sse;
                    }
                }
            }
        }
        return new SynthesisFit(best, bestSse / used, second, secondSse / used);
    }

    private record CoverageKey(ShapeKind kind, Size size, Position position, int width, int height) {}

    private static final int COVERAGE_CACHE_ENTRIES = 400;
    private static final int COVERAGE_CACHE_MAX_PIXELS = 128 * 128;
    private static final java.util.concurrent.ConcurrentHashMap<CoverageKey, float[]> COVERAGE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The coverage map (4×4 samples per pixel) of a shape over a whole {@code width × height} image. Working images
     * come in few sizes, so the maps of small ones are cached (the cache is emptied when it grows past
     * {@value #COVERAGE_CACHE_ENTRIES} maps); the maps are never modified.
     */
    private static float[] coverage(ShapeKind kind, Size size, Position position, int width, int height) {
        CoverageKey key = new CoverageKey(kind, size, position, width, height);
        float[] map = COVERAGE.get(key);
        if (map == null) {
            map = new float[width * height];
            ShapeGeometry.accumulateCoverage(kind, position.x() * width, position.y() * height,
                    size.radius() * Math.min(width, height), 4, width, height, map);
            if (width * height <= COVERAGE_CACHE_MAX_PIXELS) {
                if (COVERAGE.size() >= COVERAGE_CACHE_ENTRIES) {
                    COVERAGE.clear();
                }
                COVERAGE.put(key, map);
            }
        }
        return map;
    }

    private static float luma(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    private static float cb(float r, float g, float b) {
        return -0.168736f * r - 0.331264f * g + 0.5f * b;
    }

    private static float cr(float r, float g, float b) {
        return 0.5f * r - 0.418688f * g - 0.081312f * b;
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

    /** A 3×3 box blur; at the edges, the mean of the neighbours inside (done separably: rows, then columns). */
    private static float[] boxBlur(float[] in, int w, int h) {
        float[] tmp = new float[in.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float sum = in[row + x];
                int n = 1;
                if (x > 0) {
                    sum += in[row + x - 1];
                    n++;
                }
                if (x < w - 1) {
                    sum += in[row + x + 1];
                    n++;
                }
                tmp[row + x] = sum / n;
            }
        }
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float sum = tmp[row + x];
                int n = 1;
                if (y > 0) {
                    sum += tmp[row - w + x];
                    n++;
                }
                if (y < h - 1) {
                    sum += tmp[row + w + x];
                    n++;
                }
                out[row + x] = sum / n;
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

    private static double meanError(RgbPlanes img, int[] rendered) {
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
