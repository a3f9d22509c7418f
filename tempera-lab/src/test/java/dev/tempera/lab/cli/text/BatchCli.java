package dev.tempera.lab.cli.text;

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
import java.util.ArrayList;
import java.util.List;

/** Runs {@code tempera} in-process for the batch tests, and finds the bundled models and test images. */
record BatchCli(int code, String out, String err) {

    static final ObjectMapper JSON = new ObjectMapper();

    static BatchCli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TemperaCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new BatchCli(code, out.toString(), err.toString());
    }

    /** The repository root: the first folder up from the working directory holding models/shapes-lm. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("models/shapes-lm")) && Files.isDirectory(p.resolve("models/shapes-vl"))) {
                return p;
            }
        }
        throw new IllegalStateException("no models/shapes-lm above " + Path.of("").toAbsolutePath());
    }

    static String shapesLm() {
        return root().resolve("models/shapes-lm").toString();
    }

    static String shapesVl() {
        return root().resolve("models/shapes-vl").toString();
    }

    /** A 64×64 Shapes test image of tempera-text's conformance cases (e.g. {@code "star-square-64.png"}). */
    static Path image(String name) {
        return root().resolve("tempera-text/src/test/resources/conformance/images").resolve(name);
    }

    /** Writes {@code lines} as a UTF-8 file, one per line. */
    static Path write(Path file, String... lines) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON objects of a JSON Lines file. */
    static List<JsonNode> readJsonl(Path file) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first completion of a single {@code generate --json} call, plus its prompt token count. */
    static JsonNode single(String... args) {
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(List.of(args));
        all.add("--json");
        BatchCli r = run(all.toArray(String[]::new));
        if (r.code() != 0) {
            throw new AssertionError("generate " + all + " exited " + r.code() + ": " + r.err());
        }
        try {
            JsonNode o = JSON.readTree(r.out());
            return JSON.createObjectNode()
                    .put("text", o.get("completions").get(0).get("text").asText())
                    .put("tokens", o.get("completions").get(0).get("tokens").size())
                    .put("prompt_tokens", o.get("prompt").get("tokens").asInt())
                    .set("seed", o.get("completions").get(0).get("seed"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names in {@code folder}, hidden ones included. */
    static List<String> names(Path folder) {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
