package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempera.image.output.ContactSheet;
import dev.tempera.image.output.PngText;
import dev.tempera.image.output.PngWriter;
import dev.tempera.image.pipeline.GeneratedImage;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.pipeline.StableDiffusionXL;
import dev.tempera.image.pipeline.StepListener;
import dev.tempera.runtime.onnx.SessionSettings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempera demo}: parts 1 to 5 on the bundled models, and part 6's mechanics on the tiny random-weight SDXL
 * fixture of tempera-image's tests (the bundled shapes-sdxl's quality is not asserted: it is retrained from time to
 * time). Every run writes into a temporary {@code --out}, never into the module folder.
 */
class DemoCommandTest {

    @TempDir
    Path tmp;

    private Cli demo() {
        return Cli.run("demo", "--out", tmp.resolve("demo-out").toString());
    }

    @Test
    void printsTheSeedsTemperatureTableWithItsLabels() {
        Cli r = demo();
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                "原始概率: " + ExplainCommandTest.SOFTMAX + "\n",
                "温度 0.5 后的概率: " + ExplainCommandTest.T05 + "\n",
                "温度 1.0 后的概率: " + ExplainCommandTest.SOFTMAX + "\n",
                "温度 2.0 后的概率: " + ExplainCommandTest.T2 + "\n");
    }

    @Test
    void printsTheSeedsTopPTableWithItsLabels() {
        Cli r = demo();
        assertThat(r.out()).contains(
                "原始概率: [0.400000, 0.300000, 0.200000, 0.100000]\n",
                "Top-P (p=0.7) 后的概率: " + ExplainCommandTest.P07 + "\n",
                "Top-P (p=0.9) 后的概率: " + ExplainCommandTest.P09 + "\n");
    }

    @Test
    void theThreeOrdersDisagreeOnTheFiveTokenLogits() {
        // T 0.7, top-p 0.9, min-p 0.1 on [2, 1, 0.5, 0.2, -1]: vllm 2 tokens, transformers 3, llama.cpp 4.
        String out = demo().out();
        assertThat(out).containsPattern("  vllm +kept 2  \\[0\\.806679, 0\\.193321, 0, 0, 0\\]")
                .containsPattern("  transformers +kept 3  \\[0\\.736936, 0\\.176607, 0\\.086457, 0, 0\\]")
                .containsPattern("  llama\\.cpp +kept 4  \\[0\\.697644, 0\\.167191, 0\\.081847, 0\\.053318, 0\\]");
    }

    @Test
    void diversityGrowsWithTemperatureAndIsReproducible() {
        String out = demo().out();
        assertThat(out).isEqualTo(demo().out());
        // T 0.1 keeps one word (beach is e^4 times likelier than sunset at T 0.1), T 1.2 keeps more.
        assertThat(out).containsPattern("低温度,高 Top-P +temperature 0\\.1, top_p 0\\.9 +1 +1 +0\\.000  beach( beach){19}\n");
        assertThat(out).containsPattern("高温度,高 Top-P +temperature 1\\.2, top_p 0\\.9 +[5-8] +[3-8] ");
    }

    @Test
    void shapesVlDescribesTheImageAndHighTemperatureCostsFidelity() {
        String out = demo().out();
        assertThat(out).contains("== 5. The seed's experiment on the bundled shapes-vl");
        Matcher m = Pattern.compile(
                "(低温度|中等温度|高温度),(高|低) Top-P +([0-9.]+) +([0-9.]+) +(\\d+)  (\\d) distinct of 3").matcher(out);
        List<double[]> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5))});
        }
        assertThat(rows).hasSize(4);
        // rows: T 0.1 / 0.7 / 1.2 with top-p 0.9, then T 0.7 with top-p 0.3 (fixed seeds: deterministic)
        assertThat(rows.get(2)[0]).as("high temperature is more diverse on the one image").isGreaterThan(rows.get(0)[0]);
        assertThat(rows.get(0)[1]).as("low temperature mostly describes the one image").isGreaterThan(0.8);

        // fidelity is judged over the held-out scenes: on one image a single seed decides it
        assertThat(out).contains("The same over the first 10 held-out scenes of shapes-vl's training dataset (seed 1, "
                + "test split; 30 descriptions per configuration):");
        Matcher h = Pattern.compile("(低温度|中等温度|高温度),(高|低) Top-P +([0-9.]+) +([0-9.]+)  (\\d+) of 30\n")
                .matcher(out);
        List<double[]> held = new ArrayList<>();
        while (h.find()) {
            held.add(new double[] {Double.parseDouble(h.group(3)), Double.parseDouble(h.group(4)),
                Double.parseDouble(h.group(5))});
        }
        assertThat(held).hasSize(4);
        assertThat(held.get(0)[0]).as("low temperature describes held-out scenes well").isGreaterThan(0.9);
        for (int i : new int[] {0, 1, 3}) {
            assertThat(held.get(2)[0]).as("T 1.2 is the least faithful (F1), against row " + i)
                    .isLessThan(held.get(i)[0]);
            assertThat(held.get(2)[1]).as("and states the most false attributes, against row " + i)
                    .isGreaterThan(held.get(i)[1]);
            assertThat(held.get(2)[2]).as("in the most descriptions, against row " + i).isGreaterThan(held.get(i)[2]);
        }
    }

    // ------------------------------------------------------------------------------------ part 6 and --out

    /** tempera-image's tiny SDXL test fixture: random weights, the real layout and contract. */
    static Path tinySdxl() {
        return repoRoot().resolve("tempera-image/src/test/resources/tiny-sdxl");
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("tempera-image/src/test/resources/tiny-sdxl"))) {
            p = p.getParent();
        }
        return p;
    }

    /** Part 6 on the tiny fixture, with the repository's shapes-clip, into {@code folder}; what it printed. */
    private static String partSix(Path folder) {
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        DemoDiffusion.run(w, Optional.of(tinySdxl()), Optional.of(repoRoot().resolve("models/shapes-clip")), folder);
        w.flush();
        return s.toString();
    }

    /** One table row: seed, guidance, kinds+colours, CLIPScore, then what the checker read. */
    private static final Pattern ROW =
            Pattern.compile("(?m)^ +(\\d) +(7\\.5|1) +(yes|no) +(\\d\\.\\d{3})  (\\S.*)$");

    @Test
    void partSixPrintsOneRowPerSeedAndGuidanceAndASummaryPerGuidance() throws IOException {
        String out = partSix(Files.createDirectory(tmp.resolve("a")));
        assertThat(out).startsWith("== 6. The seed's text-to-image (its SDXL step) on the bundled shapes-sdxl ==\n")
                .contains("Prompt: 红色的星形、灰色的三角形. Negative prompt: 模糊,失真,低质量");
        Matcher m = ROW.matcher(out);
        List<String> seedsAndGuidance = new ArrayList<>();
        while (m.find()) {
            seedsAndGuidance.add(m.group(1) + "@" + m.group(2));
            double clip = Double.parseDouble(m.group(4));
            assertThat(clip).as("CLIPScore = 2.5 max(cos, 0)").isBetween(0.0, 2.5);
        }
        // guidance 7.5 (the seed's) first, then 1; seeds 0..3 within each
        assertThat(seedsAndGuidance).containsExactly("0@7.5", "1@7.5", "2@7.5", "3@7.5", "0@1", "1@1", "2@1", "3@1");
        assertThat(out).containsPattern("\n  guidance 7\\.5 +[0-4] of 4 images show every prompted kind and colour "
                        + "\\(\\d+%\\), mean CLIPScore \\d\\.\\d{3}, MS-SSIM diversity across the seeds \\d\\.\\d{3}\n")
                .containsPattern("\n  guidance 1 +[0-4] of 4 images show")
                .containsPattern("\nWhat changed: guidance 7\\.5 instead of 1 (raised|lowered|left) the kinds\\+colours "
                        + "rate .*; across seeds its images differ (more|less|as much) \\(MS-SSIM diversity");
    }

    @Test
    void partSixWritesEveryImageWithItsParametersAndLeavesOtherFilesAlone() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("b"));
        Files.writeString(folder.resolve("notes.txt"), "mine");
        Files.writeString(folder.resolve("seed-0.png"), "not part 6's"); // tempera image's name, not part 6's
        String out = partSix(folder);

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("notes.txt",
                    "seed-0.png", "sdxl-contact-sheet.png", "sdxl-seed-0-g7.5.png", "sdxl-seed-1-g7.5.png",
                    "sdxl-seed-2-g7.5.png", "sdxl-seed-3-g7.5.png", "sdxl-seed-0-g1.png", "sdxl-seed-1-g1.png",
                    "sdxl-seed-2-g1.png", "sdxl-seed-3-g1.png");
        }
        assertThat(Files.readString(folder.resolve("notes.txt"))).isEqualTo("mine");
        assertThat(Files.readString(folder.resolve("seed-0.png"))).isEqualTo("not part 6's");
        assertThat(out).contains("Wrote 8 PNGs (sdxl-seed-0-g7.5.png ...,", " to " + folder + "\n");

        assertThat(PngText.read(folder.resolve("sdxl-seed-2-g7.5.png")).get(PngWriter.PARAMETERS_KEY)).isEqualTo(
                "红色的星形、灰色的三角形\nNegative prompt: 模糊,失真,低质量\nSteps: 30, Sampler: Euler, CFG scale: 7.5, "
                        + "Seed: 2, Size: 64x64, Model: tiny-sdxl, Scheduler: euler");
        assertThat(PngText.read(folder.resolve("sdxl-seed-3-g1.png")).get(PngWriter.PARAMETERS_KEY))
                .contains("Negative prompt: 模糊,失真,低质量\n", "CFG scale: 1, Seed: 3, Size: 64x64");
        assertThat(read(folder.resolve("sdxl-seed-1-g1.png")).getWidth()).isEqualTo(64);
    }

    @Test
    void eachSeedHasItsOwnGeneratorAsInTheSeed() throws IOException {
        // the seed calls pipe() once per seed; part 6 batches the four seeds, which must not change an image
        Path folder = Files.createDirectory(tmp.resolve("c"));
        partSix(folder);
        try (StableDiffusionXL xl = StableDiffusionXL.open(tinySdxl(), SessionSettings.defaults())) {
            GeneratedImage alone = xl.generate(new ImageRequest(DemoDiffusion.PROMPT, DemoDiffusion.NEGATIVE_PROMPT,
                    64, 64, 30, 7.5, 0, List.of(2L), Optional.empty(), 0), SdxlOptions.defaults(), StepListener.NONE)
                    .get(0);
            assertThat(samePixels(read(folder.resolve("sdxl-seed-2-g7.5.png")), alone.image()))
                    .as("seed 2 in the batch of four = seed 2 alone").isTrue();
        }
        BufferedImage seed2 = read(folder.resolve("sdxl-seed-2-g7.5.png"));
        assertThat(samePixels(seed2, read(folder.resolve("sdxl-seed-1-g7.5.png")))).as("another seed, another image")
                .isFalse();
        assertThat(samePixels(seed2, read(folder.resolve("sdxl-seed-2-g1.png")))).as("guidance changes the image")
                .isFalse();
    }

    @Test
    void theContactSheetIsTheEightImagesSeedsByGuidance() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("d"));
        partSix(folder);
        BufferedImage[][] grid = new BufferedImage[4][2];
        for (int s = 0; s < 4; s++) {
            grid[s][0] = read(folder.resolve("sdxl-seed-" + s + "-g7.5.png"));
            grid[s][1] = read(folder.resolve("sdxl-seed-" + s + "-g1.png"));
        }
        BufferedImage expected = ContactSheet.render(grid, List.of("seed 0", "seed 1", "seed 2", "seed 3"),
                List.of("guidance 7.5", "guidance 1 (no CFG)"), "");
        BufferedImage sheet = read(folder.resolve("sdxl-contact-sheet.png"));
        // 64-pixel images are enlarged twice to ContactSheet.MIN_CELL: 4 rows and 2 columns of 128-pixel cells
        assertThat(sheet.getHeight()).isEqualTo(expected.getHeight()).isGreaterThan(4 * 128);
        assertThat(sheet.getWidth()).isEqualTo(expected.getWidth()).isGreaterThan(2 * 128);
        assertThat(samePixels(sheet, expected)).as("the sheet holds the PNGs, seeds down, guidance 7.5 then 1 across")
                .isTrue();
        assertThat(PngText.read(folder.resolve("sdxl-contact-sheet.png")).get(PngWriter.PARAMETERS_KEY))
                .contains("Negative prompt: 模糊,失真,低质量", "Grid: seeds x guidance");
    }

    @Test
    void partSixIsDeterministic() throws IOException {
        Path a = Files.createDirectory(tmp.resolve("run1"));
        Path b = Files.createDirectory(tmp.resolve("run2"));
        String first = partSix(a);
        String second = partSix(b);
        assertThat(second.replace(b.toString(), "DIR")).isEqualTo(first.replace(a.toString(), "DIR"));
        try (Stream<Path> files = Files.list(a)) {
            for (Path f : files.toList()) {
                assertThat(Files.readAllBytes(b.resolve(f.getFileName()))).as(f.getFileName().toString())
                        .isEqualTo(Files.readAllBytes(f));
            }
        }
    }

    @Test
    void withoutTheModelPartSixPrintsTheSkipLineAndWritesNothing() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("e"));
        StringWriter s = new StringWriter();
        PrintWriter w = new PrintWriter(s);
        DemoDiffusion.run(w, Optional.empty(), Optional.of(repoRoot().resolve("models/shapes-clip")), folder);
        w.flush();
        assertThat(s.toString()).isEqualTo("== 6. The seed's text-to-image (its SDXL step) on the bundled shapes-sdxl =="
                + "\n(skipped: models/shapes-sdxl was not found above the working directory)\n");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theDemoCreatesOutAndEndsWithPartSix() {
        Path out = tmp.resolve("not/yet/there");
        Cli r = Cli.run("demo", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(out).isDirectory();
        String six = r.out().substring(r.out().indexOf("== 6. The seed's text-to-image"));
        // with the bundled shapes-sdxl the images go to --out; without it, the skip line
        assertThat(six).satisfiesAnyOf(
                s -> assertThat(s).contains("(skipped: models/shapes-sdxl was not found"),
                s -> assertThat(s).contains(" to " + out + "\n"));
    }

    @Test
    void outNamingARegularFileExitsTwoBeforeAnyPartRuns() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken.txt"), "x", StandardCharsets.UTF_8);
        Cli r = Cli.run("demo", "--out", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tempera: --out must be a folder (created if missing), but is: " + file
                + " (a regular file)");
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void helpDescribesPartSixAndOut() {
        Cli r = Cli.run("demo", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--out=DIR", "Default: tempera-demo", "shapes-sdxl", "(part 6)");
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).as(png.toString()).isNotNull();
        return img;
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        return a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight() && Arrays.equals(
                a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()),
                b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()));
    }
}
