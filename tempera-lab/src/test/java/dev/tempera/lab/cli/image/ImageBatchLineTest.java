package dev.tempera.lab.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.runtime.image.ImageSize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines of {@code tempera image --in}: the forms each key takes, {@code null} as absent, the merge over the flags
 * (every field either the line's or the flag's, never a mix within one), and the file-level rules of
 * {@link ImageBatchInput} (line numbers with blank lines, a BOM, one folder per line).
 */
class ImageBatchLineTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    private static ImageBatchLine parse(String json) {
        return ImageBatchLine.parse(5, json, MAPPER);
    }

    /** Flags that differ from every line value used below, so that a merge taking the wrong side shows. */
    private static ImageJob flags() {
        ImageRequest r = new ImageRequest("", "flag negative", 64, 48, 12, 3.0, 0.25, List.of(100L, 101L),
                Optional.of("lms"), 0.0, Optional.empty(), 1);
        SdxlOptions xl = new SdxlOptions(Optional.of("flag prompt 2"), Optional.empty(), Optional.of(new int[] {9, 9}),
                new int[] {1, 2}, Optional.empty());
        return new ImageJob(r, List.of(3.0, 1.0), xl, Optional.empty());
    }

    @Test
    void seedsAreAListAStringOfRangesOrOneInteger() {
        assertThat(parse("{\"prompt\": \"x\", \"seeds\": [7, -1, 42]}").seeds()).contains(List.of(7L, -1L, 42L));
        assertThat(parse("{\"prompt\": \"x\", \"seeds\": \"0-2,9\"}").seeds()).contains(List.of(0L, 1L, 2L, 9L));
        assertThat(parse("{\"prompt\": \"x\", \"seeds\": 4}").seeds()).contains(List.of(4L));
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"seeds\": []}"))
                .hasMessage("\"seeds\" must hold at least one seed (one image each), but is: []");
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"seeds\": \"0-1000\"}"))
                .hasMessage("\"seeds\": a range must go up and hold at most 1000 seeds, but is: 0-1000");
        // 2^64 does not fit a long: refused rather than wrapped
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"seeds\": [18446744073709551616]}"))
                .hasMessageContaining("(18446744073709551616 is not a 64-bit integer)");
    }

    @Test
    void guidanceIsANumberOrAList() {
        assertThat(parse("{\"prompt\": \"x\", \"guidance\": 5}").guidance()).contains(List.of(5.0));
        assertThat(parse("{\"prompt\": \"x\", \"guidance\": [1, 7.5]}").guidance()).contains(List.of(1.0, 7.5));
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"guidance\": \"7.5\"}"))
                .hasMessage("\"guidance\" must be a number >= 0 or a list of them (1 or less turns guidance off), but "
                        + "is: \"7.5\"");
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"guidance\": []}")).hasMessageEndingWith("but is: []");
    }

    @Test
    void stepsMustBeAnIntegerNotAFractionOrAString() {
        assertThat(parse("{\"prompt\": \"x\", \"steps\": 20}").steps()).hasValue(20);
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"steps\": 20.5}"))
                .hasMessage("\"steps\" must be an integer >= 1, but is: 20.5");
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"steps\": \"20\"}"))
                .hasMessage("\"steps\" must be an integer >= 1, but is: \"20\"");
    }

    @Test
    void sizeIsWidthByHeight() {
        // width first, as --size takes it; ImageSize stores height first
        assertThat(parse("{\"prompt\": \"x\", \"size\": \"64x48\"}").size()).contains(new ImageSize(48, 64));
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"size\": \"64x\"}"))
                .hasMessageEndingWith("(e.g. \"512x512\"), but is: \"64x\"");
        assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"size\": \"0x64\"}"))
                .hasMessageEndingWith("(e.g. \"512x512\"), but is: \"0x64\"");
    }

    @Test
    void nullMeansAbsentButAMissingPromptIsAnError() {
        ImageBatchLine l = parse("{\"prompt\": \"x\", \"negative_prompt\": null, \"seeds\": null, \"id\": null}");
        assertThat(l.negativePrompt()).isEmpty();
        assertThat(l.seeds()).isEmpty();
        assertThat(l.folderName()).isEqualTo("line-0005");
        assertThatThrownBy(() -> parse("{\"prompt\": null}"))
                .hasMessage("\"prompt\" is required (a string), but the line has none");
        assertThatThrownBy(() -> parse("{\"prompt\": 3}")).hasMessage("\"prompt\" must be a string, but is: 3");
        assertThatThrownBy(() -> parse("[\"x\"]"))
                .hasMessage("must be a JSON object (e.g. {\"prompt\": \"a red circle\"}), but is: [\"x\"]");
    }

    @Test
    void theFolderIsTheIdOrTheLineNumberInFourDigits() {
        assertThat(ImageBatchLine.parse(12345, "{\"prompt\": \"x\"}", MAPPER).folderName()).isEqualTo("line-12345");
        assertThat(parse("{\"prompt\": \"x\", \"id\": \"cat_1.v2\"}").folderName()).isEqualTo("cat_1.v2");
        assertThat(parse("{\"prompt\": \"x\", \"id\": 17}").folderName()).isEqualTo("17");
        for (String bad : List.of("\"\"", "\".hidden\"", "\"a/b\"", "\"a b\"", "1.5", "\"" + "a".repeat(101) + "\"")) {
            assertThatThrownBy(() -> parse("{\"prompt\": \"x\", \"id\": " + bad + "}")).as(bad)
                    .hasMessageStartingWith("\"id\" must be 1 to 100 letters, digits");
        }
    }

    @Test
    void aLineWithOnlyAPromptTakesEveryFlag() {
        ImageJob flags = flags();
        ImageJob job = parse("{\"prompt\": \"a red circle\"}").over(flags, Optional.empty());
        ImageRequest f = flags.request();
        assertThat(job.request()).isEqualTo(new ImageRequest("a red circle", f.negativePrompt(), f.width(), f.height(),
                f.steps(), f.guidanceScale(), f.guidanceRescale(), f.seeds(), f.scheduler(), f.eta(), Optional.empty(),
                f.clipSkip()));
        assertThat(job.guidance()).isEqualTo(flags.guidance());
        assertThat(job.xl().prompt2()).contains("flag prompt 2");
        assertThat(job.xl().originalSize().orElseThrow()).containsExactly(9, 9);
        assertThat(job.xl().cropsCoordsTopLeft()).containsExactly(1, 2);
        assertThat(job.images()).isEqualTo(4);
    }

    @Test
    void everyKeyOfALineOverridesItsFlag() {
        ImageJob job = parse("{\"prompt\": \"p\", \"negative_prompt\": \"n\", \"prompt_2\": \"p2\", "
                + "\"negative_prompt_2\": \"n2\", \"seeds\": [1], \"guidance\": [7.5, 1, 2], \"steps\": 4, "
                + "\"scheduler\": \"ddim\", \"size\": \"16x8\", \"eta\": 0.5}").over(flags(), Optional.empty());
        ImageRequest r = job.request();
        assertThat(List.of(r.prompt(), r.negativePrompt(), r.scheduler().orElseThrow())).containsExactly("p", "n",
                "ddim");
        assertThat(List.of(r.width(), r.height(), r.steps())).containsExactly(16, 8, 4);
        assertThat(r.seeds()).containsExactly(1L);
        assertThat(r.guidanceScale()).isEqualTo(7.5);
        assertThat(r.eta()).isEqualTo(0.5);
        assertThat(job.guidance()).containsExactly(7.5, 1.0, 2.0);
        assertThat(job.xl().prompt2()).contains("p2");
        assertThat(job.xl().negativePrompt2()).contains("n2");
        // no key for these: the flags'
        assertThat(r.guidanceRescale()).isEqualTo(0.25);
        assertThat(r.clipSkip()).isEqualTo(1);
        assertThat(job.images()).isEqualTo(3);
    }

    private Path file(String text) throws IOException {
        return Files.writeString(dir.resolve("in.jsonl"), text, StandardCharsets.UTF_8);
    }

    @Test
    void blankLinesAreSkippedButCountedAndABomIsDropped() throws IOException {
        Path f = file("\uFEFF{\"prompt\": \"a\"}\n\n   \n{\"prompt\": \"b\"}\n");
        List<ImageBatchLine> lines = ImageBatchInput.read(f, List.of());
        assertThat(lines).extracting(ImageBatchLine::number).containsExactly(1, 4);
        assertThat(lines).extracting(ImageBatchLine::folderName).containsExactly("line-0001", "line-0004");
        Path bad = file("{\"prompt\": \"a\"}\n\n{\"prompt\": \"b\", \"size\": \"9x9\"}\n");
        assertThatThrownBy(() -> ImageBatchInput.read(bad, List.of()))
                .hasMessageStartingWith("--in " + bad + ", line 3: \"size\" must be");
    }

    @Test
    void twoLinesCannotShareAFolderNorTakeAReservedName() throws IOException {
        // line 1 has no id: its folder is line-0001, which line 2's id would reuse
        Path f = file("{\"prompt\": \"a\"}\n{\"prompt\": \"b\", \"id\": \"LINE-0001\"}\n");
        assertThatThrownBy(() -> ImageBatchInput.read(f, List.of()))
                .hasMessage("--in " + f + ", line 2: its output folder \"LINE-0001\" is already line 1's (folder names "
                        + "are compared ignoring case); give the line another \"id\"");
        Path g = file("{\"prompt\": \"a\", \"id\": \"results.jsonl\"}\n");
        assertThatThrownBy(() -> ImageBatchInput.read(g, List.of("results.jsonl")))
                .hasMessage("--in " + g + ", line 1: its output folder \"results.jsonl\" is a name --out reserves "
                        + "[results.jsonl]; give the line another \"id\"");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNamingIt() throws IOException {
        Path f = Files.write(dir.resolve("latin1.jsonl"), new byte[] {'{', '"', 'p', (byte) 0xE9, '"', '}'});
        assertThatThrownBy(() -> ImageBatchInput.read(f, List.of()))
                .hasMessage("--in " + f + " must be UTF-8 text, but is not");
    }
}
