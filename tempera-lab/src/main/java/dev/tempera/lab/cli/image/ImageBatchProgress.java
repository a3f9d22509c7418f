package dev.tempera.lab.cli.image;

import dev.tempera.image.pipeline.StepListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of {@code tempera image --in} on standard error, across the whole batch: the line being worked on of
 * the lines, images done of the images (seeds × guidance scales, summed over the lines), seconds per image of wall
 * time since the instance was made (make it after the model load) and the estimated time left, assuming the images
 * left cost what the finished ones did on average.
 *
 * <p>Two forms, as {@code tempera generate --in} has: on a terminal, one bar redrawn in place ({@code \r}) at most
 * every 100 ms, showing the denoising step of the current generate call too; elsewhere (a log, a pipe, a test), one
 * line each time another tenth of the images is done — never a line per step. Warnings ({@link #warn}) go on a line
 * of their own. Not thread-safe; one instance per run.
 */
final class ImageBatchProgress {

    static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_CELLS = 24;

    private final PrintWriter err;
    private final int lines;
    private final int images;
    private final boolean bar;
    private final LongSupplier nanos;
    private final long start;
    private int line;
    private int done;
    private int step;
    private int steps;
    private int nextTenth = 1;
    private long lastDraw = Long.MIN_VALUE;
    private int lastWidth;
    private boolean lineOpen;

    /**
     * @param lines the number of input lines (≥ 1)
     * @param images the number of images of all lines together (≥ 1)
     * @param bar redraw a bar in place (for a terminal) instead of printing a line per tenth
     * @param nanos the clock, {@code System::nanoTime} outside tests; read once now, as the start
     */
    ImageBatchProgress(PrintWriter err, int lines, int images, boolean bar, LongSupplier nanos) {
        if (lines < 1 || images < lines) {
            throw new IllegalArgumentException("lines must be >= 1 and images >= lines, but are: lines=" + lines
                    + ", images=" + images);
        }
        this.err = err;
        this.lines = lines;
        this.images = images;
        this.bar = bar;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** Line {@code k} (1-based, of the lines) starts. */
    void lineStarted(int k) {
        if (k < 1 || k > lines) {
            throw new IllegalArgumentException("k must be in [1, " + lines + "], but is: " + k);
        }
        line = k;
        step = 0;
    }

    /** A step listener for one generate call that reports its steps (on a terminal) and never cancels. */
    StepListener steps() {
        return (s, total, timestep) -> {
            step(s, total);
            return true;
        };
    }

    /** Step {@code s} of {@code total} of the current generate call is done. */
    void step(int s, int total) {
        step = s;
        steps = total;
        if (bar) {
            draw(false);
        }
    }

    /** {@code n} more images are written. */
    void imagesDone(int n) {
        if (n < 0 || done + n > images) {
            throw new IllegalArgumentException("n must be in [0, " + (images - done) + "] (" + done + " of " + images
                    + " images are done), but is: " + n);
        }
        done += n;
        step = 0;
        if (bar) {
            draw(done == images);
        } else if ((long) done * 10 >= (long) nextTenth * images) {
            while ((long) done * 10 >= (long) nextTenth * images) {
                nextTenth++;
            }
            err.println("tempera image: " + status(nanos.getAsLong()));
            err.flush();
        }
    }

    /** Prints {@code tempera: message} on a line of its own (ending a bar first; the next draw starts afresh). */
    void warn(String message) {
        stop();
        err.println("tempera: " + message);
        err.flush();
        lastDraw = Long.MIN_VALUE;
    }

    /** Ends a bar left mid-line (by a failed run, or before a warning). */
    void stop() {
        if (lineOpen) {
            err.println();
            err.flush();
            lineOpen = false;
            lastWidth = 0;
        }
    }

    /** Images done so far. */
    int done() {
        return done;
    }

    /** Seconds since the start. */
    double seconds() {
        return (nanos.getAsLong() - start) / 1e9;
    }

    /** {@code "line 2/3, images 4/12 (33%), 0.50 s/image, ETA 0:04"}. */
    String status(long now) {
        return String.format(Locale.ROOT, "line %d/%d, images %d/%d (%d%%), %s, ETA %s", line, lines, done, images,
                done * 100L / images, rate(now), eta(now));
    }

    private void draw(boolean last) {
        long now = nanos.getAsLong();
        if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) done * BAR_CELLS / images);
        String text = "[" + "█".repeat(filled) + "░".repeat(BAR_CELLS - filled) + "] " + status(now)
                + (step > 0 ? String.format(Locale.ROOT, " · step %d/%d", step, steps) : "");
        // pad over the end of a longer previous bar
        err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
        lastWidth = text.length();
        lineOpen = !last;
        if (last) {
            err.println();
        }
        err.flush();
    }

    private String rate(long now) {
        return done == 0 ? "- s/image" : String.format(Locale.ROOT, "%.2f s/image", (now - start) / 1e9 / done);
    }

    private String eta(long now) {
        if (done == 0) {
            return "-";
        }
        long left = Math.round((now - start) / 1e9 / done * (images - done));
        long h = left / 3600;
        long m = left / 60 % 60;
        long s = left % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
