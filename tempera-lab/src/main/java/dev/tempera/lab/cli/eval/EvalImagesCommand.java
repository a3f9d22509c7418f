package dev.tempera.lab.cli.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.eval.Creativity;
import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ClipScore;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.align.LongTextPolicy;
import dev.tempera.eval.align.TextImageScore;
import dev.tempera.eval.image.ImageDiversity;
import dev.tempera.eval.image.ImageDiversityReport;
import dev.tempera.eval.image.MsSsim;
import dev.tempera.eval.image.MsSsimDiversity;
import dev.tempera.lab.cli.shapes.KindColourMatch;
import dev.tempera.shapes.AttributeScorer;
import dev.tempera.shapes.Description;
import dev.tempera.shapes.ImageCheck;
import dev.tempera.shapes.ImageChecker;
import dev.tempera.shapes.TextParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tempera eval images}: scores a folder of images made from one prompt (e.g. one per seed or guidance scale).
 *
 * <p>Steps, in order: the folder is listed (image files by extension, sorted by name; other files are skipped and
 * named), every image is read and the sizes checked (exit 2 before the model loads); CLIP embeds the images (once,
 * in batches) and the prompt; CLIPScore and the CLIP-embedding diversity are computed from those image embeddings,
 * MS-SSIM diversity from the pixels, and creativity from both, by {@code tempera-eval}; if the prompt names
 * Shapes-world shapes, the Shapes checker reads every image too.
 */
@Command(
        name = "images",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        header = "Score images made from one prompt: CLIPScore (MDA), CLIP and MS-SSIM diversity, creativity.",
        description = {"Score the images in a folder, all made from one prompt:",
            "  CLIPScore of each image against the prompt = modal alignment (MDA = CLIPScore / 2.5);",
            "  diversity: mean pairwise CLIP-embedding cosine distance, Vendi score of the CLIP embeddings, MS-SSIM"
                + " diversity (1 - mean pairwise MS-SSIM, in pixels; images must share one size);",
            "  creativity = mean MDA x Vendi, shown with both factors;",
            "  if the prompt names Shapes-world shapes: the Shapes checker's rates of images that satisfy the prompt"
                + " and whose shapes have the prompt's kinds and colours.",
            "Image files: .png, .jpg, .jpeg, .bmp, .gif, sorted by name; other files are skipped."
                + " Definitions: docs/METRICS.md."},
        footer = {"", "Examples:",
            "  tempera eval images --dir out/ --prompt \"a large red circle on a blue background\"",
            "  tempera eval images --dir sdxl-out/ --prompt \"a lighthouse at dusk\" --clip clip-vit-base-patch32/"
                + " --json"})
final class EvalImagesCommand implements Callable<Integer> {

    /** File name endings read as images (what ImageIO reads). */
    static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");
    /** Above this many images, stage messages go to stderr. */
    static final int PROGRESS_ABOVE = 32;
    /** Above this many pixels per image, too: MS-SSIM's pairs get slow. */
    static final long PROGRESS_PIXELS = 512L * 512;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", order = 0, description = "The folder of images.")
    Path dir;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", order = 1,
            description = "The prompt the images were made from.")
    String prompt;

    /** --clip (order 2) and --clip-prefix (order 3). */
    @Mixin ClipOptions.BeforePrompt clip;

    /** --json, last. */
    @Mixin JsonOutput output;

    /** One image of the folder. */
    private record Picture(Path file, BufferedImage image) {}

    /** The Shapes checker on one image: what it read, and the two tests against the prompt. */
    private record ShapesResult(ImageCheck check, boolean satisfied, boolean kindColour) {}

    @Override
    public Integer call() throws Exception {
        if (prompt.isBlank()) {
            throw Usage.error(spec, "--prompt must hold at least one non-blank character, but is: \"" + prompt + "\"");
        }
        List<Path> skipped = new ArrayList<>();
        List<Picture> pictures;
        Path clipDir;
        try {
            pictures = readFolder(skipped);
            clipDir = clip.folder("no CLIP model");
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, e.getMessage());
        }
        List<BufferedImage> images = pictures.stream().map(Picture::image).toList();
        BufferedImage first = images.get(0);
        Progress progress = new Progress(spec.commandLine().getErr(), "tempera eval images",
                images.size() > PROGRESS_ABOVE || (long) first.getWidth() * first.getHeight() > PROGRESS_PIXELS);

        ClipScores alignment;
        float[][] embeddings;
        try (ClipModel model = clip.open(clipDir)) {
            progress.stage("CLIPScore of " + images.size() + " images against the prompt, CLIP "
                    + BundledModels.shown(clipDir));
            embeddings = model.embedImages(images); // once: for CLIPScore and for the diversity below
            alignment = new ClipScore(model, clip.scoreOptions(LongTextPolicy.SENTENCE_MEAN))
                    .imageEmbeddingsAgainstPrompt(embeddings, prompt);
        }
        progress.stage("CLIP-embedding and MS-SSIM diversity of " + images.size() + " images ("
                + (long) images.size() * (images.size() - 1) / 2 + " pairs)");
        ImageDiversityReport diversity = ImageDiversity.fromEmbeddings(embeddings, MsSsimDiversity.of(images));
        Creativity creativity = Creativity.ofImages(alignment, diversity);

        Description parsed = TextParser.parse(prompt);
        boolean checkable = !parsed.shapes().isEmpty();
        if (checkable) {
            progress.stage("Shapes checker on " + images.size() + " images");
        }
        Optional<List<ShapesResult>> shapes = checkable
                ? Optional.of(images.stream().map(img -> shapes(parsed, img)).toList()) : Optional.empty();

        output.print(spec.commandLine().getOut(),
                () -> toJson(pictures, skipped, clipDir, alignment, diversity, creativity, parsed, shapes),
                o -> print(o, pictures, skipped, clipDir, alignment, diversity, creativity, parsed, shapes));
        return 0;
    }

    /** The image files of --dir, read, all of one size that MS-SSIM accepts; other files go to {@code skipped}. */
    private List<Picture> readFolder(List<Path> skipped) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--dir must be a directory of images, but is: " + dir + " ("
                    + (Files.exists(dir) ? "not a directory" : "no such directory") + ")");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--dir must be a readable directory, but listing " + dir + " failed: "
                    + e);
        }
        List<Path> imageFiles = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.startsWith(".")) {
                continue; // .DS_Store and friends
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (IMAGE_EXTENSIONS.stream().anyMatch(lower::endsWith)) {
                imageFiles.add(f);
            } else {
                skipped.add(f);
            }
        }
        if (imageFiles.isEmpty()) {
            throw new IllegalArgumentException("--dir must hold at least one image file (" + String.join(", ",
                    IMAGE_EXTENSIONS) + "), but " + dir + " holds " + (skipped.isEmpty() ? "none (it is empty)"
                    : "only: " + names(skipped)));
        }
        List<Picture> pictures = new ArrayList<>();
        for (Path f : imageFiles) {
            BufferedImage img;
            try {
                img = ClipModel.readImages(List.of(f)).get(0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--dir " + dir + ": " + e.getMessage(), e);
            }
            pictures.add(new Picture(f, img));
        }
        Picture first = pictures.get(0);
        int w = first.image().getWidth();
        int h = first.image().getHeight();
        if (Math.min(w, h) < MsSsim.WINDOW_SIZE) {
            throw new IllegalArgumentException("--dir " + dir + ": images must be at least " + MsSsim.WINDOW_SIZE + "x"
                    + MsSsim.WINDOW_SIZE + " pixels (MS-SSIM's window), but " + first.file().getFileName() + " is "
                    + w + "x" + h);
        }
        for (Picture p : pictures) {
            if (p.image().getWidth() != w || p.image().getHeight() != h) {
                throw new IllegalArgumentException("--dir " + dir + ": images must all have one size for MS-SSIM ("
                        + first.file().getFileName() + " is " + w + "x" + h + "), but " + p.file().getFileName()
                        + " is " + p.image().getWidth() + "x" + p.image().getHeight());
            }
        }
        return pictures;
    }

    /** The checker's reading of {@code image}; an image it cannot read as a scene (too small, too big) is unknown. */
    private static ShapesResult shapes(Description prompt, BufferedImage image) {
        ImageCheck check;
        try {
            check = ImageChecker.check(image);
        } catch (IllegalArgumentException e) {
            check = new ImageCheck(Optional.empty(), e.getMessage());
        }
        boolean satisfied = AttributeScorer.promptSatisfied(prompt, check);
        boolean kindColour = check.scene().map(s -> KindColourMatch.holds(prompt, s)).orElse(false);
        return new ShapesResult(check, satisfied, kindColour);
    }

    private static String names(List<Path> files) {
        List<String> names = files.stream().map(f -> f.getFileName().toString()).toList();
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
    }

    private static long count(List<ShapesResult> list, java.util.function.Predicate<ShapesResult> p) {
        return list.stream().filter(p).count();
    }

    // ---------------------------------------------------------------------------------------------- table

    private void print(PrintWriter o, List<Picture> pictures, List<Path> skipped, Path clipDir, ClipScores alignment,
                       ImageDiversityReport diversity, Creativity creativity, Description parsed,
                       Optional<List<ShapesResult>> shapes) {
        BufferedImage first = pictures.get(0).image();
        o.println("tempera eval images: " + pictures.size() + " image" + (pictures.size() == 1 ? "" : "s") + " ("
                + first.getWidth() + "x" + first.getHeight() + ") in " + dir
                + (skipped.isEmpty() ? "" : ", skipped " + skipped.size() + " other file"
                        + (skipped.size() == 1 ? "" : "s") + ": " + names(skipped)));
        o.println("prompt: " + prompt);
        o.println("CLIP: " + BundledModels.shown(clipDir));
        o.println();

        List<String> head = new ArrayList<>(List.of("image", "CLIPScore", "MDA"));
        if (shapes.isPresent()) {
            head.addAll(List.of("satisfied", "kindColour", "checker read"));
        }
        boolean[] left = new boolean[head.size()];
        if (shapes.isPresent()) {
            left[head.size() - 1] = true;
        }
        Table t = new Table(left);
        t.row(head.toArray(String[]::new));
        for (int i = 0; i < pictures.size(); i++) {
            TextImageScore s = alignment.pairs().get(i);
            List<String> cells = new ArrayList<>(List.of(pictures.get(i).file().getFileName().toString(),
                    Table.f3(s.score()), Table.f3(s.score() / alignment.weight())));
            if (shapes.isPresent()) {
                ShapesResult r = shapes.get().get(i);
                cells.addAll(List.of(r.satisfied() ? "yes" : "no", r.kindColour() ? "yes" : "no",
                        r.check().isKnown() ? r.check().scene().get().toString() : "unknown: " + r.check().reason()));
            }
            t.row(cells.toArray(String[]::new));
        }
        List<String> mean = new ArrayList<>(List.of("mean", Table.f3(alignment.mean()),
                Table.f3(alignment.meanAlignment())));
        if (shapes.isPresent()) {
            List<ShapesResult> list = shapes.get();
            mean.addAll(List.of(Table.f3((double) count(list, ShapesResult::satisfied) / list.size()),
                    Table.f3((double) count(list, ShapesResult::kindColour) / list.size()), ""));
        }
        t.row(mean.toArray(String[]::new));
        t.print(o);
        o.println();

        MsSsimDiversity pixel = diversity.pixel();
        Table s = new Table(true, false, true);
        s.row("set metric", "value", "");
        s.row("modal alignment: mean CLIPScore (2.5 * max(cos, 0))", Table.f3(alignment.mean()), "");
        s.row("modal alignment: MDA (CLIPScore / 2.5)", Table.f3(alignment.meanAlignment()), "");
        s.row("mean pairwise CLIP cosine distance", Table.f3(diversity.clipMeanCosineDistance()), "0 = all alike");
        s.row("Vendi, CLIP image embeddings", Table.f3(diversity.clipVendi()),
                "of " + diversity.images() + " (" + Table.f3(diversity.clipVendiPerImage()) + " per image)");
        // five scales need a shorter side over (window - 1) * 2^4 = 160 pixels; smaller images use fewer (MsSsim)
        String scales = pixel.scales() + (pixel.scales() == 1 ? " scale" : " scales")
                + (pixel.scales() < MsSsim.MAX_SCALES ? " (5 need a side over 160 px)" : "");
        s.row("MS-SSIM diversity (1 - mean MS-SSIM)", Table.f3(pixel.diversity()),
                scales + ", " + pixel.pairs() + (pixel.pairs() == 1 ? " pair" : " pairs"));
        s.row("creativity = MDA x Vendi", Table.f3(creativity.score()), "= " + Table.f3(creativity.meanAlignment())
                + " x " + Table.f3(creativity.vendi()) + "; " + Table.f3(creativity.perOutput()) + " per image");
        if (shapes.isPresent()) {
            List<ShapesResult> list = shapes.get();
            int n = list.size();
            s.row("Shapes: prompt satisfied", Table.f3((double) count(list, ShapesResult::satisfied) / n),
                    count(list, ShapesResult::satisfied) + " of " + n + "; the prompt states: " + parsed);
            s.row("Shapes: kinds and colours present", Table.f3((double) count(list, ShapesResult::kindColour) / n),
                    count(list, ShapesResult::kindColour) + " of " + n);
            s.row("Shapes: scene recognised", Table.f3((double) count(list, r -> r.check().isKnown()) / n),
                    count(list, r -> r.check().isKnown()) + " of " + n);
        }
        s.print(o);
        o.println();
        if (clip.bundled()) {
            o.println(ClipOptions.BUNDLED_NOTE + ".");
        }
        if (shapes.isEmpty()) {
            o.println("Shapes checker: skipped, the prompt names no Shapes-world shape.");
        }
        o.println("Definitions: docs/METRICS.md");
    }

    // ---------------------------------------------------------------------------------------------- JSON

    private ObjectNode toJson(List<Picture> pictures, List<Path> skipped, Path clipDir, ClipScores alignment,
                              ImageDiversityReport diversity, Creativity creativity, Description parsed,
                              Optional<List<ShapesResult>> shapes) {
        ObjectNode root = JsonOutput.object();
        root.put("dir", dir.toString());
        root.put("prompt", prompt);
        clip.putSettings(root, clipDir);
        ArrayNode skip = root.putArray("skipped");
        skipped.forEach(f -> skip.add(f.getFileName().toString()));
        ArrayNode list = root.putArray("images");
        for (int i = 0; i < pictures.size(); i++) {
            ObjectNode n = list.addObject();
            Picture p = pictures.get(i);
            TextImageScore s = alignment.pairs().get(i);
            n.put("file", p.file().getFileName().toString());
            n.put("width", p.image().getWidth());
            n.put("height", p.image().getHeight());
            n.put("clipScore", s.score());
            n.put("mda", s.score() / alignment.weight());
            if (shapes.isPresent()) {
                ShapesResult r = shapes.get().get(i);
                ObjectNode o = n.putObject("shapes");
                o.put("known", r.check().isKnown());
                o.put("reason", r.check().reason());
                o.put("read", r.check().scene().map(Object::toString).orElse(null));
                o.put("satisfied", r.satisfied());
                o.put("kindColour", r.kindColour());
            }
        }
        root.put("clipScore", alignment.mean());
        root.put("mda", alignment.meanAlignment());
        root.put("clipMeanCosineDistance", diversity.clipMeanCosineDistance());
        root.put("clipVendi", diversity.clipVendi());
        root.put("clipVendiPerImage", diversity.clipVendiPerImage());
        ObjectNode ms = root.putObject("msSsim");
        ms.put("diversity", diversity.pixel().diversity());
        ms.put("meanSimilarity", diversity.pixel().meanSimilarity());
        ms.put("scales", diversity.pixel().scales());
        ms.put("pairs", diversity.pixel().pairs());
        root.set("creativity", JsonOutput.creativity(creativity));
        if (shapes.isPresent()) {
            List<ShapesResult> l = shapes.get();
            int n = l.size();
            ObjectNode o = root.putObject("shapes");
            o.put("promptStates", parsed.toString());
            o.put("satisfiedRate", (double) count(l, ShapesResult::satisfied) / n);
            o.put("kindColourRate", (double) count(l, ShapesResult::kindColour) / n);
            o.put("knownRate", (double) count(l, r -> r.check().isKnown()) / n);
        } else {
            root.putNull("shapes");
        }
        return root;
    }
}
