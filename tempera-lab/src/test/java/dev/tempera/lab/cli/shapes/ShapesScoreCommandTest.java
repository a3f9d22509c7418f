package dev.tempera.lab.cli.shapes;

import static dev.tempera.shapes.Position.LEFT;
import static dev.tempera.shapes.Position.RIGHT;
import static dev.tempera.shapes.Position.TOP;
import static dev.tempera.shapes.ShapeColor.BLACK;
import static dev.tempera.shapes.ShapeColor.BLUE;
import static dev.tempera.shapes.ShapeColor.GREEN;
import static dev.tempera.shapes.ShapeColor.PURPLE;
import static dev.tempera.shapes.ShapeColor.RED;
import static dev.tempera.shapes.ShapeColor.WHITE;
import static dev.tempera.shapes.ShapeKind.CIRCLE;
import static dev.tempera.shapes.ShapeKind.SQUARE;
import static dev.tempera.shapes.ShapeKind.STAR;
import static dev.tempera.shapes.Size.LARGE;
import static dev.tempera.shapes.Size.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.Scene;
import dev.tempera.shapes.Shape;
import dev.tempera.shapes.TextParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ShapesScoreCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** White background, a large red circle on the left and a small blue square on the right. */
    static final Scene TWO = Scene.of(WHITE, new Shape(CIRCLE, RED, LARGE, LEFT), new Shape(SQUARE, BLUE, SMALL, RIGHT));
    /** Black background, a small green star at the top. */
    static final Scene ONE = Scene.of(BLACK, new Shape(STAR, GREEN, SMALL, TOP));
    /** The scene the descriptions describe, as written in scenes.jsonl. */
    static final String PURPLE_STAR = "{\"background\": \"purple\", \"shapes\": [{\"kind\": \"star\", \"color\": \"red\","
            + " \"size\": \"large\", \"position\": \"top\"}]}";

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs the command wired as TemperaCli wires its subcommands (one-line usage errors, exit 2). */
    private int run(String... args) {
        CommandLine cl = new CommandLine(new ShapesCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("tempera: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    private void render(Scene scene, String relative) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        ImageIO.write(Renderer.render(scene), "png", file.toFile());
    }

    private Path jsonl(String... lines) throws IOException {
        Path file = dir.resolve("items.jsonl");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }

    private List<JsonNode> results(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private static String image(String group, String path, String prompt) {
        return "{\"group\": \"" + group + "\", \"image\": \"" + path + "\", \"prompt\": \"" + prompt + "\"}";
    }

    private static String described(String text) {
        return "{\"group\": \"cap\", \"text\": \"" + text + "\", \"scene\": " + PURPLE_STAR + "}";
    }

    private Path mixedBatch() throws IOException {
        render(TWO, "gen/two.png");
        render(ONE, "gen/one.png");
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ImageIO.write(noise, "png", dir.resolve("gen/noise.png").toFile());
        return jsonl(
                image("img", "gen/two.png", "a red circle and a blue square"),      // line 1
                image("img", "gen/two.png", "a blue circle and a red square"),      // line 2
                image("img", "gen/two.png", "a red circle"),                        // line 3
                image("img", "gen/one.png", "a small green star at the top on a black background"), // line 4
                image("img", "gen/noise.png", "a red circle"),                      // line 5
                "",                                                                 // line 6: skipped
                described("a large red star at the top on a purple background"),   // line 7
                described("a large green star at the top on a purple background"), // line 8
                described("a small blue circle"),                                   // line 9
                "{\"group\": \"free\", \"text\": \"a small green square on the left on a white background\"}",
                "{\"group\": \"free\", \"text\": \"a green square on the left\"}",
                "{\"group\": \"free\", \"text\": \"a large red circle in the centre and a large blue square on the left"
                        + " on a white background\"}",
                "{\"text\": \"a small red circle at the top on a red background\"}"); // line 13: no group
    }

    @Test
    void perItemResultsEchoTheInputAndAddTheScores() throws IOException {
        Path in = mixedBatch();
        Path results = dir.resolve("out/results.jsonl");
        assertThat(run("score", "--in", in.toString(), "--out", results.toString())).as(err.toString()).isZero();
        List<JsonNode> r = results(results);
        assertThat(r).hasSize(12);

        // Line 1: both shapes' kind and colour stated and true. The truth has 9 attributes (background + 4 per
        // shape), the prompt states 4: P 1, R 4/9, F1 8/13.
        JsonNode right = r.get(0);
        assertThat(right.get("image").asText()).isEqualTo("gen/two.png");
        assertThat(right.get("group").asText()).isEqualTo("img");
        assertThat(right.get("known").asBoolean()).isTrue();
        assertThat(right.at("/recognised/shapes/0/kind").asText()).isEqualTo("circle");
        assertThat(right.get("satisfied").asBoolean()).isTrue();
        assertThat(right.get("kindColour").asBoolean()).isTrue();
        assertThat(right.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(right.get("recall").asDouble()).isCloseTo(4.0 / 9, within(1e-12));
        assertThat(right.get("f1").asDouble()).isCloseTo(8.0 / 13, within(1e-12));

        // Line 2: colours swapped. Either matching makes 2 of the 4 stated attributes true: P 1/2, R 2/9, F1 4/13.
        JsonNode swapped = r.get(1);
        assertThat(swapped.get("satisfied").asBoolean()).isFalse();
        assertThat(swapped.get("kindColour").asBoolean()).isFalse();
        assertThat(swapped.get("precision").asDouble()).isEqualTo(0.5);
        assertThat(swapped.get("f1").asDouble()).isCloseTo(4.0 / 13, within(1e-12));

        // Line 3: one of two shapes mentioned: not satisfied (the counts differ) but kind and colour hold.
        JsonNode partial = r.get(2);
        assertThat(partial.get("satisfied").asBoolean()).isFalse();
        assertThat(partial.get("kindColour").asBoolean()).isTrue();
        assertThat(partial.get("f1").asDouble()).isCloseTo(4.0 / 11, within(1e-12));

        assertThat(r.get(3).get("f1").asDouble()).isEqualTo(1.0);
        assertThat(r.get(3).get("satisfied").asBoolean()).isTrue();

        // Line 5: noise is no scene: nothing holds and there is no F1.
        JsonNode noise = r.get(4);
        assertThat(noise.get("known").asBoolean()).isFalse();
        assertThat(noise.get("reason").asText()).startsWith("background is not uniform");
        assertThat(noise.get("recognised").isNull()).isTrue();
        assertThat(noise.get("satisfied").asBoolean()).isFalse();
        assertThat(noise.get("kindColour").asBoolean()).isFalse();
        assertThat(noise.get("f1").isNull()).isTrue();

        // Lines 7-9 against a large red star at the top on purple: all 5 stated true; green is false (1 of 5);
        // "a small blue circle" matches the star in nothing (3 of 3 false).
        assertThat(r.get(5).at("/scene/background").asText()).isEqualTo("purple");
        assertDescribed(r.get(5), 0, 5, 1.0);
        assertDescribed(r.get(6), 1, 5, 0.8);
        assertDescribed(r.get(7), 3, 3, 0.0);

        assertThat(r.get(8).get("valid").asBoolean()).isTrue();
        assertThat(r.get(8).get("reason").isNull()).isTrue();
        assertThat(r.get(8).at("/parsed/shapes/0/position").asText()).isEqualTo("left");
        assertThat(r.get(9).get("valid").asBoolean()).isFalse();
        assertThat(r.get(9).get("reason").asText())
                .isEqualTo("no background stated; shape 1 (?size green square at left) states no size");
        assertThat(r.get(10).get("reason").asText())
                .startsWith("not a valid scene: shapes must be at least 0.05 apart");
        assertThat(r.get(11).has("group")).isFalse();
        assertThat(r.get(11).get("reason").asText())
                .startsWith("not a valid scene: shape colour must differ from the background (red)");
    }

    private static void assertDescribed(JsonNode n, int hallucinated, int stated, double f1) {
        assertThat(n.get("hallucinated").asInt()).as(n.toString()).isEqualTo(hallucinated);
        assertThat(n.get("stated").asInt()).as(n.toString()).isEqualTo(stated);
        assertThat(n.get("hallucinationRate").asDouble()).as(n.toString())
                .isCloseTo((double) hallucinated / stated, within(1e-12));
        assertThat(n.get("f1").asDouble()).as(n.toString()).isCloseTo(f1, within(1e-12));
    }

    @Test
    void jsonSummarisesEachGroupAndOverall() throws IOException {
        Path in = mixedBatch();
        assertThat(run("score", "--in", in.toString(), "--json")).as(err.toString()).isZero();
        JsonNode s = JSON.readTree(out.toString());
        assertThat(s.get("groups").fieldNames()).toIterable().containsExactly("img", "cap", "free");

        JsonNode img = s.at("/groups/img");
        assertThat(img.get("count").asInt()).isEqualTo(5);
        // Known 4 of 5 (noise is not); satisfied: lines 1 and 4; kind and colour: lines 1, 3 and 4.
        assertThat(img.get("knownRate").asDouble()).isEqualTo(0.8);
        assertThat(img.get("satisfiedRate").asDouble()).isEqualTo(0.4);
        assertThat(img.get("kindColourRate").asDouble()).isEqualTo(0.6);
        // Over the 4 known images only.
        assertThat(img.get("imageMeanF1").asDouble()).isCloseTo((8.0 / 13 + 4.0 / 13 + 4.0 / 11 + 1) / 4, within(1e-12));
        assertThat(img.has("textMeanF1")).isFalse();

        JsonNode cap = s.at("/groups/cap");
        assertThat(cap.get("textMeanF1").asDouble()).isCloseTo((1 + 0.8 + 0) / 3, within(1e-12));
        assertThat(cap.get("meanHallucinationRate").asDouble()).isCloseTo((0 + 0.2 + 1) / 3, within(1e-12));
        // Pooled: (0 + 1 + 3) hallucinated of (5 + 5 + 3) stated.
        assertThat(cap.get("microHallucinationRate").asDouble()).isCloseTo(4.0 / 13, within(1e-12));
        assertThat(cap.get("anyHallucinationRate").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(cap.get("hallucinated").asInt()).isEqualTo(4);
        assertThat(cap.get("stated").asInt()).isEqualTo(13);

        // The group "free" has 3 texts, 1 valid; the ungrouped invalid one counts only overall.
        assertThat(s.at("/groups/free/validRate").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
        JsonNode all = s.get("overall");
        assertThat(all.get("count").asInt()).isEqualTo(12);
        assertThat(all.get("texts").asInt()).isEqualTo(4);
        assertThat(all.get("validRate").asDouble()).isEqualTo(0.25);
        assertThat(all.get("knownRate").asDouble()).isEqualTo(0.8);
    }

    @Test
    void defaultOutputIsAnAlignedTable() throws IOException {
        Path in = mixedBatch();
        assertThat(run("score", "--in", in.toString())).as(err.toString()).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines[0]).startsWith("group  ").contains("known", "satisfied", "kindColour", "textF1", "valid");
        assertThat(lines[1]).matches("img +5 +0\\.800 +0\\.400 +0\\.600 +0\\.\\d{3} +- +- +- +- +-");
        assertThat(lines[3]).matches("free +3 +- +- +- +- +- +- +- +- +0\\.333");
        assertThat(lines[4]).startsWith("overall").contains("12").endsWith("0.250");
        // Every row is as wide as the header: the columns line up.
        assertThat(lines[1].length()).isEqualTo(lines[0].length());
        assertThat(lines[4].length()).isEqualTo(lines[0].length());
    }

    @Test
    void progressGoesToStderrAboveTwoHundredItems() throws IOException {
        String line = "{\"text\": \"a small green square on the left on a white background\"}";
        Path in = jsonl(java.util.Collections.nCopies(ShapesScoreCommand.PROGRESS_ABOVE + 1, line)
                .toArray(String[]::new));
        assertThat(run("score", "--in", in.toString(), "--json")).isZero();
        assertThat(err.toString()).contains("score: 100% (201/201)");
        assertThat(JSON.readTree(out.toString()).at("/overall/validRate").asDouble()).isEqualTo(1.0);

        err.getBuffer().setLength(0);
        Path few = jsonl(java.util.Collections.nCopies(ShapesScoreCommand.PROGRESS_ABOVE, line).toArray(String[]::new));
        assertThat(run("score", "--in", few.toString(), "--json")).isZero();
        assertThat(err.toString()).isEmpty();
    }

    // Bad inputs tried, each exit 2 with one line naming --in and the line: a missing --in file, a line that is not
    // JSON, a JSON array instead of an object, a line with neither "image" nor "text", one with both, a blank
    // "text", a blank "prompt", an image item without a prompt, a missing image file, an image file that is no
    // image (found while scoring), and a scene with an unknown colour; plus --out naming a directory.
    @Test
    void badLinesExit2NamingTheLine() throws IOException {
        assertThat(run("score", "--in", dir.resolve("missing.jsonl").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--in must be an existing, readable JSONL file").contains("missing.jsonl")
                .contains("no such file");

        String ok = "{\"text\": \"a red circle\"}";
        assertBad("line 2: not valid JSON", ok, "{\"text\": \"a red circle\"");
        assertBad("line 1: must be a JSON object, but is: [1, 2]", "[1, 2]");
        assertBad("line 2: has neither \"image\" nor \"text\"; an item is {\"image\", \"prompt\"}, {\"text\", \"scene\"}"
                + " or {\"text\"}, but its fields are: [group, caption]", ok, "{\"group\": \"a\", \"caption\": \"x\"}");
        assertBad("line 1: has both \"image\" and \"text\"", "{\"image\": \"a.png\", \"text\": \"x\"}");
        assertBad("line 3: \"text\" must be a string with at least one non-blank character, but is: \"  \"", ok, ok,
                "{\"text\": \"  \"}");
        render(ONE, "one.png");
        assertBad("line 1: \"prompt\" must be a string with at least one non-blank character", 
                "{\"image\": \"one.png\", \"prompt\": \"\"}");
        assertBad("line 1: an \"image\" item needs the \"prompt\"", "{\"image\": \"one.png\"}");
        assertBad("line 2: \"image\" must be an existing image file, but is: gone.png", ok,
                "{\"image\": \"gone.png\", \"prompt\": \"a red circle\"}");
        Files.writeString(dir.resolve("fake.png"), "not a png");
        assertBad("line 2: image file must be a readable PNG/JPEG/BMP/GIF image", "{\"image\": \"one.png\", \"prompt\":"
                + " \"a star\"}", "{\"image\": \"fake.png\", \"prompt\": \"a red circle\"}");
        assertBad("line 1: \"scene.shapes[0].color\": Unknown colour 'teal'; known: [red,",
                "{\"text\": \"x\", \"scene\": {\"background\": \"white\", \"shapes\": [{\"kind\": \"star\", \"color\":"
                        + " \"teal\", \"size\": \"small\", \"position\": \"top\"}]}}");

        err.getBuffer().setLength(0);
        assertThat(run("score", "--in", jsonl(ok).toString(), "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--out must be a file to write JSONL to, but is a directory");
    }

    private void assertBad(String message, String... lines) throws IOException {
        err.getBuffer().setLength(0);
        Path in = jsonl(lines);
        assertThat(run("score", "--in", in.toString())).as(err.toString()).isEqualTo(2);
        assertThat(err.toString()).contains("tempera: --in " + in + " " + message);
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void kindColourNeedsADistinctShapePerMention() {
        // Two red circles mentioned, one in the scene: the second mention finds no free shape.
        assertThat(KindColourMatch.holds(TextParser.parse("a red circle and a red circle"), TWO)).isFalse();
        // Size and position are ignored; the scene's extra square is allowed.
        assertThat(KindColourMatch.holds(TextParser.parse("a small red circle at the top"), TWO)).isTrue();
        // Only a colour or only a kind must match what is stated: "a circle" and "a blue square".
        assertThat(KindColourMatch.holds(TextParser.parse("a circle and a blue square"), TWO)).isTrue();
        // No shape mentioned: never holds, as promptSatisfied.
        assertThat(KindColourMatch.holds(TextParser.parse("a white background"), TWO)).isFalse();
    }

    @Test
    void validityListsEveryMissingPiece() {
        ItemScore.Validity v = ItemScore.Validity.of(TextParser.parse("a red circle, a blue square and a green star"));
        assertThat(v.valid()).isFalse();
        assertThat(v.reason()).hasValue("no background stated; 3 shapes stated, a scene holds 1 to 2; shape 1 (?size red"
                + " circle at ?position) states no size, position; shape 2 (?size blue square at ?position) states no"
                + " size, position; shape 3 (?size green star at ?position) states no size, position");
        assertThat(ItemScore.Validity.of(TextParser.parse("hello")).reason())
                .hasValue("no background stated; 0 shapes stated, a scene holds 1 to 2");
        ItemScore.Validity ok = ItemScore.Validity.of(TextParser.parse(
                "a large red circle on the left and a small blue square on the right, white background"));
        assertThat(ok.scene()).hasValueSatisfying(s -> assertThat(s.sameAs(TWO)).isTrue());
    }

    @Test
    void purpleStarFixtureIsAValidScene() throws IOException {
        // Guards the fixture the descriptions are scored against.
        assertThat(SceneJson.parse(JSON.readTree(PURPLE_STAR)))
                .isEqualTo(Scene.of(PURPLE, new Shape(STAR, RED, LARGE, TOP)));
    }
}
