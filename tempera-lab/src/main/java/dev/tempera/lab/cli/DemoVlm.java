package dev.tempera.lab.cli;

import dev.tempera.eval.fidelity.DetailFidelity;
import dev.tempera.eval.fidelity.FidelityScore;
import dev.tempera.eval.text.LexicalDiversity;
import dev.tempera.lab.cli.eval.BundledModels;
import dev.tempera.lab.cli.text.SideBySide;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.shapes.DatasetWriter;
import dev.tempera.shapes.Position;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.SceneSampler;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.ShapeColor;
import dev.tempera.shapes.ShapeKind;
import dev.tempera.shapes.Size;
import dev.tempera.text.Completion;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.LocalEngine;
import dev.tempera.text.Prompt;
import dev.tempera.text.StreamListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Part 5 of {@code tempera demo}: the seed's multimodal experiment for real — the bundled shapes-vl (Qwen2-VL layout,
 * on ONNX Runtime) describes one rendered Shapes image under the seed's four configurations, three seeds each, and
 * the descriptions are scored as the seed's part 5 asks: lexical diversity across seeds, and detail fidelity against
 * the scene the image was rendered from (which is known exactly). One image is an anecdote (at T 0.1 the model may
 * swap two positions on it, at T 1.2 a seed may happen to be right), so fidelity and hallucination are also measured
 * over {@link #HELD_OUT_SCENES} held-out scenes.
 */
final class DemoVlm {

    /** The demo's scene: what the image shows. */
    static final Scene SCENE = Scene.of(ShapeColor.BLUE, new Shape(ShapeKind.CIRCLE, ShapeColor.RED, Size.LARGE,
            Position.LEFT), new Shape(ShapeKind.STAR, ShapeColor.YELLOW, Size.SMALL, Position.RIGHT));
    static final String PROMPT = "描述这张图片中的场景和细节";
    static final int SEEDS = 3;
    /** One image is an anecdote: the four configurations also run over this many held-out scenes. */
    static final int HELD_OUT_SCENES = 10;
    /** The seed of the dataset shapes-vl was trained on ({@code tools/sample-models/build.sh}). */
    static final long DATASET_SEED = 1;
    private static final String TEMPLATE = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\n<|vision_start|><|image_pad|><|vision_end|>" + PROMPT
            + "<|im_end|>\n<|im_start|>assistant\n";

    private DemoVlm() {
    }

    static void run(PrintWriter out) {
        out.println("== 5. The seed's experiment on the bundled shapes-vl: one image, four configurations, "
                + SEEDS + " seeds each ==");
        Optional<Path> dir = BundledModels.find("shapes-vl");
        if (dir.isEmpty()) {
            out.println("(skipped: models/shapes-vl was not found above the working directory)");
            return;
        }
        RgbPixels image = RgbPixels.of(Renderer.render(SCENE, 64));
        out.println("Image: " + SCENE + " (rendered 64x64). Prompt: " + PROMPT
                + ". max_tokens 96; seeds 0.." + (SEEDS - 1) + ".");
        try (LocalEngine engine = LocalEngine.open(dir.get(), LocalEngine.Options.defaults())) {
            List<GenerationRequest> requests = requests();
            Prompt prompt = engine.prepare(TEMPLATE, List.of(image));
            List<GenerationResult> results = engine.generateEach(prompt, requests, StreamListener.NONE);
            List<String> headers = new ArrayList<>();
            List<String> firsts = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                DemoCommand.Config c = DemoCommand.VLM_CONFIGS.get(i);
                headers.add(c.name() + "\ntemperature " + Fmt.py(c.temperature()) + ", top_p " + Fmt.py(c.topP())
                        + ", seed 0");
                firsts.add(results.get(i).completions().get(0).text().strip());
            }
            List<String> table = SideBySide.layout(headers, firsts, 116, 24);
            table.forEach(out::println);
            out.println();
            out.println(Fmt.f("  %s %10s %9s %14s  %s", DemoCommand.pad("configuration", 22), "lexical", "detail",
                    "hallucinated", "the 3 descriptions differ?"));
            out.println(Fmt.f("  %s %10s %9s %14s", DemoCommand.pad("", 22), "diversity", "F1", "attributes"));
            for (int i = 0; i < results.size(); i++) {
                List<String> texts = new ArrayList<>();
                double f1 = 0;
                int hallucinated = 0;
                for (Completion c : results.get(i).completions()) {
                    String t = c.text().strip();
                    texts.add(t);
                    FidelityScore s = DetailFidelity.score(SCENE, t);
                    f1 += s.f1();
                    hallucinated += s.hallucinated().size();
                }
                long distinct = texts.stream().distinct().count();
                out.println(Fmt.f("  %s %10.3f %9.3f %14d  %d distinct of %d",
                        DemoCommand.pad(DemoCommand.VLM_CONFIGS.get(i).name(), 22),
                        LexicalDiversity.unicode(texts).lexicalDiversity(), f1 / texts.size(), hallucinated, distinct,
                        texts.size()));
            }
            out.println(Fmt.f("One prompt pass (vision encoder + %d prompt tokens) for all 12 descriptions; "
                    + "tempera describe runs this on any image and prints timings.", results.get(0).promptTokens()));
            out.println();
            heldOut(out, engine, requests);
        }
        out.println("Lexical diversity: unique / total words over the 3 seeds' descriptions (ICU word segmentation, "
                + "so Chinese counts words, not lines);");
        out.println("detail F1: the attributes each description states against the scene the image was rendered "
                + "from; hallucinated: stated attributes that are false (docs/METRICS.md).");
    }

    /** The seed's four configurations, {@link #SEEDS} seeded descriptions each. */
    private static List<GenerationRequest> requests() {
        List<GenerationRequest> requests = new ArrayList<>();
        for (DemoCommand.Config c : DemoCommand.VLM_CONFIGS) {
            requests.add(GenerationRequest.of(SamplingParams.builder().temperature(c.temperature()).topP(c.topP())
                    .n(SEEDS).seed(0).maxTokens(96).build()));
        }
        return requests;
    }

    /**
     * The four configurations over the first {@link #HELD_OUT_SCENES} test-split scenes of the training dataset
     * (scenes the model never saw): mean detail F1, hallucinated over stated attributes, and how many descriptions
     * state at least one false attribute.
     */
    private static void heldOut(PrintWriter out, LocalEngine engine, List<GenerationRequest> requests) {
        int configs = requests.size();
        double[] f1 = new double[configs];
        int[] hallucinated = new int[configs];
        int[] stated = new int[configs];
        int[] withHallucination = new int[configs];
        int scenes = 0;
        for (int index = 0; scenes < HELD_OUT_SCENES; index++) {
            if (!DatasetWriter.isTest(DATASET_SEED, index)) {
                continue;
            }
            Scene scene = SceneSampler.sample(DATASET_SEED, index);
            Prompt prompt = engine.prepare(TEMPLATE, List.of(RgbPixels.of(Renderer.render(scene, 64))));
            List<GenerationResult> results = engine.generateEach(prompt, requests, StreamListener.NONE);
            for (int i = 0; i < configs; i++) {
                for (Completion c : results.get(i).completions()) {
                    FidelityScore s = DetailFidelity.score(scene, c.text().strip());
                    f1[i] += s.f1();
                    hallucinated[i] += s.hallucinated().size();
                    stated[i] += s.attributes().stated();
                    withHallucination[i] += s.hallucinated().isEmpty() ? 0 : 1;
                }
            }
            scenes++;
        }
        int descriptions = scenes * SEEDS;
        out.println("The same over the first " + scenes + " held-out scenes of shapes-vl's training dataset (seed "
                + DATASET_SEED + ", test split; " + descriptions + " descriptions per configuration):");
        out.println(Fmt.f("  %s %9s %14s  %s", DemoCommand.pad("configuration", 22), "detail", "hallucinated",
                "descriptions with a"));
        out.println(Fmt.f("  %s %9s %14s  %s", DemoCommand.pad("", 22), "F1", "/ stated", "false attribute"));
        for (int i = 0; i < configs; i++) {
            out.println(Fmt.f("  %s %9.3f %14.3f  %d of %d", DemoCommand.pad(DemoCommand.VLM_CONFIGS.get(i).name(), 22),
                    f1[i] / descriptions, stated[i] == 0 ? 0 : (double) hallucinated[i] / stated[i],
                    withHallucination[i], descriptions));
        }
    }
}
