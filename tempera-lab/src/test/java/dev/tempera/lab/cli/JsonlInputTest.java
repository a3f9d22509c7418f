package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --in} file of the batch commands: numbering, blank lines, the byte order mark and the messages. */
class JsonlInputTest {

    @TempDir
    Path dir;

    @Test
    void blankLinesAreSkippedButCountedAndTheByteOrderMarkIsDropped() throws Exception {
        Path in = Files.writeString(dir.resolve("p.jsonl"), "\uFEFFa\n\n  \nb\n", StandardCharsets.UTF_8);
        List<String> read = JsonlInput.read(in, "{}", (n, text) -> n + ":" + text);
        // "a" is line 1 without its BOM; the two blank lines still count, so "b" is line 4
        assertThat(read).containsExactly("1:a", "4:b");
    }

    @Test
    void aRejectedLineIsNamedByFileAndNumberWithTheParsersExceptionAsCause() throws Exception {
        Path in = Files.writeString(dir.resolve("p.jsonl"), "ok\n\nbad\n");
        IllegalArgumentException why = new IllegalArgumentException("is bad");
        assertThatThrownBy(() -> JsonlInput.read(in, "{}", (n, text) -> {
            if (text.equals("bad")) {
                throw why;
            }
            return text;
        })).hasMessage("--in " + in + ", line 3: is bad").hasCause(why);
    }

    @Test
    void anEmptyFileIsAnErrorThatShowsTheExample() throws Exception {
        Path in = Files.writeString(dir.resolve("p.jsonl"), "\n \n");
        assertThatThrownBy(() -> JsonlInput.read(in, "{\"prompt\": \"x\"}", (n, text) -> text))
                .hasMessage("--in " + in + " must hold at least one prompt (one JSON object per line, e.g. "
                        + "{\"prompt\": \"x\"}), but holds none");
    }

    @Test
    void aLineThatIsNotAnObjectGetsTheExampleAsAHintOnlyWhenGivenOne() {
        ObjectMapper mapper = new ObjectMapper();
        assertThat(JsonlInput.object("{\"a\": 1}", mapper).get("a").asInt()).isEqualTo(1);
        assertThatThrownBy(() -> JsonlInput.object("[1]", mapper)).hasMessage("must be a JSON object, but is: [1]");
        assertThatThrownBy(() -> JsonlInput.object("[1]", mapper, "{\"p\": 1}"))
                .hasMessage("must be a JSON object (e.g. {\"p\": 1}), but is: [1]");
        assertThatThrownBy(() -> JsonlInput.object("{", mapper, "{\"p\": 1}"))
                .hasMessageStartingWith("not valid JSON (column ")
                .hasMessageEndingWith("; each line must be one JSON object, e.g. {\"p\": 1}");
        // a long line is cut to 60 characters in the message
        assertThatThrownBy(() -> JsonlInput.object("\"" + "x".repeat(100) + "\"", mapper))
                .hasMessage("must be a JSON object, but is: \"" + "x".repeat(56) + "...");
    }

    @Test
    void aLinkToTheInputIsTheSameFile() throws Exception {
        Path in = Files.writeString(dir.resolve("p.jsonl"), "a\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), in);
        assertThat(JsonlInput.sameFile(in, link, "--out " + link)).isTrue();
        assertThat(JsonlInput.sameFile(in, dir.resolve("sub/../p.jsonl"), "x")).isTrue(); // not there yet: by path
        assertThat(JsonlInput.sameFile(in, dir.resolve("other.jsonl"), "x")).isFalse();
    }
}
