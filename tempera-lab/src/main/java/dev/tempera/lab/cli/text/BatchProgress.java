package dev.tempera.lab.cli.text;

import dev.tempera.lab.cli.ProgressBar;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of {@code tempera generate --in} on standard error: lines done of the total, generated tokens per
 * second of wall time since the instance was made (prompt passes and image decoding included, the model load not:
 * make it after the load) and the estimated time left, assuming the remaining lines cost what the finished ones did
 * on average.
 *
 * <p>The two forms of {@link ProgressBar}: on a terminal, a bar redrawn in place; elsewhere, one line each time
 * another tenth of the lines is done. Not thread-safe; one instance per run.
 */
final class BatchProgress {

    private final ProgressBar out;
    private final int total;
    private int done;
    private long tokens;

    /**
     * @param total the number of lines (≥ 1)
     * @param bar redraw a bar in place (for a terminal) instead of printing a line per tenth
     * @param nanos the clock, {@code System::nanoTime} outside tests; read once now, as the start
     */
    BatchProgress(PrintWriter err, int total, boolean bar, LongSupplier nanos) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be >= 1, but is: " + total);
        }
        this.total = total;
        this.out = new ProgressBar(err, "tempera generate: ", bar, nanos);
    }

    /** Records one finished line that generated {@code generated} tokens, and reports if it is time to. */
    void lineDone(int generated) {
        if (done == total) {
            throw new IllegalStateException("all " + total + " lines are already done");
        }
        done++;
        tokens += generated;
        out.update(done, total, done == total, this::status);
    }

    /** Ends a bar left mid-line by a failed run, so that the error message starts on a line of its own. */
    void stop() {
        out.stop();
    }

    /** Lines done so far. */
    int done() {
        return done;
    }

    /** Tokens generated so far. */
    long tokens() {
        return tokens;
    }

    /** Seconds since the start. */
    double seconds() {
        return out.seconds();
    }

    /** {@code "120/400 lines (30%), 512 tok/s, ETA 1:05"}. */
    String status(long now) {
        return String.format(Locale.ROOT, "%d/%d lines (%d%%), %s, ETA %s", done, total, done * 100L / total,
                rate(now), out.eta(now, done, total));
    }

    private String rate(long now) {
        long elapsed = out.elapsedNanos(now);
        return elapsed <= 0 ? "- tok/s" : String.format(Locale.ROOT, "%.0f tok/s", tokens * 1e9 / elapsed);
    }
}
