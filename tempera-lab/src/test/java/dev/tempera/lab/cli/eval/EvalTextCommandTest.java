package dev.tempera.lab.cli.eval;

import static dev.tempera.shapes.Position.BOTTOM;
import static dev.tempera.shapes.Position.LEFT;
import static dev.tempera.shapes.ShapeColor.BLUE;
import static dev.tempera.shapes.ShapeColor.RED;
import static dev.tempera.shapes.ShapeColor.YELLOW;
import static dev.tempera.shapes.ShapeKind.CIRCLE;
import static dev.tempera.shapes.ShapeKind.SQUARE;
import static dev.tempera.shapes.Size.LARGE;
import static dev.tempera.shapes.Size.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempera.eval.Creativity;
import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ClipScore;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.diversity.SemanticDiversity;
import dev.tempera.eval.embed.OnnxSentenceEmbedder;
import dev.tempera.eval.fidelity.DetailFidelity;
import dev.tempera.eval.fidelity.FidelitySummary;
import dev.tempera.eval.reference.CiderD;
import dev.tempera.eval.reference.CocoBleu;
import dev.tempera.eval.reference.CocoRougeL;
import dev.tempera.eval.reference.DocumentFrequencies;
import dev.tempera.eval.text.TextDiversityReport;
import dev.tempera.eval.text.WordSegmentation;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempera eval text} on small real inputs: the numbers it prints (table and JSON) are the library's
 * ({@code tempera-eval}) numbers for the same sets, the seed's {@code calculate_diversity} is printed exactly as
 * Python prints it, and the model-backed metrics run the bundled all-MiniLM-L6-v2 and {@code models/shapes-clip}.
 * Bad inputs are in {@link EvalUsageErrorsTest}.
 */
class EvalTextCommandTest {

    /** Blue background, a large red circle on the left and a small yellow square at the bottom. */
    static final Scene SCENE = Scene.of(BLUE, new Shape(CIRCLE, RED, LARGE, LEFT), new Shape(SQUARE, YELLOW, SMALL, BOTTOM));

    static final String COLD = "A red circle on a blue background.";
    static final String CHINESE = "蓝色背景上有一个红色圆形。";
    static final String STAR = "A green star, at the top!";
    static final String LONE = "Nothing else";

    @TempDir Path dir;

    private Path groupedOutputs() throws IOException {
        return TestFiles.write(dir.resolve("outputs.jsonl"),
                "{\"group\": \"cold\", \"text\": \"" + COLD + "\"}",
                "{\"group\": \"cold\", \"text\": \"" + COLD + "\"}",
                "",
                "{\"config\": {\"temperature\": 1.2, \"top_p\": 0.9}, \"text\": \"" + CHINESE + "\"}",
                "{\"config\": {\"temperature\": 1.2, \"top_p\": 0.9}, \"text\": \"" + STAR + "\"}",
                "{\"text\": \"" + LONE + "\"}");
    }

    @Test
    void printsTheSeedsCalculateDiversityExactlyAsPythonDoesPerGroupAndOverall() throws IOException {
        TestFiles.Run r = TestFiles.run("eval", "text", "--in", groupedOutputs().toString(), "--no-embeddings");

        assertThat(r.code()).as(r.err()).isZero();
        // Expected strings printed by python3 running the seed's calculate_diversity on the same texts:
        // cold = [COLD, COLD]: a, red, circle, on, a, blue, background. twice -> 6 unique of 14
        assertThat(r.out()).contains("cold", "{'lexical_diversity': 0.42857142857142855, 'unique_words': 6, 'total_words': 14}");
        // the config object without "name" is labelled by its fields; [CHINESE, STAR]: the Chinese sentence has no
        // spaces, so it is one word; "star," and "top!" keep their punctuation -> 7 unique of 7, the float 1.0
        assertThat(r.out()).contains("temperature=1.2, top_p=0.9",
                "{'lexical_diversity': 1.0, 'unique_words': 7, 'total_words': 7}");
        // all five lines (the ungrouped one only here): 14 unique of 23
        assertThat(r.out()).contains("{'lexical_diversity': 0.6086956521739131, 'unique_words': 14, 'total_words': 23}");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void tableAndJsonHoldTheLibrarysLexicalNumbersForEachSet() throws IOException {
        Path in = groupedOutputs();
        TestFiles.Run table = TestFiles.run("eval", "text", "--in", in.toString(), "--no-embeddings");
        TestFiles.Run json = TestFiles.run("eval", "text", "--in", in.toString(), "--no-embeddings", "--json");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(json.code()).as(json.err()).isZero();

        List<List<String>> sets = List.of(List.of(COLD, COLD), List.of(CHINESE, STAR),
                List.of(COLD, COLD, CHINESE, STAR, LONE));
        JsonNode root = json.json();
        List<JsonNode> nodes = List.of(root.get("groups").get("cold"), root.get("groups").get("temperature=1.2, top_p=0.9"),
                root.get("overall"));
        assertThat(root.get("groups").size()).isEqualTo(2);
        for (int s = 0; s < sets.size(); s++) {
            TextDiversityReport expected = TextDiversityReport.of(sets.get(s));
            JsonNode n = nodes.get(s);
            assertThat(n.get("outputs").asInt()).isEqualTo(expected.outputs());
            assertThat(n.get("seed").get("lexical_diversity").asDouble()).isEqualTo(expected.seed().lexicalDiversity());
            assertThat(n.get("seed").get("unique_words").asInt()).isEqualTo(expected.seed().uniqueWords());
            assertThat(n.get("seed").get("total_words").asInt()).isEqualTo(expected.seed().totalWords());
            assertThat(n.get("unicode").get("unique_words").asInt()).isEqualTo(expected.unicode().uniqueWords());
            assertThat(n.get("unicode").get("total_words").asInt()).isEqualTo(expected.unicode().totalWords());
            for (int k = 0; k < 4; k++) {
                assertThat(n.get("distinct").get(k).get("value").asDouble()).isEqualTo(expected.distinct().get(k).value());
                assertThat(n.get("entropy").get(k).asDouble()).isEqualTo(expected.entropy().get(k));
            }
            assertThat(n.get("selfBleu").asDouble()).isEqualTo(expected.selfBleu().getAsDouble());
            assertThat(n.get("mattr").asDouble()).isEqualTo(expected.meanMattr());
            assertThat(n.get("mtld").asDouble()).isEqualTo(expected.meanMtld());
            assertThat(n.get("compression").get("ratio").asDouble()).isEqualTo(expected.compression().ratio());
            assertThat(n.get("meanWords").asDouble()).isEqualTo(expected.meanWords());
            // nothing model-backed was asked for
            assertThat(n.get("semantic").isNull()).isTrue();
            assertThat(n.get("alignment").isNull()).isTrue();
            assertThat(n.get("creativity").isNull()).isTrue();

            // the table: metric rows, one column per set in the same order (groups, then all)
            int col = s + 1;
            assertThat(table.row("distinct-2").get(col)).isEqualTo(f3(expected.distinct().get(1).value()));
            assertThat(table.row("Ent-3 (nats)").get(col)).isEqualTo(f3(expected.entropy().get(2)));
            assertThat(table.row("self-BLEU-3 (similarity: higher = less diverse)").get(col))
                    .isEqualTo(f3(expected.selfBleu().getAsDouble()));
            assertThat(table.row("total words").get(col)).isEqualTo(String.valueOf(expected.unicode().totalWords()));
        }
        // ICU words cut the Chinese sentence into words (蓝色 / 背景 / 上 / ...), the seed's split does not
        assertThat(nodes.get(1).get("unicode").get("total_words").asInt()).isGreaterThan(7);
        // the items keep their input line numbers (line 3 is blank) and groups
        assertThat(root.get("items").get(2).get("line").asInt()).isEqualTo(4);
        assertThat(root.get("items").get(4).get("group").isNull()).isTrue();
        assertThat(table.out()).contains("semantic diversity and creativity: skipped (--no-embeddings)");
    }

    @Test
    void aSingleOutputHasNoSelfBleu() throws IOException {
        Path in = TestFiles.write(dir.resolve("one.jsonl"), "{\"text\": \"" + COLD + "\"}");
        TestFiles.Run json = TestFiles.run("eval", "text", "--in", in.toString(), "--no-embeddings", "--json");
        TestFiles.Run table = TestFiles.run("eval", "text", "--in", in.toString(), "--no-embeddings");

        assertThat(json.code()).as(json.err()).isZero();
        assertThat(json.json().get("overall").get("selfBleu").isNull()).isTrue();
        assertThat(json.json().get("groups").size()).isZero();
        assertThat(table.row("self-BLEU-3 (similarity: higher = less diverse)")).endsWith("-");
    }

    /**
     * Everything at once, against the library called directly on the same inputs: CLIPScore with shapes-clip against
     * the rendered scene, semantic diversity with the bundled MiniLM, detail fidelity against the scene, reference
     * metrics with a fixed document-frequency table, and creativity from its two factors.
     */
    @Test
    void modelAndReferenceMetricsAreTheLibrarysOnTheSameInputs() throws IOException {
        List<String> good = List.of(
                "A large red circle on the left of a blue background, and a small yellow square at the bottom.",
                "On a blue background, a large red circle on the left and a small yellow square at the bottom.");
        List<String> wrong = List.of(
                "A large green circle on the left of a blue background, and a small yellow square at the bottom.",
                "A large red star at the top of a white background.");
        List<String> all = new ArrayList<>(good);
        all.addAll(wrong);
        Path in = TestFiles.write(dir.resolve("outputs.jsonl"),
                line("good", good.get(0)), line("good", good.get(1)), line("wrong", wrong.get(0)), line("wrong", wrong.get(1)));
        Path image = dir.resolve("scene.png");
        ImageIO.write(Renderer.render(SCENE), "png", image.toFile());
        Path scene = TestFiles.write(dir.resolve("scene.json"), "{\"background\": \"blue\", \"shapes\": ["
                + "{\"kind\": \"circle\", \"color\": \"red\", \"size\": \"large\", \"position\": \"left\"},"
                + "{\"kind\": \"square\", \"color\": \"yellow\", \"size\": \"small\", \"position\": \"bottom\"}]}");
        List<String> refTexts = List.of("A large red circle and a small yellow square on a blue background.",
                "A red circle on the left, a yellow square at the bottom.");
        Path refs = TestFiles.write(dir.resolve("refs.jsonl"),
                "{\"text\": \"" + refTexts.get(0) + "\"}", "{\"text\": \"" + refTexts.get(1) + "\"}");
        WordSegmentation words = WordSegmentation.ICU_WORDS;
        List<List<String>> refTokens = words.wordsOfAll(refTexts);
        DocumentFrequencies table = DocumentFrequencies.fromReferences(List.of(refTokens,
                List.of(words.words("a green star at the top")), List.of(words.words("a white background"))));
        Path df = dir.resolve("df.tsv");
        table.write(df);

        String[] args = {"eval", "text", "--in", in.toString(), "--image", image.toString(), "--clip",
            TestFiles.shapesClip().toString(), "--scene", scene.toString(), "--references", refs.toString(), "--df",
            df.toString()};
        TestFiles.Run r = TestFiles.run(append(args, "--json"));
        TestFiles.Run t = TestFiles.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode root = r.json();

        BufferedImage picture = ImageIO.read(image.toFile());
        try (ClipModel clip = ClipModel.load(TestFiles.shapesClip());
             OnnxSentenceEmbedder embedder = OnnxSentenceEmbedder.allMiniLmL6V2()) {
            ClipScore clipScore = new ClipScore(clip);
            ClipScores each = clipScore.descriptionsAgainstImage(picture, all);
            for (int i = 0; i < all.size(); i++) {
                assertThat(root.get("items").get(i).get("alignment").get("clipScore").asDouble())
                        .isCloseTo(each.pairs().get(i).score(), within(1e-6));
            }
            List<List<String>> sets = List.of(good, wrong, all);
            List<JsonNode> nodes = List.of(root.get("groups").get("good"), root.get("groups").get("wrong"),
                    root.get("overall"));
            for (int s = 0; s < sets.size(); s++) {
                List<String> texts = sets.get(s);
                JsonNode n = nodes.get(s);
                // CLIP and MiniLM rows do not depend on the batch beyond float rounding (~1e-6)
                ClipScores alignment = clipScore.descriptionsAgainstImage(picture, texts);
                assertThat(n.get("alignment").get("clipScore").asDouble()).isCloseTo(alignment.mean(), within(1e-5));
                assertThat(n.get("alignment").get("mda").asDouble()).isCloseTo(alignment.meanAlignment(), within(1e-5));
                SemanticDiversity semantic = SemanticDiversity.measure(embedder, texts);
                assertThat(n.get("semantic").get("meanCosineDistance").asDouble())
                        .isCloseTo(semantic.meanCosineDistance(), within(1e-5));
                assertThat(n.get("semantic").get("vendi").asDouble()).isCloseTo(semantic.vendi(), within(1e-5));
                Creativity creativity = Creativity.of(alignment.meanAlignment(), semantic.vendi(), texts.size());
                assertThat(n.get("creativity").get("score").asDouble()).isCloseTo(creativity.score(), within(1e-5));
                assertThat(n.get("creativity").get("meanAlignment").asDouble())
                        .isEqualTo(n.get("alignment").get("mda").asDouble());
                assertThat(n.get("creativity").get("vendi").asDouble()).isEqualTo(n.get("semantic").get("vendi").asDouble());

                // detail fidelity and the reference metrics need no model: exactly the library's values
                FidelitySummary fidelity = FidelitySummary.of(texts.stream().map(x -> DetailFidelity.score(SCENE, x)).toList());
                assertThat(n.get("fidelity").get("f1").asDouble()).isEqualTo(fidelity.meanF1());
                assertThat(n.get("fidelity").get("precision").asDouble()).isEqualTo(fidelity.meanPrecision());
                assertThat(n.get("fidelity").get("chairI").asDouble()).isEqualTo(fidelity.chair().chairI());
                assertThat(n.get("fidelity").get("chairS").asDouble()).isEqualTo(fidelity.chair().chairS());
                List<List<String>> cands = words.wordsOfAll(texts);
                List<List<List<String>>> repeated = Collections.nCopies(texts.size(), refTokens);
                assertThat(n.get("references").get("bleu4").asDouble())
                        .isEqualTo(CocoBleu.score(cands, repeated).get(3).corpus());
                assertThat(n.get("references").get("rougeL").asDouble())
                        .isEqualTo(CocoRougeL.score(cands, repeated).corpus());
                assertThat(n.get("references").get("ciderD").asDouble())
                        .isEqualTo(CiderD.score(cands, repeated, table).corpus());

                // the table shows the JSON's numbers, in the set's column
                int col = s + 1;
                assertThat(t.row("MDA (CLIPScore / 2.5)").get(col)).isEqualTo(f3(n.get("alignment").get("mda")));
                assertThat(t.row("Vendi (effective number of outputs, 1..K)").get(col))
                        .isEqualTo(f3(n.get("semantic").get("vendi")));
                assertThat(t.row("DF: attribute F1 (mean over outputs)").get(col)).isEqualTo(f3(n.get("fidelity").get("f1")));
                assertThat(t.row("CIDEr-D (mean)").get(col)).isEqualTo(f3(n.get("references").get("ciderD")));
                assertThat(t.row("creativity (0..K)").get(col)).isEqualTo(f3(n.get("creativity").get("score")));
                assertThat(t.row("factor: MDA (mean)").get(col)).isEqualTo(f3(n.get("alignment").get("mda")));
                assertThat(t.row("factor: Vendi").get(col)).isEqualTo(f3(n.get("semantic").get("vendi")));
            }
            // the true descriptions score higher than the wrong ones on alignment and fidelity
            assertThat(nodes.get(0).get("alignment").get("mda").asDouble())
                    .isGreaterThan(nodes.get(1).get("alignment").get("mda").asDouble());
            assertThat(nodes.get(0).get("fidelity").get("f1").asDouble()).isEqualTo(1.0);
            assertThat(nodes.get(1).get("fidelity").get("f1").asDouble()).isLessThan(1.0);
        }
        assertThat(root.get("settings").get("referenceCount").asInt()).isEqualTo(2);
        assertThat(t.out()).contains("Per output:");
    }

    @Test
    void helpShowsExamples() {
        TestFiles.Run r = TestFiles.run("eval", "text", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Examples:", "tempera eval text --in outputs.jsonl", "--no-embeddings", "--references");
    }

    private static String line(String group, String text) {
        return "{\"group\": \"" + group + "\", \"text\": \"" + text + "\"}";
    }

    private static String[] append(String[] args, String more) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = more;
        return out;
    }

    static String f3(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }

    static String f3(JsonNode x) {
        return f3(x.asDouble());
    }
}
