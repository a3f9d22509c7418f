package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tempera.lab.cli.JsonlInput;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code tempera image --in} file ({@link JsonlInput}): one {@link ImageBatchLine} per non-blank line, every
 * line checked before anything is generated. A key given twice in one object is an error rather than silently the last
 * one, and two lines may not write to the same folder (same id, ids differing only in case, or an id equal to another
 * line's {@code line-NNNN}).
 */
final class ImageBatchInput {

    /** Duplicate keys rejected. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A good line, for messages. */
    static final String EXAMPLE = "{\"prompt\": \"a red circle\"}";

    private ImageBatchInput() {
    }

    /**
     * The prompts of {@code file}, in file order.
     *
     * @param reserved names under {@code --out} a line's folder must not take (case-insensitively), e.g. the results
     *     file
     * @throws IllegalArgumentException when the file is missing, not UTF-8, holds no prompt, a line is bad, or two
     *     lines share a folder; the message names the file and the line
     *     ({@code "--in p.jsonl, line 3: \"size\" must be ..."})
     */
    static List<ImageBatchLine> read(Path file, List<String> reserved) {
        Map<String, Integer> folders = new HashMap<>();
        for (String r : reserved) {
            folders.put(r.toLowerCase(Locale.ROOT), 0);
        }
        return JsonlInput.read(file, EXAMPLE, (number, text) -> {
            ImageBatchLine line = ImageBatchLine.parse(number, text, MAPPER);
            String folder = line.folderName();
            Integer other = folders.putIfAbsent(folder.toLowerCase(Locale.ROOT), number);
            if (other != null) {
                throw new IllegalArgumentException("its output folder \"" + folder + "\" " + (other == 0
                        ? "is a name --out reserves " + reserved
                        : "is already line " + other + "'s (folder names are compared ignoring case)")
                        + "; give the line another \"id\"");
            }
            return line;
        });
    }
}
