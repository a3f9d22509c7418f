package dev.tempera.lab.cli.text;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress of {@code tempera generate --in} on standard error: lines done of the total, generated tokens per
 * second of wall time since the instance was made (prompt passes and image decoding included, the model load not:
 * make it after the load) and the estimated time left, assuming the remaining lines cost what the finished ones did
 * on average.
 *
 * <p>Two forms: on a terminal, one bar redrawn in place ({@code \r}) at most every 100 ms;
 * elsewhere (a log file, a pipe, a test), one line each time another tenth of the lines is done, so a log of 10,000
 * prompts holds ten lines, not 10,000. Not thread-safe; one instance per run.
 */
final class BatchProgress {

    static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_CELLS = 24;

    private final PrintWriter err;
    private final int total;
    private final boolean bar;
    private final LongSupplier nanos;
    private final long start;
    private int done;
    private long tokens;
    private int nextTenth = 1;
    private long lastDraw = Long.MIN_VALUE;
    private int lastWidth;
    private boolean lineOpen;

    /**
     * @param total the number of lines (≥ 1)
     * @param bar redraw a bar in place (for a terminal) instead of printing a line per tenth
     * @param nanos the clock, {@code System::nanoTime} outside tests; read once now, as the start
     */
    BatchProgress(PrintWriter err, int total, boolean bar, LongSupplier nanos) {
        if (total < 1) {
            throw new IllegalArgumentException("total must be >= 1, but is: " + total);
        }
        this.err = err;
        this.total = total;
        this.bar = bar;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** Records one finished line that generated {@code generated} tokens, and reports if it is time to. */
    void lineDone(int generated) {
        if (done == total) {
            throw new IllegalStateException("all " + total + " lines are already done");
        }
        done++;
        tokens += generated;
        long now = nanos.getAsLong();
        if (bar) {
            if (done == total || lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                String line = barLine(now);
                // pad over the end of a longer previous bar ("1000 tok/s" → "999 tok/s")
                err.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                lastWidth = line.length();
                lineOpen = done < total;
                if (!lineOpen) {
                    err.println();
                }
                err.flush();
            }
        } else if ((long) done * 10 >= (long) nextTenth * total) {
            while ((long) done * 10 >= (long) nextTenth * total) {
                nextTenth++;
            }
            err.println("tempera generate: " + status(now));
            err.flush();
        }
    }

    /** Ends a bar left mid-line by a failed run, so that the error message starts on a line of its own. */
    void stop() {
        if (lineOpen) {
            err.println();
            err.flush();
            lineOpen = false;
        }
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
        return (nanos.getAsLong() - start) / 1e9;
    }

    /** {@code "120/400 lines (30%), 512 tok/s, ETA 1:05"}. */
    String status(long now) {
        return String.format(Locale.ROOT, "%d/%d lines (%d%%), %s, ETA %s", done, total, done * 100L / total,
                rate(now), eta(now));
    }

    private String barLine(long now) {
        int filled = (int) ((long) done * BAR_CELLS / total);
        return "[" + "█".repeat(filled) + "░".repeat(BAR_CELLS - filled) + "] " + status(now);
    }

    private String rate(long now) {
        long elapsed = now - start;
        return elapsed <= 0 ? "- tok/s" : String.format(Locale.ROOT, "%.0f tok/s", tokens * 1e9 / elapsed);
    }

    private String eta(long now) {
        if (done == 0) {
            return "-";
        }
        long left = Math.round((now - start) / 1e9 / done * (total - done));
        return duration(left);
    }

    /** {@code 65 → "1:05"}, {@code 3725 → "1:02:05"}. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
