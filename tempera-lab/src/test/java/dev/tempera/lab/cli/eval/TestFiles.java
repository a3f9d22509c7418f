package dev.tempera.lab.cli.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.lab.cli.TemperaCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Shared by the eval command tests: running the real CLI wiring, writing inputs, reading outputs. */
final class TestFiles {

    private TestFiles() {}

    /** What one CLI run printed and returned (the CLI wired as {@code tempera} wires it: exit codes, messages). */
    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out + err, e);
            }
        }

        /**
         * The cells of the table row whose label is {@code label} (cells are separated by two or more spaces; labels
         * hold single spaces only).
         */
        List<String> row(String label) {
            return Arrays.stream(out.split("\\R"))
                    .map(String::strip)
                    .filter(l -> l.startsWith(label + "  ") || l.equals(label))
                    .findFirst()
                    .map(l -> Arrays.asList(l.split(" {2,}")))
                    .orElseThrow(() -> new AssertionError("no row '" + label + "' in:\n" + out));
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TemperaCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path write(Path file, String... lines) throws IOException {
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    /** {@code models/shapes-clip}, searched upwards from the working directory (the module's folder under Maven). */
    static Path shapesClip() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("models/shapes-clip");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("models/shapes-clip not found above " + Path.of("").toAbsolutePath());
    }
}
