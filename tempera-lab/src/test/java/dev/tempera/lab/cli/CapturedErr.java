package dev.tempera.lab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Standard error for a test of progress output: a writer to hand to the code under test, and what it wrote. */
public final class CapturedErr {

    private final StringWriter text = new StringWriter();
    private final PrintWriter writer = new PrintWriter(text, true);

    /** The writer to pass as standard error. */
    public PrintWriter writer() {
        return writer;
    }

    /** Everything written so far, {@code \r} and padding included. */
    public String text() {
        return text.toString();
    }

    /** What was written so far, split at {@code \n}, empty lines left out. */
    public List<String> lines() {
        return Arrays.stream(text().split("\n")).filter(s -> !s.isEmpty()).toList();
    }
}
