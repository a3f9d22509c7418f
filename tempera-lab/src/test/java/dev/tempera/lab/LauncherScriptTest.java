package dev.tempera.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tempera} launcher says clearly what is missing when no suitable JDK is found. (The
 * build-and-run path is exercised by every README command; here nothing is built.)
 */
class LauncherScriptTest {

    private static final Path SCRIPT = Path.of("..", "tempera").toAbsolutePath().normalize();

    @TempDir Path dir;

    /** A PATH holding only the tools the script needs before it looks for Java. */
    private Path toolsWithoutJava() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("dirname", "grep", "readlink", "find", "cat")) {
            Path target = Path.of("/usr/bin", tool);
            if (!Files.exists(target)) {
                target = Path.of("/bin", tool);
            }
            // A forwarding script rather than a link, so the temporary directory holds only its own files.
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, "#!/bin/bash\nexec " + target + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private record Run(int code, String out) {}

    private Run run(Path bin, String javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "--version").redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", bin.toString());
        if (javaHome != null) {
            env.put("JAVA_HOME", javaHome);
        }
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void noJavaAtAllIsNamedWithTheFix() throws Exception {
        Run r = run(toolsWithoutJava(), null);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("no Java found").contains("JAVA_HOME").contains("JDK 17");
    }

    @Test
    void anOldJavaIsNamedWithItsVersion() throws Exception {
        Path bin = toolsWithoutJava();
        Path fakeHome = Files.createDirectories(dir.resolve("jdk11/bin"));
        Path java = fakeHome.resolve("java");
        Files.writeString(java, "#!/bin/bash\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(bin, fakeHome.getParent().toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("Java 17 or newer is needed").contains("(Java 11)");
    }
}
