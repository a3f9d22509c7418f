package dev.tempera.lab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@link TemperaCli} in-process and captures what it prints. */
public record Cli(int code, String out, String err) {

    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TemperaCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }
}
