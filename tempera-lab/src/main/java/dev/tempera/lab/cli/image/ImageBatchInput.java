package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code tempera image --in} file: JSON Lines, one {@link ImageBatchLine} per non-blank line, every line
 * checked before anything is generated. Blank lines are skipped but counted, so line numbers in messages are the
 * editor's. A key given twice in one object is an error rather than silently the last one, and two lines may not
 * write to the same folder (same id, ids differing only in case, or an id equal to another line's
 * {@code line-NNNN}).
 */
final class ImageBatchInput {

    /** Duplicate keys rejected. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

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
        List<ImageBatchLine> out = new ArrayList<>();
        Map<String, Integer> folders = new HashMap<>();
        for (String r : reserved) {
            folders.put(r.toLowerCase(Locale.ROOT), 0);
        }
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i);
            if (i == 0 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isBlank()) {
                continue;
            }
            ImageBatchLine line;
            try {
                line = ImageBatchLine.parse(i + 1, text, MAPPER);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(file, i + 1) + e.getMessage(), e);
            }
            String folder = line.folderName();
            Integer other = folders.putIfAbsent(folder.toLowerCase(Locale.ROOT), line.number());
            if (other != null) {
                throw new IllegalArgumentException(where(file, line.number()) + "its output folder \"" + folder
                        + "\" " + (other == 0 ? "is a name --out reserves " + reserved
                        : "is already line " + other + "'s (folder names are compared ignoring case)")
                        + "; give the line another \"id\"");
            }
            out.add(line);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--in " + file + " must hold at least one prompt (one JSON object per "
                    + "line, e.g. {\"prompt\": \"a red circle\"}), but holds none");
        }
        return out;
    }

    /** The prefix of a message about line {@code number} of {@code file}. */
    static String where(Path file, int number) {
        return "--in " + file + ", line " + number + ": ";
    }
}
