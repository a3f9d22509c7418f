package dev.tempera.lab.cli.image;

import dev.tempera.image.pipeline.StepListener;
import dev.tempera.lab.cli.ProgressBar;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of {@code tempera image --in} on standard error, across the whole batch: the line being worked on of
 * the lines, images done of the images (seeds × guidance scales, summed over the lines), seconds per image of wall
 * time since the instance was made (make it after the model load) and the estimated time left, assuming the images
 * left cost what the finished ones did on average.
 *
 * <p>The two forms of {@link ProgressBar}: on a terminal, a bar that also shows the denoising step of the current
 * generate call; elsewhere, one line each time another tenth of the images is done — never a line per step. Warnings
 * ({@link #warn}) go on a line of their own. Not thread-safe; one instance per run.
 */
final class ImageBatchProgress {

    private final ProgressBar out;
    private final int lines;
    private final int images;
    private int line;
    private int done;
    private int step;
    private int steps;

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
        this.lines = lines;
        this.images = images;
        this.out = new ProgressBar(err, "tempera image: ", bar, nanos);
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
        out.update(done, images, false, this::text);
    }

    /** {@code n} more images are written. */
    void imagesDone(int n) {
        if (n < 0 || done + n > images) {
            throw new IllegalArgumentException("n must be in [0, " + (images - done) + "] (" + done + " of " + images
                    + " images are done), but is: " + n);
        }
        done += n;
        step = 0;
        out.update(done, images, done == images, this::text);
    }

    /** Prints {@code tempera: message} on a line of its own (ending a bar first; the next draw starts afresh). */
    void warn(String message) {
        out.warn(message);
    }

    /** Ends a bar left mid-line (by a failed run, or before a warning). */
    void stop() {
        out.stop();
    }

    /** Images done so far. */
    int done() {
        return done;
    }

    /** Seconds since the start. */
    double seconds() {
        return out.seconds();
    }

    /** {@code "line 2/3, images 4/12 (33%), 0.50 s/image, ETA 0:04"}. */
    String status(long now) {
        return String.format(Locale.ROOT, "line %d/%d, images %d/%d (%d%%), %s, ETA %s", line, lines, done, images,
                done * 100L / images, rate(now), out.eta(now, done, images));
    }

    /**
     * The status and the step of the current generate call; log lines never show a step, as they are printed only
     * when images are done, which resets it.
     */
    private String text(long now) {
        return status(now) + (step > 0 ? String.format(Locale.ROOT, " · step %d/%d", step, steps) : "");
    }

    private String rate(long now) {
        return done == 0 ? "- s/image" : String.format(Locale.ROOT, "%.2f s/image", out.elapsedNanos(now) / 1e9 / done);
    }
}
