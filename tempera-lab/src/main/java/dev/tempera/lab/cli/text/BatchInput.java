package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tempera.lab.cli.JsonlInput;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@code tempera generate --in} file ({@link JsonlInput}): one {@link BatchLine} per non-blank line, all
 * checked before the model loads.
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
        Path folder = file.toAbsolutePath().getParent();
        return JsonlInput.read(file, "{\"prompt\": \"Hi!\"}", (number, text) -> BatchLine.parse(number, text, folder,
                MAPPER));
    }
}
