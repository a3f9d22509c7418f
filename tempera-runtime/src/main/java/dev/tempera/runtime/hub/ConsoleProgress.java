package dev.tempera.runtime.hub;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar per file, redrawn in place with {@code \r}:
 * {@code onnx/model_fp16.onnx  42%  12.3/29.1 MB  5.2 MB/s}, and a line break when the file is done.
 * MB are 10⁶ bytes; the speed counts only this download's bytes, not those a resumed file already had.
 *
 * <p>Redraws are limited to one per {@code 200 ms} (and always the last), so a fast download does not flood the
 * terminal. Not for concurrent downloads: use one instance per download at a time (sequential calls from different
 * threads, as {@link HfHub} makes them, are fine). {@link #stderrIfInteractive()} is silent when
 * the process has no console (output piped or redirected, CI logs).
 */
public final class ConsoleProgress implements DownloadProgress {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final LongSupplier nanoTime;
    private String file;
    private long startNanos;
    private long startBytes;
    private long lastDraw;
    private int lastWidth;

    /** Draws on {@code out} using the system clock. */
    public ConsoleProgress(PrintStream out) {
        this(out, System::nanoTime);
    }

    /** Draws on {@code out}, timing with {@code nanoTime} (a test passes a fake clock). */
    public ConsoleProgress(PrintStream out, LongSupplier nanoTime) {
        this.out = Objects.requireNonNull(out, "out");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** A bar on standard error when there is a console, else {@link DownloadProgress#silent()}. */
    public static DownloadProgress stderrIfInteractive() {
        return System.console() != null ? new ConsoleProgress(System.err) : DownloadProgress.silent();
    }

    @Override
    public void update(String name, long bytesDone, long totalBytes) {
        long now = nanoTime.getAsLong();
        if (!name.equals(file)) {
            file = name;
            startNanos = now;
            startBytes = bytesDone;
            lastDraw = Long.MIN_VALUE;
        }
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS && bytesDone != totalBytes) {
            return;
        }
        lastDraw = now;
        draw(line(name, bytesDone, totalBytes, now));
    }

    @Override
    public void finished(String name, long bytes) {
        long now = nanoTime.getAsLong();
        if (!name.equals(file)) {
            startNanos = now;
            startBytes = bytes;
        }
        draw(line(name, bytes, bytes, now));
        out.print('\n');
        out.flush();
        file = null;
        lastWidth = 0;
    }

    private String line(String name, long done, long total, long now) {
        double seconds = (now - startNanos) / 1e9;
        double speed = seconds > 0 ? (done - startBytes) / 1e6 / seconds : 0;
        if (total >= 0) {
            int percent = total == 0 ? 100 : (int) (100 * done / total);
            return String.format(Locale.ROOT, "%s  %3d%%  %.1f/%.1f MB  %.1f MB/s", name, percent, done / 1e6, total / 1e6, speed);
        }
        return String.format(Locale.ROOT, "%s  %.1f MB  %.1f MB/s", name, done / 1e6, speed);
    }

    private void draw(String text) {
        StringBuilder sb = new StringBuilder("\r").append(text);
        for (int i = text.length(); i < lastWidth; i++) {
            sb.append(' ');
        }
        lastWidth = text.length();
        out.print(sb);
        out.flush();
    }
}
