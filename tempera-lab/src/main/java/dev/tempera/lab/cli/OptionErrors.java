package dev.tempera.lab.cli;

import java.util.Map;

/**
 * Turns the {@link dev.tempera.sampling.SamplingParams} validation messages, which name JSON fields
 * ({@code top_p must be in (0, 1], but is: 1.5}), into messages naming the command-line option
 * ({@code --top-p must be in (0, 1], but is: 1.5}).
 */
final class OptionErrors {

    /** Fields whose option is not just the field name with dashes. */
    private static final Map<String, String> RENAMED = Map.of("max_tokens", "--draws");

    private OptionErrors() {}

    static IllegalArgumentException withOptionName(IllegalArgumentException e) {
        String msg = String.valueOf(e.getMessage());
        int space = msg.indexOf(' ');
        if (space <= 0) {
            return e;
        }
        String field = msg.substring(0, space);
        if (!field.matches("[a-z_]+")) {
            return e;
        }
        String option = RENAMED.getOrDefault(field, "--" + field.replace('_', '-'));
        return new IllegalArgumentException(option + msg.substring(space), e);
    }
}
