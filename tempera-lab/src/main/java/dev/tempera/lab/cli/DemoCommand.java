package dev.tempera.lab.cli;

import dev.tempera.sampling.Distributions;
import dev.tempera.sampling.ProcessorOrder;
import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tempera demo}: the seed's two tables exactly as its code prints them, then what the
 * engines' processor orders and the seed's four VLM configurations do, the bundled shapes-vl under those
 * configurations, and the seed's SDXL step on the bundled shapes-sdxl, whose images go to {@code --out}.
 * Deterministic (fixed seeds); {@code --out} is checked and created before anything runs, so a bad one exits 2 at once.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "The seed's two tables, the engines' processor orders, its four VLM configs, shapes-vl under them, and "
                    + "its SDXL step on shapes-sdxl.",
            "Prints the seed's temperature and top-p tables as its code does, compares the vllm, transformers "
                    + "and llama.cpp processor orders on the same logits, and draws 20 seeded tokens under each of "
                    + "the seed's four VLM sampling configurations; then the bundled shapes-vl describes a rendered "
                    + "image under those four configurations and the descriptions are scored (seed part 5), and "
                    + "fidelity and hallucination are measured over 10 held-out scenes; then "
                    + "the bundled shapes-sdxl draws a Shapes prompt for seeds 0-3 at guidance 7.5 and 1, as the "
                    + "seed's generate_images_with_variation does, each image checked by the Shapes checker and "
                    + "scored with CLIPScore; the PNGs and a contact sheet go to --out (part 6)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tempera demo",
            "  tempera demo --out /tmp/demo-images",
            "  tempera image --model models/shapes-sdxl --seeds 0-3 --guidance 7.5,1 \\",
            "      --prompt \"红色的星形、灰色的三角形\" --negative-prompt \"模糊,失真,低质量\" \\",
            "      --steps 30 --size 64x64 --out grid/                 # part 6's images",
            "  tempera explain --logits 2,1,0.5,0.2 --temperature 0.5,1,2       # part 1",
            "  tempera explain --probs 0.4,0.3,0.2,0.1 --top-p 0.7,0.9 --lang zh   # part 2"})
final class DemoCommand implements Callable<Integer> {

    /** The seed's logits (part 1) and probabilities (part 2). */
    static final float[] SEED_LOGITS = {2.0f, 1.0f, 0.5f, 0.2f};
    static final List<Double> SEED_TEMPERATURES = List.of(0.5, 1.0, 2.0);
    static final float[] SEED_PROBS = {0.4f, 0.3f, 0.2f, 0.1f};
    static final List<Double> SEED_TOP_P = List.of(0.7, 0.9);

    /** A tiny "vocabulary" from the seed's prompt (一个美丽的日落海滩,有椰子树和金色的沙滩), with fixed logits. */
    static final List<String> WORDS = List.of("beach", "sunset", "palm", "golden", "sand", "waves", "sky", "coconut");
    static final float[] WORD_LOGITS = {3.0f, 2.6f, 2.2f, 1.9f, 1.5f, 1.0f, 0.4f, -0.5f};
    static final int DRAWS = 20;
    static final long SEED = 42;

    /** The seed's part 4 configurations: name, temperature, top_p. */
    record Config(String name, double temperature, double topP) {}

    static final List<Config> VLM_CONFIGS = List.of(
            new Config("低温度,高 Top-P", 0.1, 0.9),
            new Config("中等温度,高 Top-P", 0.7, 0.9),
            new Config("高温度,高 Top-P", 1.2, 0.9),
            new Config("中等温度,低 Top-P", 0.7, 0.3));

    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "tempera-demo", paramLabel = "DIR",
            description = "Folder for part 6's images (created if missing): sdxl-seed-S-gG.png per image and "
                    + DemoDiffusion.CONTACT_SHEET + "; files of those names are replaced, nothing else is touched.")
    Path outDir;

    @Override
    public Integer call() {
        createOutFolder();
        PrintWriter out = spec.commandLine().getOut();
        temperatureTable(out);
        out.println();
        topPTable(out);
        out.println();
        orders(out);
        out.println();
        vlmConfigs(out);
        out.println();
        DemoVlm.run(out);
        out.println();
        DemoDiffusion.run(out, outDir);
        out.flush();
        return 0;
    }

    /** --out as a folder, created if missing, before any part runs; anything else exits 2 naming it. */
    private void createOutFolder() {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new ParameterException(spec.commandLine(), "--out must be a folder (created if missing), but is: "
                    + outDir + " (" + (Files.isRegularFile(outDir) ? "a regular file" : "not a folder") + ")");
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--out must be a folder that can be created, but "
                    + outDir + " cannot be: " + e);
        }
    }

    private static void temperatureTable(PrintWriter out) {
        out.println("== 1. Temperature (the seed's apply_temperature, logits [2.0, 1.0, 0.5, 0.2]) ==");
        out.println("Temperature divides the logits before softmax: T < 1 sharpens the distribution, T > 1 flattens it.");
        SeedTables.temperature(SEED_LOGITS, SEED_TEMPERATURES, Lang.zh).forEach(out::println);
    }

    private static void topPTable(PrintWriter out) {
        out.println("== 2. Top-P (the seed's top_p_sampling, probs [0.4, 0.3, 0.2, 0.1]) ==");
        out.println("Top-p keeps the most likely tokens until their mass exceeds p, then renormalises; "
                + "in float32 0.4 + 0.3 > 0.7, so p = 0.7 keeps two tokens.");
        SeedTables.topP(SEED_PROBS, SEED_TOP_P, Lang.zh).forEach(out::println);
    }

    private static void orders(PrintWriter out) {
        out.println("== 3. Same logits, same settings, three engines: temperature 0.7, top_p 0.9, min_p 0.1 ==");
        ordersFor(out, SEED_LOGITS, "the seed's logits [2.0, 1.0, 0.5, 0.2]");
        ordersFor(out, WITH_TAIL, "the seed's logits plus an unlikely fifth token [2.0, 1.0, 0.5, 0.2, -1.0]");
        out.println("Why they disagree: vllm and transformers divide by T = 0.7 first, so min-p and top-p cut a "
                + "sharper distribution;");
        out.println("vllm runs min-p before top-p, so the tail min-p drops no longer counts towards top-p's 10% and "
                + "the cut reaches the third token.");
        out.println("llama.cpp applies temperature last: top-p and min-p choose from the T = 1 probabilities (flatter, "
                + "so more tokens stay),");
        out.println("and T = 0.7 only reshapes the tokens already kept. On the seed's four logits this happens to "
                + "match transformers; the fifth token separates all three.");
    }

    /** The seed's logits with one more, unlikely token: enough for the three orders to keep 2, 3 and 4 tokens. */
    static final float[] WITH_TAIL = {2.0f, 1.0f, 0.5f, 0.2f, -1.0f};

    private static void ordersFor(PrintWriter out, float[] logits, String what) {
        Input in = Input.ofLogits(logits, "demo");
        out.println("On " + what + " (T = 1: " + Fmt.vector(Distributions.softmax(logits)) + "):");
        for (ProcessorOrder order : ProcessorOrder.values()) {
            SamplingParams p = SamplingParams.builder().temperature(0.7).topP(0.9).minP(0.1).order(order).build();
            Row row = Row.of(p, in);
            out.println(Fmt.f("  %-13s kept %d  %-52s %s", order.id(), row.kept(), Fmt.vector(row.after()),
                    String.join(" -> ", row.chain())));
        }
    }

    private static void vlmConfigs(PrintWriter out) {
        out.println("== 4. The seed's four VLM configurations: " + DRAWS + " draws each, seed " + SEED
                + ", 8-word vocabulary ==");
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < WORDS.size(); i++) {
            vocab.append(i > 0 ? ", " : "").append(WORDS.get(i)).append('=').append(Fmt.num(Fmt.widen(WORD_LOGITS[i])));
        }
        out.println("Vocabulary (word=logit): " + vocab);
        out.println(Fmt.f("  %-22s %-26s %4s %8s %8s  %s", "configuration", "settings", "kept", "distinct", "entropy",
                "draws"));
        for (Config c : VLM_CONFIGS) {
            SamplingParams p = SamplingParams.builder().temperature(c.temperature()).topP(c.topP()).seed(SEED)
                    .maxTokens(DRAWS).build();
            Sampler sampler = Sampler.builder(p, WORDS.size()).build();
            double[] probs = sampler.distribution(WORD_LOGITS);
            int kept = 0;
            for (double q : probs) {
                kept += q > 0 ? 1 : 0;
            }
            long[] counts = new long[WORDS.size()];
            StringBuilder drawn = new StringBuilder();
            for (int i = 0; i < DRAWS; i++) {
                int t = sampler.next(WORD_LOGITS);
                counts[t]++;
                drawn.append(i > 0 ? " " : "").append(WORDS.get(t));
            }
            int distinct = 0;
            double[] freq = new double[counts.length];
            for (int i = 0; i < counts.length; i++) {
                distinct += counts[i] > 0 ? 1 : 0;
                freq[i] = (double) counts[i] / DRAWS;
            }
            String settings = "temperature " + Fmt.py(c.temperature()) + ", top_p " + Fmt.py(c.topP());
            out.println(Fmt.f("  %s %-26s %4d %8d %8.3f  %s", pad(c.name(), 22), settings, kept, distinct,
                    Distributions.entropy(freq), drawn));
        }
        out.println("Higher temperature flattens the distribution, so top-p 0.9 keeps more words and the draws "
                + "spread over them;");
        out.println("a low top-p (0.3) cuts back to the top words even at a medium temperature. "
                + "Entropy is of the 20 draws, in nats.");
    }

    /** Pads text whose CJK characters are two columns wide, so the table lines up in a terminal. */
    static String pad(String s, int width) {
        int cols = 0;
        for (int i = 0; i < s.length(); i++) {
            cols += Character.UnicodeScript.of(s.charAt(i)) == Character.UnicodeScript.HAN
                    || (s.charAt(i) >= 0xFF00 && s.charAt(i) <= 0xFFEF) ? 2 : 1;
        }
        return s + " ".repeat(Math.max(0, width - cols));
    }
}
