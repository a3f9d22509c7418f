package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;

/** Shared helpers for the shapes commands: usage errors and JSON output. */
final class Options {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Options() {}

    /** A usage error (exit 2) naming the option, the allowed range and the value. */
    static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static void requireRange(CommandLine.Model.CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(spec, option + " must be in [" + min + ", " + max + "], but is: " + value);
        }
    }
}
