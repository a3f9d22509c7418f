package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code tempera generate --in} file: JSON Lines, one {@link BatchLine} per non-blank line, all checked before
 * the model loads. Blank lines are skipped but counted, so line numbers in messages are the editor's.
 *
 * <p>Numbers in the copied fields keep their exact decimal form (a {@code 0.1} is written back as {@code 0.1}, a
 * 20-digit integer stays exact), and a key given twice in one object is an error rather than silently the last one.
 */
final class BatchInput {

    /** Reads lines exactly: decimals as BigDecimal, duplicate keys rejected. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private BatchInput() {
    }

    /**
     * The prompts of {@code file}, in file order.
     *
     * @throws IllegalArgumentException when the file is missing, not UTF-8, holds no prompt, or a line is bad; the
     *     message names the file and the line ({@code "--in p.jsonl, line 3: \"prompt\" is required ..."})
     */
    static List<BatchLine> read(Path file) {
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
        Path folder = file.toAbsolutePath().getParent();
        List<BatchLine> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String line = raw.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(BatchLine.parse(i + 1, line, folder, MAPPER));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(file, i + 1) + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--in " + file + " must hold at least one prompt (one JSON object per "
                    + "line, e.g. {\"prompt\": \"Hi!\"}), but holds none");
        }
        return out;
    }

    /** The prefix of a message about line {@code number} of {@code file}. */
    static String where(Path file, int number) {
        return "--in " + file + ", line " + number + ": ";
    }
}
