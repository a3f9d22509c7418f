package dev.tempera.lab.cli.eval;

import picocli.CommandLine;

/**
 * Usage errors of the eval commands: exit 2 with a one-line message naming the input, what it must be, and what it
 * is.
 */
final class Usage {

    private Usage() {}

    static CommandLine.ParameterException error(CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
