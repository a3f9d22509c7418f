package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalTest {

    @Test
    void stderrIsATerminalWhenItsDescriptorPointsAtOneUnlessTheLauncherSaysOtherwise(@TempDir Path dir)
            throws IOException {
        // stand-ins for /proc/self/fd/2: links need not resolve, only their targets are read
        Path tty = Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/pts/3"));
        Path console = Files.createSymbolicLink(dir.resolve("console"), Path.of("/dev/tty1"));
        Path pipe = Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[81234]"));

        assertThat(Terminal.stderrIsTerminal(null, tty)).isTrue();
        assertThat(Terminal.stderrIsTerminal(null, console)).isTrue();
        assertThat(Terminal.stderrIsTerminal(null, pipe)).isFalse();
        // a blank variable counts as unset
        assertThat(Terminal.stderrIsTerminal(" ", pipe)).isFalse();
        // ./tempera pipes stderr through grep: the launcher's word wins over the pipe, both ways, in any case
        assertThat(Terminal.stderrIsTerminal("1", pipe)).isTrue();
        assertThat(Terminal.stderrIsTerminal("TRUE", pipe)).isTrue();
        assertThat(Terminal.stderrIsTerminal("false", tty)).isFalse();
        assertThat(Terminal.stderrIsTerminal("0", tty)).isFalse();
        assertThatThrownBy(() -> Terminal.stderrIsTerminal("yes", tty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TEMPERA_STDERR_TTY must be 1, true, 0 or false, but is: yes");
    }
}
