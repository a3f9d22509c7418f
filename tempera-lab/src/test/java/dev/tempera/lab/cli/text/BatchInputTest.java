package dev.tempera.lab.cli.text;

import static dev.tempera.lab.cli.text.BatchCli.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code --in} files: no model involved. */
class BatchInputTest {

    @TempDir Path dir;

    @Test
    void blankLinesAreSkippedButCountedInLineNumbers() {
        Path in = write(dir.resolve("p.jsonl"), "{\"prompt\": \"a\"}", "", "   ", "{\"prompt\": \"b\"}");

        List<BatchLine> lines = BatchInput.read(in);

        assertThat(lines).extracting(BatchLine::number).containsExactly(1, 4);
        assertThat(lines).extracting(BatchLine::prompt).containsExactly("a", "b");
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsIgnored() throws IOException {
        Path in = Files.writeString(dir.resolve("p.jsonl"), "\uFEFF{\"prompt\": \"a\"}\n", StandardCharsets.UTF_8);

        assertThat(BatchInput.read(in)).singleElement().extracting(BatchLine::prompt).isEqualTo("a");
    }

    @Test
    void relativeImagesAreResolvedAgainstTheFilesFolderAndAbsoluteOnesKept() throws IOException {
        Files.createDirectories(dir.resolve("sub/img"));
        Path a = Files.writeString(dir.resolve("sub/img/a.png"), "x");
        Path b = Files.writeString(dir.resolve("b.png"), "x");
        Path in = write(dir.resolve("sub/p.jsonl"),
                "{\"prompt\": \"a\", \"images\": [\"img/a.png\", \"" + b.toAbsolutePath() + "\"]}");

        BatchLine line = BatchInput.read(in).get(0);

        assertThat(line.images()).containsExactly(a.toAbsolutePath(), b.toAbsolutePath());
    }

    @Test
    void numbersAreKeptExactlyAndParamsAreReadUnderTheirJsonNames() {
        Path in = write(dir.resolve("p.jsonl"), "{\"prompt\": \"a\", \"w\": 0.1, \"big\": 12345678901234567890, "
                + "\"system\": \"S\", \"params\": {\"temperature\": 1.2, \"seed\": 3, \"stop_token_ids\": [1, 2]}}");

        BatchLine line = BatchInput.read(in).get(0);

        assertThat(line.fields().get("w").decimalValue()).isEqualTo(new BigDecimal("0.1"));
        assertThat(line.fields().get("big").bigIntegerValue().toString()).isEqualTo("12345678901234567890");
        assertThat(line.system()).contains("S");
        assertThat(line.params()).containsOnlyKeys("temperature", "seed", "stop_token_ids");
        assertThat(((Number) line.params().get("temperature")).doubleValue()).isEqualTo(1.2);
        assertThat(((Number) line.params().get("seed")).longValue()).isEqualTo(3L);
        assertThat(line.params().get("stop_token_ids")).isEqualTo(List.of(1, 2));
    }

    @Test
    void theMessageNamesTheFileAndTheLine() {
        Path in = write(dir.resolve("p.jsonl"), "{\"prompt\": \"a\"}", "", "{\"system\": \"S\"}");

        assertThatThrownBy(() -> BatchInput.read(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--in " + in + ", line 3: \"prompt\" is required");
    }

    @Test
    void aNonStringSystemIsAnError() {
        Path in = write(dir.resolve("p.jsonl"), "{\"prompt\": \"a\", \"system\": 1}");

        assertThatThrownBy(() -> BatchInput.read(in)).hasMessageContaining("line 1: \"system\" must be a string");
    }

    @Test
    void aMissingOrNonUtf8FileIsAnError() throws IOException {
        assertThatThrownBy(() -> BatchInput.read(dir.resolve("none.jsonl")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must exist, but does not");
        Path latin1 = Files.write(dir.resolve("l.jsonl"), new byte[] {'{', '"', 'p', '"', ':', (byte) 0xE9, '}'});
        assertThatThrownBy(() -> BatchInput.read(latin1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be UTF-8 text");
    }
}
