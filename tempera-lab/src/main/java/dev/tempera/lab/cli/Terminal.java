package dev.tempera.lab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether standard error is a terminal, which decides how the batch commands ({@code tempera generate --in},
 * {@code tempera image --in}) show progress: a bar redrawn in place, or a line now and then.
 *
 * <pre>{@code
 * boolean redrawInPlace = Terminal.stderrIsTerminal();
 * }</pre>
 */
public final class Terminal {

    /** The variable by which the {@code ./tempera} launcher says whether the user's standard error is a terminal. */
    static final String STDERR_TTY = "TEMPERA_STDERR_TTY";

    private Terminal() {}

    /**
     * Whether standard error is a terminal. {@code TEMPERA_STDERR_TTY} decides when set ({@code 1} / {@code true} or
     * {@code 0} / {@code false}, any case): the {@code ./tempera} launcher filters the JVM's standard error through a
     * pipe, so the JVM cannot see the user's terminal itself and the launcher has to say. Otherwise, on Linux, by
     * where file descriptor 2 points ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere Java 17 cannot tell standard
     * error apart and this answers whether there is a console at all (standard input and output both terminals).
     *
     * @throws IllegalArgumentException when {@code TEMPERA_STDERR_TTY} is set to anything else
     */
    public static boolean stderrIsTerminal() {
        return stderrIsTerminal(System.getenv(STDERR_TTY), Path.of("/proc/self/fd/2"));
    }

    /** {@link #stderrIsTerminal()} with the variable's value ({@code null} when unset) and the descriptor's link. */
    static boolean stderrIsTerminal(String variable, Path fd2) {
        if (variable != null && !variable.isBlank()) {
            String v = variable.strip().toLowerCase(Locale.ROOT);
            if (v.equals("1") || v.equals("true")) {
                return true;
            }
            if (v.equals("0") || v.equals("false")) {
                return false;
            }
            throw new IllegalArgumentException(STDERR_TTY + " must be 1, true, 0 or false, but is: " + variable);
        }
        if (Files.isSymbolicLink(fd2)) {
            try {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException e) {
                // the link vanished or cannot be read: no evidence of a terminal, so print plain lines
                return false;
            }
        }
        return System.console() != null;
    }
}
