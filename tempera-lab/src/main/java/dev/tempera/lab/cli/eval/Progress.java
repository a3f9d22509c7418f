package dev.tempera.lab.cli.eval;

import java.io.PrintWriter;

/**
 * Stage messages on stderr for long runs ({@code tempera eval text: embedding 500 outputs…}), so that stdout stays
 * the table or the JSON. Off for small inputs, where every stage takes about a second. Not thread-safe.
 */
final class Progress {

    private final PrintWriter err;
    private final String command;
    private final boolean enabled;
    private final long start = System.nanoTime();

    Progress(PrintWriter err, String command, boolean enabled) {
        this.err = err;
        this.command = command;
        this.enabled = enabled;
    }

    /** Announces a stage that is about to start, with the seconds elapsed so far. */
    void stage(String what) {
        if (enabled) {
            err.printf("%s: %s (%.1f s)%n", command, what, (System.nanoTime() - start) / 1e9);
            err.flush();
        }
    }
}
