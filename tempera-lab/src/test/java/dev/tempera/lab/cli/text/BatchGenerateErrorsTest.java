package dev.tempera.lab.cli.text;

import static dev.tempera.lab.cli.text.BatchCli.image;
import static dev.tempera.lab.cli.text.BatchCli.names;
import static dev.tempera.lab.cli.text.BatchCli.readJsonl;
import static dev.tempera.lab.cli.text.BatchCli.run;
import static dev.tempera.lab.cli.text.BatchCli.shapesLm;
import static dev.tempera.lab.cli.text.BatchCli.shapesVl;
import static dev.tempera.lab.cli.text.BatchCli.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad batch input fails with exit code 2, the line number and what is wrong, and writes nothing: no {@code --out}, no
 * temporary file left beside it, an existing {@code --out} untouched.
 */
class BatchGenerateErrorsTest {

    private static final String GOOD = "{\"prompt\": \"Hi!\"}";

    @TempDir Path dir;

    static Stream<Arguments> badSecondLines() {
        return Stream.of(
                Arguments.of("missing prompt", "{\"promt\": \"Hi\"}", "\"prompt\" is required"),
                Arguments.of("prompt not a string", "{\"prompt\": 12}", "\"prompt\" must be a string, but is: 12"),
                Arguments.of("bad JSON", "{\"prompt\": \"Hi\",}", "not valid JSON"),
                Arguments.of("not an object", "[\"Hi\"]", "must be a JSON object"),
                Arguments.of("duplicate key", "{\"prompt\": \"a\", \"prompt\": \"b\"}", "Duplicate field 'prompt'"),
                Arguments.of("missing image file", "{\"prompt\": \"Hi\", \"images\": [\"nope.png\"]}",
                        "nope.png does not exist"),
                Arguments.of("images not a list", "{\"prompt\": \"Hi\", \"images\": \"a.png\"}",
                        "\"images\" must be a list"),
                Arguments.of("unknown param", "{\"prompt\": \"Hi\", \"params\": {\"temprature\": 1}}",
                        "Unknown sampling parameter 'temprature'"),
                Arguments.of("out-of-range param", "{\"prompt\": \"Hi\", \"params\": {\"top_p\": 1.5}}",
                        "top_p must be in (0, 1], but is: 1.5"),
                Arguments.of("wrong param type", "{\"prompt\": \"Hi\", \"params\": {\"top_k\": \"ten\"}}", "top_k"),
                Arguments.of("params not an object", "{\"prompt\": \"Hi\", \"params\": [1]}",
                        "\"params\" must be an object"),
                Arguments.of("n other than 1", "{\"prompt\": \"Hi\", \"params\": {\"n\": 2}}", "n must be 1"),
                Arguments.of("field the output writes", "{\"prompt\": \"Hi\", \"text\": \"old\"}",
                        "has a field \"text\", which the output writes"),
                Arguments.of("image on a text-only model", "{\"prompt\": \"Hi\", \"images\": [\""
                        + image("triangle-64.png").toAbsolutePath() + "\"]}", "is a text-only model"),
                Arguments.of("prompt longer than the context (fails after line 1 was generated)",
                        "{\"prompt\": \"" + "red star ".repeat(3000) + "\"}", "the model's context is 2048 tokens"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSecondLines")
    void aBadLineExitsTwoWithItsNumberAndWritesNothing(String what, String line, String message) {
        Path in = write(dir.resolve("p.jsonl"), GOOD, line, GOOD);
        Path out = dir.resolve("o.jsonl");

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString());

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--in " + in + ", line 2: ").contains(message);
        assertThat(names(dir)).as("no output, no temporary file").containsExactly("p.jsonl");
    }

    @Test
    void anImageThatDoesNotDecodeFailsAtItsLineAndLeavesAnExistingOutputAsItWas() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.png"), "not a PNG");
        Path in = write(dir.resolve("p.jsonl"),
                "{\"prompt\": \"Describe this image.\", \"images\": [\"" + image("triangle-64.png").toAbsolutePath()
                        + "\"]}",
                "",
                "{\"prompt\": \"Describe this image.\", \"images\": [\"broken.png\"]}");
        Path out = Files.writeString(dir.resolve("o.jsonl"), "old results\n");

        BatchCli r = run("generate", "--model", shapesVl(), "--in", in.toString(), "--out", out.toString(), "--force");

        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("line 3: ").contains(broken.getFileName().toString());
        assertThat(Files.readString(out)).isEqualTo("old results\n");
        assertThat(names(dir)).containsExactly("broken.png", "o.jsonl", "p.jsonl");
    }

    @Test
    void anExistingOutputIsRefusedWithoutForceAndReplacedWithIt() throws IOException {
        Path in = write(dir.resolve("p.jsonl"), GOOD);
        Path out = Files.writeString(dir.resolve("o.jsonl"), "old results\n");

        BatchCli refused = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString());

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--out " + out + " already exists; pass --force");
        assertThat(Files.readString(out)).isEqualTo("old results\n");

        BatchCli forced = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", out.toString(),
                "--force");

        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(readJsonl(out)).singleElement().satisfies(o -> assertThat(o.get("prompt").asText()).isEqualTo("Hi!"));
        assertThat(names(dir)).containsExactly("o.jsonl", "p.jsonl");
    }

    @Test
    void theInputFileIsNeverTheOutputEvenWithForce() throws IOException {
        Path in = write(dir.resolve("p.jsonl"), GOOD);

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out", in.toString(), "--force");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out must not be the --in file");
        assertThat(Files.readString(in)).isEqualTo(GOOD + "\n");
    }

    @Test
    void anEmptyInputFileIsAnError() {
        Path in = write(dir.resolve("p.jsonl"), "", "  ");

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out",
                dir.resolve("o.jsonl").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("must hold at least one prompt");
    }

    static Stream<Arguments> clashingOptions() {
        return Stream.of(
                Arguments.of(List.of("--prompt", "Hi"), "mutually exclusive"),
                Arguments.of(List.of("--image", "x.png"), "--in cannot be combined with --image"),
                Arguments.of(List.of("--stream"), "--in cannot be combined with --stream"),
                Arguments.of(List.of("--json"), "--in cannot be combined with --json"),
                Arguments.of(List.of("--n", "2"), "--in cannot be combined with --n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clashingOptions")
    void batchModeRefusesOptionsOfTheSinglePromptMode(List<String> extra, String message) {
        Path in = write(dir.resolve("p.jsonl"), GOOD);
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", shapesLm(), "--in",
                in.toString(), "--out", dir.resolve("o.jsonl").toString()));
        args.addAll(extra);

        BatchCli r = run(args.toArray(String[]::new));

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(names(dir)).containsExactly("p.jsonl");
    }

    @Test
    void inNeedsOutAndOutNeedsIn() {
        Path in = write(dir.resolve("p.jsonl"), GOOD);

        BatchCli noOut = run("generate", "--model", shapesLm(), "--in", in.toString());
        BatchCli noIn = run("generate", "--model", shapesLm(), "--prompt", "Hi", "--out",
                dir.resolve("o.jsonl").toString());

        assertThat(noOut.code()).isEqualTo(2);
        assertThat(noOut.err()).contains("--in needs --out FILE");
        assertThat(noIn.code()).isEqualTo(2);
        assertThat(noIn.err()).contains("--out belongs to batch mode");
        assertThat(names(dir)).containsExactly("p.jsonl");
    }

    @Test
    void anInvalidFlagIsReportedAsTheFlagNotAsALine() {
        Path in = write(dir.resolve("p.jsonl"), GOOD);

        BatchCli r = run("generate", "--model", shapesLm(), "--in", in.toString(), "--out",
                dir.resolve("o.jsonl").toString(), "--top-p", "0");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("top_p must be in (0, 1], but is: 0").doesNotContain("line 1");
    }
}
