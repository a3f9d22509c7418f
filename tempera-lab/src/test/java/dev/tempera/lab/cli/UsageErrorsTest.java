package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input exits 2 with a message naming the option. Inputs tried: --top-p 1.5, --temperature -1,
 * --logits abc, --logits "", --logits with only -inf, --probs with a negative entry, both --logits and
 * --probs, no input at all, a missing --logits-file, a .npy with the wrong dtype, a file with an
 * unknown extension, --order with an unknown engine, --top-k -5, a non-numeric --temperature list
 * entry, --chart with an unknown extension, sample --draws 0; and unknown subcommand options.
 */
class UsageErrorsTest {

    @TempDir Path dir;

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "--top-p        | 1.5         | tempera: --top-p must be in (0, 1], but is: 1.5",
        "--temperature  | -1          | tempera: --temperature must be finite and >= 0, but is: -1",
        "--top-k        | -5          | tempera: --top-k must be >= -1, but is: -5",
        "--min-p        | 2           | tempera: --min-p must be in [0, 1], but is: 2",
        "--temperature  | 0.5,x       | --temperature",
        "--order        | gpt         | Unknown order 'gpt'; known: [vllm, transformers, llama.cpp]",
    })
    void badSettingsExit2NamingTheOption(String option, String value, String message) {
        Cli r = Cli.run("explain", "--logits", "2,1,0.5,0.2", option, value);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message).contains(option);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void nonNumericLogitsAreRejected() {
        Cli r = Cli.run("explain", "--logits", "abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tempera: --logits must be a list of numbers like 2,1,0.5,0.2, but entry 0 is: 'abc'"
                + System.lineSeparator());
    }

    @Test
    void emptyLogitsAreRejected() {
        Cli r = Cli.run("explain", "--logits", "");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logits must have at least one number, but is empty");
    }

    @Test
    void allMaskedLogitsAreRejected() {
        Cli r = Cli.run("explain", "--logits=-inf,-inf");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logits must have at least one finite logit, but all 2 are -inf");
    }

    @Test
    void negativeProbabilitiesAreRejected() {
        Cli r = Cli.run("explain", "--probs", "0.5,-0.1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--probs must be finite and >= 0, but entry 1 is: -0.1");
    }

    @Test
    void logitsAndProbsTogetherAreRejected() {
        Cli r = Cli.run("explain", "--logits", "1,2", "--probs", "0.5,0.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logits").contains("--probs").contains("mutually exclusive");
    }

    @Test
    void noInputIsRejected() {
        Cli r = Cli.run("explain", "--temperature", "0.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required argument").contains("--logits");
    }

    @Test
    void missingFileIsRejected() {
        Path missing = dir.resolve("nope.npy");
        Cli r = Cli.run("explain", "--logits-file", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logits-file must be an existing file, but is: " + missing + " (no such file)");
    }

    @Test
    void npyOfIntegersIsRejected() throws Exception {
        Path f = dir.resolve("ints.npy");
        byte[] bytes = ExplainCommandTest.npy("<f8", new double[] {1, 2});
        // Same layout, dtype changed to int64: readable, but not floats.
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("'<f8'", "'<i8'");
        Files.write(f, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Cli r = Cli.run("explain", "--logits-file", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logits-file").contains("dtype is '<i8'");
    }

    @Test
    void unknownFileTypeIsRejected() throws Exception {
        Path f = dir.resolve("z.bin");
        Files.writeString(f, "1 2");
        Cli r = Cli.run("explain", "--logits-file", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--logits-file must end in .txt, .csv, .json or .npy");
    }

    @Test
    void chartWithUnknownExtensionIsRejected() {
        Cli r = Cli.run("explain", "--logits", "1,2", "--chart", dir.resolve("c.gif").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--chart must end in .svg or .png");
    }

    @Test
    void sampleRejectsZeroDraws() {
        Cli r = Cli.run("sample", "--logits", "1,2", "--draws", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--draws must be >= 1, but is: 0");
    }

    @Test
    void sampleRejectsBadTopP() {
        Cli r = Cli.run("sample", "--logits", "1,2", "--top-p", "1.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("tempera: --top-p must be in (0, 1], but is: 1.5" + System.lineSeparator());
    }

    @Test
    void helpListsDefaultsAndExamplesOnEveryCommand() {
        for (String cmd : new String[] {"explain", "sample", "demo"}) {
            Cli r = Cli.run(cmd, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).as(cmd).contains("Examples:", "tempera " + cmd);
            if (!cmd.equals("demo")) {
                assertThat(r.out()).as(cmd).contains("Default: vllm", "Default: 1");
            }
        }
    }
}
