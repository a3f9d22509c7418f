package dev.tempera.lab.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempera.shapes.Renderer;
import dev.tempera.shapes.SceneSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code tempera eval} exits 2, prints nothing on stdout, and says on stderr which input is wrong, what
 * it must be and what it is. Inputs tried:
 * <ul>
 *   <li>eval text --in: a missing file, a directory, an empty file, a file of blank lines, a malformed JSON line, a
 *       line that is not an object, an unknown key ("txt"), a line without "text", a non-string "text", a non-string
 *       "group", a "config" that is a list;</li>
 *   <li>eval text options: --image missing, --image that is not an image, --scene that is not JSON, --scene with an
 *       unknown colour, --references empty, --references with a blank text, --df without --references, --df that is
 *       not a table, --clip without --image, --clip folder without a CLIP, --embedder with --no-embeddings,
 *       --embedder folder without a model, --mattr-window 0, --long-text unknown;</li>
 *   <li>eval images: --dir missing, --dir that is a file, an empty directory, a directory without images (a .txt
 *       only), a non-image file named .png, images of two sizes, images smaller than MS-SSIM's 11-pixel window, a
 *       blank --prompt, a --clip folder without a CLIP.</li>
 * </ul>
 */
class EvalUsageErrorsTest {

    @TempDir Path dir;

    private static void assertUsageError(TestFiles.Run r, String... messageParts) {
        assertThat(r.code()).as("exit code; stderr: " + r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tempera: ").contains(messageParts);
    }

    private TestFiles.Run text(Path in, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "eval";
        args[1] = "text";
        args[2] = "--in";
        args[3] = in.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return TestFiles.run(args);
    }

    private Path outputs(String... lines) throws IOException {
        return TestFiles.write(dir.resolve("outputs.jsonl"), lines);
    }

    private Path good() throws IOException {
        return outputs("{\"text\": \"a red circle\"}");
    }

    // ------------------------------------------------------------------------------------ eval text --in

    @Test
    void missingOutputsFile() {
        Path in = dir.resolve("nope.jsonl");
        assertUsageError(text(in, "--no-embeddings"),
                "--in must be an existing, readable JSONL file, but is: " + in + " (no such file)");
    }

    @Test
    void outputsFileIsADirectory() {
        assertUsageError(text(dir, "--no-embeddings"), "--in must be an existing, readable JSONL file", "(a directory)");
    }

    @Test
    void emptyOutputsFile() throws IOException {
        Path in = Files.createFile(dir.resolve("empty.jsonl"));
        assertUsageError(text(in, "--no-embeddings"),
                "--in must hold at least one output line {\"text\": \"...\"}, but " + in + " has no lines (empty file)");
    }

    @Test
    void blankLinesOnly() throws IOException {
        assertUsageError(text(outputs("", "   "), "--no-embeddings"), "has only blank lines");
    }

    @Test
    void malformedLine() throws IOException {
        Path in = outputs("{\"text\": \"fine\"}", "{\"text\": \"cut short\"");
        assertUsageError(text(in, "--no-embeddings"), "--in " + in + " line 2: not valid JSON");
    }

    @Test
    void lineThatIsNotAnObject() throws IOException {
        assertUsageError(text(outputs("[\"a red circle\"]"), "--no-embeddings"),
                "line 1: must be a JSON object {\"text\": \"...\", \"group\": \"...\"}, but is: [\"a red circle\"]");
    }

    @Test
    void unknownKey() throws IOException {
        assertUsageError(text(outputs("{\"txt\": \"a red circle\"}"), "--no-embeddings"),
                "line 1: unknown key \"txt\"; the keys are [text, group, config]");
    }

    @Test
    void lineWithoutText() throws IOException {
        assertUsageError(text(outputs("{\"group\": \"a\"}"), "--no-embeddings"), "line 1: \"text\" is missing");
    }

    @Test
    void textThatIsNotAString() throws IOException {
        assertUsageError(text(outputs("{\"text\": 42}"), "--no-embeddings"), "line 1: \"text\" must be a string, but is: 42");
    }

    @Test
    void groupThatIsNotAString() throws IOException {
        assertUsageError(text(outputs("{\"text\": \"a\", \"group\": 7}"), "--no-embeddings"),
                "line 1: \"group\" must be a non-blank string, but is: 7");
    }

    @Test
    void configThatIsAList() throws IOException {
        assertUsageError(text(outputs("{\"text\": \"a\", \"config\": [0.7, 0.9]}"), "--no-embeddings"),
                "line 1: \"config\" must be a non-blank string or a non-empty object", "but is: [0.7,0.9]");
    }

    // ------------------------------------------------------------------------------------ eval text options

    @Test
    void missingImage() throws IOException {
        Path image = dir.resolve("none.png");
        assertUsageError(text(good(), "--no-embeddings", "--image", image.toString()),
                "--image must be an existing, readable image file (PNG, JPEG, BMP, GIF), but is: " + image + " (no such file)");
    }

    @Test
    void imageThatIsNotAnImage() throws IOException {
        Path image = TestFiles.write(dir.resolve("fake.png"), "not a png");
        assertUsageError(text(good(), "--no-embeddings", "--image", image.toString()),
                "--image: image file must be PNG, JPEG, BMP or GIF, but", "is in no format ImageIO reads");
    }

    @Test
    void sceneThatIsNotJson() throws IOException {
        Path scene = TestFiles.write(dir.resolve("scene.json"), "{\"background\": ");
        assertUsageError(text(good(), "--no-embeddings", "--scene", scene.toString()),
                "--scene " + scene + " is not valid JSON");
    }

    @Test
    void sceneWithAnUnknownColour() throws IOException {
        Path scene = TestFiles.write(dir.resolve("scene.json"), "{\"background\": \"plaid\", \"shapes\": []}");
        assertUsageError(text(good(), "--no-embeddings", "--scene", scene.toString()),
                "--scene " + scene + ": \"scene.background\"", "plaid");
    }

    @Test
    void emptyReferences() throws IOException {
        Path refs = Files.createFile(dir.resolve("refs.jsonl"));
        assertUsageError(text(good(), "--no-embeddings", "--references", refs.toString()),
                "--references must hold at least one reference line", "has no lines (empty file)");
    }

    @Test
    void blankReference() throws IOException {
        Path refs = TestFiles.write(dir.resolve("refs.jsonl"), "{\"text\": \"  \"}");
        assertUsageError(text(good(), "--no-embeddings", "--references", refs.toString()),
                "--references " + refs + " line 1: \"text\" must be a non-blank string, but is: \"  \"");
    }

    @Test
    void dfWithoutReferences() throws IOException {
        assertUsageError(text(good(), "--no-embeddings", "--df", "df.tsv"),
                "--df needs --references (CIDEr-D compares outputs with reference captions), but --df is: df.tsv");
    }

    @Test
    void dfThatIsNotATable() throws IOException {
        Path refs = TestFiles.write(dir.resolve("refs.jsonl"), "{\"text\": \"a red circle\"}");
        Path df = TestFiles.write(dir.resolve("df.tsv"), "a\t1");
        assertUsageError(text(good(), "--no-embeddings", "--references", refs.toString(), "--df", df.toString()),
                "--df: document-frequency file " + df + " must start with '#documents<TAB>N'");
    }

    @Test
    void clipWithoutImage() throws IOException {
        assertUsageError(text(good(), "--no-embeddings", "--clip", "models/shapes-clip"),
                "--clip needs --image (CLIP scores the outputs against an image), but --clip is: models/shapes-clip");
    }

    @Test
    void clipFolderWithoutAClip() throws IOException {
        Path image = dir.resolve("x.png");
        ImageIO.write(Renderer.render(SceneSampler.sample(1, 0)), "png", image.toFile());
        Path notClip = Files.createDirectory(dir.resolve("empty-model"));
        assertUsageError(text(good(), "--no-embeddings", "--image", image.toString(), "--clip", notClip.toString()),
                "--clip must be a CLIP model folder holding onnx/text_model.onnx", "but " + notClip + " holds neither");
    }

    @Test
    void embedderWithNoEmbeddings() throws IOException {
        assertUsageError(text(good(), "--no-embeddings", "--embedder", "minilm/"),
                "--embedder and --no-embeddings exclude each other");
    }

    @Test
    void embedderFolderWithoutAModel() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("embedder"));
        assertUsageError(text(good(), "--embedder", folder.toString()),
                "--embedder: embedding model folder", "must hold model.onnx or onnx/model.onnx, but holds neither");
    }

    @Test
    void mattrWindowZero() throws IOException {
        assertUsageError(text(good(), "--no-embeddings", "--mattr-window", "0"), "--mattr-window must be >= 1 (words), but is: 0");
    }

    @Test
    void unknownLongTextPolicy() throws IOException {
        assertUsageError(text(good(), "--no-embeddings", "--long-text", "chop"),
                "--long-text must be one of [sentence-mean, truncate], but is: chop");
    }

    // ------------------------------------------------------------------------------------ eval images

    private TestFiles.Run images(Path folder, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"eval", "images", "--dir", folder.toString(), "--prompt", "a red circle"}, 0,
                args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        return TestFiles.run(args);
    }

    private void png(String name, int size) throws IOException {
        ImageIO.write(Renderer.render(SceneSampler.sample(7, name.hashCode()), size), "png", dir.resolve(name).toFile());
    }

    @Test
    void missingDirectory() {
        Path folder = dir.resolve("out");
        assertUsageError(images(folder), "--dir must be a directory of images, but is: " + folder + " (no such directory)");
    }

    @Test
    void directoryThatIsAFile() throws IOException {
        Path file = TestFiles.write(dir.resolve("a.txt"), "x");
        assertUsageError(images(file), "--dir must be a directory of images, but is: " + file + " (not a directory)");
    }

    @Test
    void emptyDirectory() {
        assertUsageError(images(dir), "--dir must hold at least one image file (.png, .jpg, .jpeg, .bmp, .gif), but "
                + dir + " holds none (it is empty)");
    }

    @Test
    void directoryWithoutImages() throws IOException {
        TestFiles.write(dir.resolve("notes.txt"), "seeds 1-4");
        assertUsageError(images(dir), "--dir must hold at least one image file", "holds only: notes.txt");
    }

    @Test
    void nonImageFileWithAnImageName() throws IOException {
        png("a.png", 64);
        Path fake = TestFiles.write(dir.resolve("b.png"), "not a png");
        assertUsageError(images(dir), "--dir " + dir + ": image file must be PNG, JPEG, BMP or GIF, but " + fake
                + " is in no format ImageIO reads");
    }

    @Test
    void imagesOfTwoSizes() throws IOException {
        png("a.png", 64);
        png("b.png", 32);
        assertUsageError(images(dir), "images must all have one size for MS-SSIM (a.png is 64x64), but b.png is 32x32");
    }

    @Test
    void imagesSmallerThanTheMsSsimWindow() throws IOException {
        ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "png",
                dir.resolve("tiny.png").toFile());
        assertUsageError(images(dir), "images must be at least 11x11 pixels (MS-SSIM's window), but tiny.png is 8x8");
    }

    @Test
    void blankPrompt() throws IOException {
        png("a.png", 64);
        assertUsageError(TestFiles.run("eval", "images", "--dir", dir.toString(), "--prompt", " "),
                "--prompt must hold at least one non-blank character, but is: \" \"");
    }

    @Test
    void imagesClipFolderWithoutAClip() throws IOException {
        png("a.png", 64);
        Path notClip = Files.createDirectory(dir.resolve("model"));
        assertUsageError(images(dir, "--clip", notClip.toString()), "--clip must be a CLIP model folder",
                notClip + " holds neither");
    }
}
