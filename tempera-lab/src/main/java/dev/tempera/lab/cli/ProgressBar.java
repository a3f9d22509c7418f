package dev.tempera.lab.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * How the batch commands ({@code tempera generate --in}, {@code tempera image --in}) show progress on standard error,
 * in one of two forms: on a terminal, one bar redrawn in place ({@code \r}) at most every {@link #REDRAW_NANOS}
 * (the first and the last update always draw); elsewhere (a log, a pipe, a test), one line each time the work done
 * crosses another tenth of the total, so a log of 10,000 prompts holds ten lines, not 10,000. The caller says what
 * counts as done and writes the status text; this class decides when and how it is shown, and times the run from
 * the moment it is made (make it after the model load).
 *
 * <pre>{@code
 * ProgressBar bar = new ProgressBar(err, "tempera generate: ", Terminal.stderrIsTerminal(), System::nanoTime);
 * bar.update(done, total, done == total, now -> done + "/" + total + ", ETA " + bar.eta(now, done, total));
 * }</pre>
 *
 * <p>Not thread-safe; one instance per run.
 */
public final class ProgressBar {

    /** The least time between two redraws of the bar, in nanoseconds. */
    public static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_CELLS = 24;

    private final PrintWriter err;
    private final String logPrefix;
    private final boolean bar;
    private final LongSupplier nanos;
    private final long start;
    private long nextTenth = 1;
    private long lastDraw = Long.MIN_VALUE;
    private int lastWidth;
    private boolean lineOpen;

    /**
     * @param logPrefix what each line of the log form starts with, e.g. {@code "tempera image: "} (the bar has none)
     * @param bar redraw a bar in place (for a terminal) instead of printing a line per tenth
     * @param nanos the clock, {@code System::nanoTime} outside tests; read once now, as the start
     */
    public ProgressBar(PrintWriter err, String logPrefix, boolean bar, LongSupplier nanos) {
        this.err = err;
        this.logPrefix = logPrefix;
        this.bar = bar;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /**
     * Shows that {@code done} of {@code total} are done, if it is time to: on a terminal the bar, filled to
     * {@code done / total}, then {@code status} of the clock's time, unless the last draw was under
     * {@link #REDRAW_NANOS} ago and this is not the {@code last} update (which also ends the line); off a terminal a
     * line of {@code status} when {@code done} has crossed another tenth since the last one, one line however many
     * tenths it crossed (so an update that does not advance {@code done} prints nothing).
     */
    public void update(long done, long total, boolean last, LongFunction<String> status) {
        long now = nanos.getAsLong();
        if (bar) {
            if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            int filled = (int) (done * BAR_CELLS / total);
            String text = "[" + "█".repeat(filled) + "░".repeat(BAR_CELLS - filled) + "] " + status.apply(now);
            // pad over the end of a longer previous bar ("1000 tok/s" → "999 tok/s")
            err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
            lastWidth = text.length();
            lineOpen = !last;
            if (last) {
                err.println();
            }
            err.flush();
        } else if (done * 10 >= nextTenth * total) {
            while (done * 10 >= nextTenth * total) {
                nextTenth++;
            }
            err.println(logPrefix + status.apply(now));
            err.flush();
        }
    }

    /** Prints {@code tempera: message} on a line of its own (ending a bar first; the next update draws at once). */
    public void warn(String message) {
        stop();
        err.println("tempera: " + message);
        err.flush();
        lastDraw = Long.MIN_VALUE;
    }

    /** Ends a bar left mid-line (by a failed run, or before a warning), so that what follows starts a line. */
    public void stop() {
        if (lineOpen) {
            err.println();
            err.flush();
            lineOpen = false;
            lastWidth = 0;
        }
    }

    /** Nanoseconds from the start to {@code now} (a reading of the clock). */
    public long elapsedNanos(long now) {
        return now - start;
    }

    /** Seconds since the start. */
    public double seconds() {
        return elapsedNanos(nanos.getAsLong()) / 1e9;
    }

    /**
     * The time left at {@code now} ({@link #duration}), assuming the {@code total - done} left cost what the
     * {@code done} finished did on average; {@code "-"} while nothing is done.
     */
    public String eta(long now, long done, long total) {
        if (done == 0) {
            return "-";
        }
        return duration(Math.round(elapsedNanos(now) / 1e9 / done * (total - done)));
    }

    /** {@code 65 → "1:05"}, {@code 3725 → "1:02:05"}. */
    public static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
