package dev.tempera.lab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --in} file of the batch commands ({@code tempera generate --in}, {@code tempera image --in}): JSON Lines,
 * one prompt object per non-blank line. Blank lines are skipped but counted, so line numbers in messages are the
 * editor's; a UTF-8 byte order mark before the first line is dropped. Every message about the file starts with
 * {@link #where} or names the file after {@code --in}.
 *
 * <pre>{@code
 * List<BatchLine> lines = JsonlInput.read(in, "{\"prompt\": \"Hi!\"}", (n, text) -> BatchLine.parse(n, text, ...));
 * }</pre>
 */
public final class JsonlInput {

    private JsonlInput() {
    }

    /** Turns one non-blank line into a value, or throws {@link IllegalArgumentException} saying what is wrong. */
    @FunctionalInterface
    public interface LineParser<T> {
        /**
         * @param number the 1-based line number (blank lines count)
         * @param text the line, without a leading byte order mark; never blank
         * @throws IllegalArgumentException what is wrong with the line, without the file or line number (the
         *     reader adds {@link #where}), e.g. {@code "\"prompt\" is required ..."}
         */
        T parse(int number, String text);
    }

    /**
     * The values of the non-blank lines of {@code file}, in file order. Lines are parsed one by one and the first bad
     * one stops the read, so a parser may check a line against the lines before it.
     *
     * @param example a one-line example of a good line, for the message about an empty file
     *     ({@code {"prompt": "Hi!"}})
     * @throws IllegalArgumentException when the file is missing, not UTF-8, holds no non-blank line, or
     *     {@code parser} rejects a line; the message names the file and the line
     *     ({@code "--in p.jsonl, line 3: \"prompt\" is required ..."}), and the parser's exception is its cause
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public static <T> List<T> read(Path file, String example, LineParser<T> parser) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--in: the prompts file must exist, but does not: " + file);
        }
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--in " + file + " must be UTF-8 text, but is not");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --in " + file, e);
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i);
            if (i == 0 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            try {
                out.add(parser.parse(i + 1, text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(file, i + 1) + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--in " + file + " must hold at least one prompt (one JSON object per "
                    + "line, e.g. " + example + "), but holds none");
        }
        return out;
    }

    /** The prefix of a message about line {@code number} of {@code file}: {@code "--in p.jsonl, line 3: "}. */
    public static String where(Path file, int number) {
        return "--in " + file + ", line " + number + ": ";
    }

    /**
     * One line read as a JSON object with {@code mapper} (whose settings decide duplicate keys and number forms).
     *
     * @throws IllegalArgumentException when the line is not JSON (the message gives the column) or not an object
     *     (the message shows the line, cut to 60 characters)
     */
    public static ObjectNode object(String json, ObjectMapper mapper) {
        return object(json, mapper, "", "");
    }

    /**
     * {@link #object(String, ObjectMapper)}, whose messages end with {@code example}, a good line
     * ({@code {"prompt": "a red circle"}}), as a hint.
     */
    public static ObjectNode object(String json, ObjectMapper mapper, String example) {
        return object(json, mapper, "; each line must be one JSON object, e.g. " + example, " (e.g. " + example + ")");
    }

    private static ObjectNode object(String json, ObjectMapper mapper, String notJsonHint, String notObjectHint) {
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (column " + e.getLocation().getColumnNr() + "): "
                    + e.getOriginalMessage() + notJsonHint);
        }
        if (!(node instanceof ObjectNode fields)) {
            throw new IllegalArgumentException("must be a JSON object" + notObjectHint + ", but is: " + abbreviate(json));
        }
        return fields;
    }

    /**
     * Whether {@code in} and {@code other} are the same file (also through links), so that writing {@code other}
     * would destroy the input; for paths that do not both exist yet, whether they are equal once made absolute and
     * normalised.
     *
     * @param otherName how a message names {@code other}, e.g. {@code "--out " + out}
     * @throws UncheckedIOException when the file system cannot compare them
     */
    public static boolean sameFile(Path in, Path other, String otherName) {
        try {
            if (Files.exists(in) && Files.exists(other)) {
                return Files.isSameFile(in, other);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compare --in " + in + " and " + otherName, e);
        }
        return in.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize());
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }
}
