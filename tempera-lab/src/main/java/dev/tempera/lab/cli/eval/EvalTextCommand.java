package dev.tempera.lab.cli.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.eval.align.ClipModel;
import dev.tempera.eval.align.ClipScore;
import dev.tempera.eval.align.ClipScoreOptions;
import dev.tempera.eval.align.ClipScores;
import dev.tempera.eval.align.LongTextPolicy;
import dev.tempera.eval.align.TextImageScore;
import dev.tempera.eval.diversity.SemanticDiversity;
import dev.tempera.eval.embed.Embedder;
import dev.tempera.eval.embed.OnnxSentenceEmbedder;
import dev.tempera.eval.fidelity.FidelityScore;
import dev.tempera.eval.fidelity.FidelitySummary;
import dev.tempera.eval.reference.DocumentFrequencies;
import dev.tempera.eval.text.DistinctN;
import dev.tempera.eval.text.DistinctNormalisation;
import dev.tempera.eval.text.LexicalDiversity;
import dev.tempera.eval.text.TextDiversityOptions;
import dev.tempera.eval.text.TextDiversityReport;
import dev.tempera.lab.cli.eval.TextEvaluation.Item;
import dev.tempera.lab.cli.eval.TextEvaluation.ReferenceMetrics;
import dev.tempera.lab.cli.eval.TextEvaluation.SetResult;
import dev.tempera.shapes.Scene;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tempera eval text}: scores a set of text outputs for one input — the seed's VLM descriptions of one image
 * under several sampling configurations — per group and over all outputs.
 *
 * <p>Steps, in order: options and every input file are checked (exit 2 before any model loads); the outputs are
 * embedded once with the sentence embedder and scored once against the image with CLIP, both in batches; then each
 * set is scored by {@link TextEvaluation} and printed as a table (rows: metrics, columns: sets) or as JSON.
 */
@Command(
        name = "text",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        sortOptions = false,
        header = "Score text outputs for one input: lexical and semantic diversity, MDA, detail fidelity, caption metrics, creativity.",
        description = {"Score a set of text outputs for one input (e.g. a VLM's descriptions of one image under several"
                + " sampling configurations), per group and over all outputs:",
            "  lexical diversity: the seed's calculate_diversity exactly, the same over ICU words (Chinese segmented),"
                + " distinct-1..4, self-BLEU-3, n-gram entropy, MATTR, MTLD, zlib compression ratio, mean length;",
            "  semantic diversity: mean pairwise cosine distance and Vendi score of all-MiniLM-L6-v2 embeddings;",
            "  with --image: CLIPScore of each output against the image = modal alignment (MDA), and creativity ="
                + " MDA x Vendi, shown with both factors;",
            "  with --scene (the Shapes-world truth): detail fidelity (attribute precision / recall / F1) and CHAIR;",
            "  with --references: coco-caption BLEU-4, ROUGE-L and (with --df) CIDEr-D.",
            "Each line of --in is {\"text\": \"...\"} with an optional \"group\" (a string) or \"config\" (a string, or"
                + " an object such as {\"temperature\": 0.7, \"top_p\": 0.9, \"name\": \"...\"}: its name, else its"
                + " fields) naming the set it belongs to. Definitions: docs/METRICS.md."},
        footer = {"", "Examples:",
            "  tempera eval text --in outputs.jsonl",
            "  tempera eval text --in outputs.jsonl --image photo.png --clip clip-vit-base-patch32/",
            "  tempera eval text --in outputs.jsonl --image x.png --scene scene.json --references refs.jsonl --json",
            "", "An outputs.jsonl (the seed's four configurations):",
            "  {\"config\": {\"temperature\": 0.1, \"top_p\": 0.9, \"name\": \"低温度,高 Top-P\"}, \"text\": \"A red circle"
                + " on a blue background.\"}",
            "  {\"config\": {\"temperature\": 1.2, \"top_p\": 0.9, \"name\": \"高温度,高 Top-P\"}, \"text\": \"蓝色背景上有一个"
                + "红色圆形。\"}",
            "A refs.jsonl: one {\"text\": \"...\"} per reference caption of the image."})
final class EvalTextCommand implements Callable<Integer> {

    /** Above this many outputs, stage messages go to stderr. */
    static final int PROGRESS_ABOVE = 100;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "JSONL", order = 0,
            description = "The outputs, one JSON object a line.")
    Path in;

    @Option(names = "--image", paramLabel = "IMAGE", order = 1,
            description = "The image the outputs describe (PNG, JPEG, BMP, GIF): adds CLIPScore / MDA and creativity.")
    Path image;

    /** --clip (order 2) and --clip-prefix (order 3). */
    @Mixin ClipOptions.BeforeOutputs clip;

    @Option(names = "--long-text", paramLabel = "POLICY", order = 4, defaultValue = "sentence-mean",
            description = "Outputs over CLIP's 77 tokens: sentence-mean (score each sentence, average) or truncate"
                    + " (the reference's).")
    String longText;

    @Option(names = "--scene", paramLabel = "JSON", order = 5,
            description = "The Shapes-world truth of the image: {\"background\": ..., \"shapes\": [...]} or a"
                    + " scenes.jsonl line; adds detail fidelity and CHAIR.")
    Path scene;

    @Option(names = "--references", paramLabel = "JSONL", order = 6,
            description = "Reference captions of the image, {\"text\": \"...\"} a line: adds BLEU-4, ROUGE-L, CIDEr-D.")
    Path references;

    @Option(names = "--df", paramLabel = "FILE", order = 7,
            description = "CIDEr-D's fixed document-frequency table (DocumentFrequencies format). Without it CIDEr-D"
                    + " is not shown: document frequencies from one image's references make every score 0.")
    Path df;

    @Option(names = "--no-embeddings", order = 8, description = "Skip semantic diversity (and so creativity).")
    boolean noEmbeddings;

    @Option(names = "--embedder", paramLabel = "DIR", order = 9,
            description = "A sentence-transformers ONNX export (model.onnx + tokenizer.json) instead of the bundled"
                    + " all-MiniLM-L6-v2, which is English-only.")
    Path embedder;

    @Option(names = "--mattr-window", paramLabel = "WORDS", order = 10, defaultValue = "50",
            description = "MATTR's window; texts this short or shorter get their plain type-token ratio.")
    int mattrWindow;

    /** --json, last. */
    @Mixin JsonOutput output;

    @Override
    public Integer call() throws Exception {
        LongTextPolicy policy = checkOptions();
        TextDiversityOptions options = TextDiversityOptions.defaults().withMattrWindow(mattrWindow);

        List<Inputs.Output> outputs;
        Optional<List<String>> refs;
        Optional<Scene> truth;
        Optional<DocumentFrequencies> table;
        Optional<BufferedImage> picture;
        Optional<Path> clipDir;
        try {
            outputs = Inputs.outputs("--in", in);
            refs = references == null ? Optional.empty() : Optional.of(Inputs.references("--references", references));
            truth = scene == null ? Optional.empty() : Optional.of(Inputs.scene("--scene", scene));
            table = df == null ? Optional.empty() : Optional.of(readDf());
            picture = image == null ? Optional.empty() : Optional.of(readImage());
            clipDir = image == null ? Optional.empty()
                    : Optional.of(clip.folder("--image needs a CLIP model"));
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, e.getMessage());
        }
        List<String> texts = outputs.stream().map(Inputs.Output::text).toList();
        Progress progress = new Progress(spec.commandLine().getErr(), "tempera eval text",
                outputs.size() > PROGRESS_ABOVE);

        Optional<TextEvaluation.Embeddings> embeddings = noEmbeddings ? Optional.empty()
                : Optional.of(embed(texts, progress));
        Optional<ClipScores> alignment = Optional.empty();
        if (picture.isPresent()) {
            progress.stage("scoring " + texts.size() + " outputs against " + image + " with CLIP "
                    + BundledModels.shown(clipDir.get()));
            try (ClipModel model = clip.open(clipDir.get())) {
                alignment = Optional.of(new ClipScore(model, clip.scoreOptions(policy))
                        .descriptionsAgainstImage(picture.get(), texts));
            }
        }
        progress.stage("computing the metrics");
        TextEvaluation.Result result = TextEvaluation.evaluate(outputs,
                new TextEvaluation.Setup(options, embeddings, alignment, truth, refs, table));

        output.print(spec.commandLine().getOut(), () -> toJson(result, options, embeddings, clipDir, refs),
                o -> printTables(o, result, options, embeddings, clipDir, refs));
        return 0;
    }

    /** Option combinations and ranges, checked before any file is read. */
    private LongTextPolicy checkOptions() {
        if (noEmbeddings && embedder != null) {
            throw Usage.error(spec, "--embedder and --no-embeddings exclude each other, but both are given");
        }
        if (image == null) {
            for (String[] o : new String[][] {{"--clip", clip.bundled() ? null : clip.dir.toString()},
                    {"--clip-prefix", clip.prefix().isEmpty() ? null : clip.prefix()}}) {
                if (o[1] != null) {
                    throw Usage.error(spec, o[0] + " needs --image (CLIP scores the outputs against an image), but "
                            + o[0] + " is: " + o[1] + " and there is no --image");
                }
            }
        }
        if (df != null && references == null) {
            throw Usage.error(spec, "--df needs --references (CIDEr-D compares outputs with reference captions), but "
                    + "--df is: " + df + " and there is no --references");
        }
        if (mattrWindow < 1) {
            throw Usage.error(spec, "--mattr-window must be >= 1 (words), but is: " + mattrWindow);
        }
        return switch (longText) {
            case "sentence-mean" -> LongTextPolicy.SENTENCE_MEAN;
            case "truncate" -> LongTextPolicy.TRUNCATE;
            default -> throw Usage.error(spec, "--long-text must be one of [sentence-mean, truncate], but is: "
                    + longText);
        };
    }

    private DocumentFrequencies readDf() {
        Inputs.requireFile("--df", df, "document-frequency file");
        try {
            return DocumentFrequencies.read(df);
        } catch (IOException e) {
            throw new IllegalArgumentException("--df must be a readable UTF-8 document-frequency file, but reading "
                    + df + " failed: " + e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--df: " + e.getMessage(), e);
        }
    }

    private BufferedImage readImage() {
        Inputs.requireFile("--image", image, "image file (PNG, JPEG, BMP, GIF)");
        try {
            return ClipModel.readImages(List.of(image)).get(0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--image: " + e.getMessage(), e);
        }
    }

    private TextEvaluation.Embeddings embed(List<String> texts, Progress progress) {
        progress.stage("embedding " + texts.size() + " outputs");
        try (Embedder e = openEmbedder()) {
            return new TextEvaluation.Embeddings(e.name(), e.embed(texts));
        }
    }

    private Embedder openEmbedder() {
        if (embedder == null) {
            return OnnxSentenceEmbedder.allMiniLmL6V2();
        }
        try {
            return OnnxSentenceEmbedder.fromFolder(embedder);
        } catch (IllegalArgumentException e) {
            throw Usage.error(spec, "--embedder: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------- table

    private void printTables(PrintWriter o, TextEvaluation.Result r, TextDiversityOptions options,
                             Optional<TextEvaluation.Embeddings> embeddings, Optional<Path> clipDir,
                             Optional<List<String>> refs) {
        List<SetResult> sets = new ArrayList<>(r.groups());
        sets.add(r.overall());
        List<String> names = new ArrayList<>();
        for (SetResult s : r.groups()) {
            names.add(s.name());
        }
        names.add(names.contains("all") ? "(all)" : "all");

        o.println("tempera eval text: " + r.items().size() + " output" + (r.items().size() == 1 ? "" : "s")
                + (r.groups().isEmpty() ? "" : " in " + r.groups().size() + " group"
                        + (r.groups().size() == 1 ? "" : "s"))
                + " from " + in);
        o.println();
        o.println("The seed's calculate_diversity (words: desc.lower().split()), as Python prints its result:");
        Table seed = new Table(true, true);
        for (int i = 0; i < sets.size(); i++) {
            LexicalDiversity d = sets.get(i).text().seed();
            seed.row("  " + names.get(i), PyRepr.seedDict(d.lexicalDiversity(), d.uniqueWords(), d.totalWords()));
        }
        seed.print(o);
        o.println();

        Table t = new Table();
        List<String> head = new ArrayList<>(List.of("metric"));
        head.addAll(names);
        t.row(head.toArray(String[]::new));
        row(t, "outputs", sets, s -> String.valueOf(s.text().outputs()));
        t.section("-- lexical diversity, ICU words (NFKC case-folded, punctuation dropped, Chinese segmented) --");
        row(t, "lexical diversity (unique / total)", sets, s -> Table.f3(s.text().unicode().lexicalDiversity()));
        row(t, "unique words", sets, s -> String.valueOf(s.text().unicode().uniqueWords()));
        row(t, "total words", sets, s -> String.valueOf(s.text().unicode().totalWords()));
        for (int n = 1; n <= options.maxN(); n++) {
            int k = n - 1;
            row(t, "distinct-" + n + (n == 1 ? " (distinct / all n-grams)" : ""), sets,
                    s -> Table.f3(s.text().distinct().get(k).value()));
        }
        row(t, "self-BLEU-" + options.selfBleuGram() + " (similarity: higher = less diverse)", sets,
                s -> Table.f3(s.text().selfBleu()));
        for (int n = 1; n <= options.maxN(); n++) {
            int k = n - 1;
            row(t, "Ent-" + n + " (nats)", sets, s -> Table.f3(s.text().entropy().get(k)));
        }
        row(t, "MATTR (window " + options.mattrWindow() + ", mean)", sets, s -> Table.f3(s.text().meanMattr()));
        row(t, "MTLD (threshold " + options.mtldThreshold() + ", mean)", sets, s -> Table.f2(s.text().meanMtld()));
        row(t, "zlib compression ratio (higher = more repetitive)", sets,
                s -> Table.f3(s.text().compression().ratio()));
        row(t, "mean words", sets, s -> Table.f2(s.text().meanWords()));
        row(t, "mean characters", sets, s -> Table.f2(s.text().meanCharacters()));

        if (embeddings.isPresent()) {
            t.section("-- semantic diversity, " + embeddings.get().name() + " --");
            row(t, "mean pairwise cosine distance", sets,
                    s -> Table.f3(s.semantic().orElseThrow().meanCosineDistance()));
            row(t, "Vendi (effective number of outputs, 1..K)", sets,
                    s -> Table.f3(s.semantic().orElseThrow().vendi()));
        }
        if (clipDir.isPresent()) {
            t.section("-- modal alignment (MDA): CLIPScore against " + image + ", CLIP "
                    + BundledModels.shown(clipDir.get()) + " --");
            row(t, "CLIPScore (2.5 * max(cos, 0), mean)", sets, s -> Table.f3(s.alignment().orElseThrow().mean()));
            row(t, "MDA (CLIPScore / 2.5)", sets, s -> Table.f3(s.alignment().orElseThrow().meanAlignment()));
        }
        if (scene != null) {
            t.section("-- detail fidelity (DF) against " + scene + " --");
            row(t, "DF: attribute F1 (mean over outputs)", sets, s -> Table.f3(s.fidelity().orElseThrow().meanF1()));
            row(t, "attribute precision (mean)", sets, s -> Table.f3(s.fidelity().orElseThrow().meanPrecision()));
            row(t, "attribute recall (mean)", sets, s -> Table.f3(s.fidelity().orElseThrow().meanRecall()));
            row(t, "attribute hallucination (false / stated)", sets,
                    s -> Table.f3(s.fidelity().orElseThrow().hallucinationRate()));
            row(t, "CHAIR_i (hallucinated / object mentions)", sets,
                    s -> Table.f3(s.fidelity().orElseThrow().chair().chairI()));
            row(t, "CHAIR_s (outputs with a hallucinated object)", sets,
                    s -> Table.f3(s.fidelity().orElseThrow().chair().chairS()));
        }
        if (refs.isPresent()) {
            t.section("-- against " + refs.get().size() + " reference caption" + (refs.get().size() == 1 ? "" : "s")
                    + " from " + references + " (coco-caption definitions, ICU words) --");
            row(t, "BLEU-4 (corpus)", sets, s -> Table.f3(s.references().orElseThrow().bleu4()));
            row(t, "ROUGE-L (beta 1.2, mean)", sets, s -> Table.f3(s.references().orElseThrow().rougeL()));
            row(t, "CIDEr-D (mean)" + (df == null ? ": needs --df" : ""), sets,
                    s -> Table.f3(s.references().orElseThrow().ciderD()));
        }
        if (embeddings.isPresent() && clipDir.isPresent()) {
            t.section("-- creativity = MDA x Vendi, with its two factors --");
            row(t, "creativity (0..K)", sets, s -> Table.f3(s.creativity().orElseThrow().score()));
            row(t, "  factor: MDA (mean)", sets, s -> Table.f3(s.creativity().orElseThrow().meanAlignment()));
            row(t, "  factor: Vendi", sets, s -> Table.f3(s.creativity().orElseThrow().vendi()));
            row(t, "creativity / K (0..1)", sets, s -> Table.f3(s.creativity().orElseThrow().perOutput()));
        }
        t.print(o);

        if (clipDir.isPresent() || scene != null || refs.isPresent()) {
            o.println();
            printItems(o, r);
        }
        o.println();
        notes(o, r, embeddings, clipDir);
    }

    private static void row(Table t, String label, List<SetResult> sets, Function<SetResult, String> cell) {
        List<String> cells = new ArrayList<>(List.of(label));
        for (SetResult s : sets) {
            cells.add(cell.apply(s));
        }
        t.row(cells.toArray(String[]::new));
    }

    private void printItems(PrintWriter o, TextEvaluation.Result r) {
        boolean grouped = !r.groups().isEmpty();
        boolean clipped = r.items().get(0).alignment().isPresent();
        boolean faithful = r.items().get(0).fidelity().isPresent();
        boolean referenced = r.items().get(0).references().isPresent();
        List<String> head = new ArrayList<>(List.of("line"));
        if (grouped) {
            head.add("group");
        }
        head.add("words");
        if (clipped) {
            head.addAll(List.of("CLIPScore", "MDA"));
        }
        if (faithful) {
            head.addAll(List.of("DF F1", "P", "R", "CHAIR_i"));
        }
        if (referenced) {
            head.addAll(List.of("BLEU-4", "ROUGE-L", "CIDEr-D"));
        }
        head.add("text");
        boolean[] left = new boolean[head.size()];
        left[0] = true; // the line number reads better next to the margin
        if (grouped) {
            left[1] = true;
        }
        left[head.size() - 1] = true;
        Table t = new Table(left);
        t.row(head.toArray(String[]::new));
        for (Item item : r.items()) {
            List<String> cells = new ArrayList<>(List.of(String.valueOf(item.output().line())));
            if (grouped) {
                cells.add(item.output().group().orElse(Table.NONE));
            }
            cells.add(String.valueOf(item.words()));
            if (clipped) {
                TextImageScore s = item.alignment().orElseThrow();
                cells.add(Table.f3(s.score()) + (s.truncated() ? "*" : ""));
                cells.add(Table.f3(s.score() / ClipScoreOptions.HESSEL_WEIGHT));
            }
            if (faithful) {
                FidelityScore f = item.fidelity().orElseThrow();
                cells.addAll(List.of(Table.f3(f.f1()), Table.f3(f.precision()), Table.f3(f.recall()),
                        Table.f3(f.chairI())));
            }
            if (referenced) {
                ReferenceMetrics m = item.references().orElseThrow();
                cells.addAll(List.of(Table.f3(m.bleu4()), Table.f3(m.rougeL()), Table.f3(m.ciderD())));
            }
            cells.add(Table.clip(item.output().text(), 48));
            t.row(cells.toArray(String[]::new));
        }
        o.println("Per output:");
        t.print(o);
    }

    private void notes(PrintWriter o, TextEvaluation.Result r, Optional<TextEvaluation.Embeddings> embeddings,
                       Optional<Path> clipDir) {
        List<String> notes = new ArrayList<>();
        notes.add("distinct-n: distinct n-grams / all n-grams of the set (Tevet & Berant 2021); self-BLEU: Texygen,"
                + " NLTK smoothing method1; MTLD is unstable below ~100 words. Definitions: docs/METRICS.md");
        if (embeddings.isEmpty()) {
            notes.add("semantic diversity and creativity: skipped (--no-embeddings)");
        } else if (embedder == null && r.items().stream().anyMatch(i -> hasHan(i.output().text()))) {
            notes.add("all-MiniLM-L6-v2 was trained on English: for Chinese outputs pass --embedder with a"
                    + " multilingual model");
        }
        if (clipDir.isEmpty()) {
            notes.add("modal alignment (MDA) and creativity: need --image");
        } else {
            if (clip.bundled()) {
                notes.add(ClipOptions.BUNDLED_NOTE);
            }
            if (r.overall().alignment().orElseThrow().truncatedPairs() > 0) {
                notes.add("*: longer than CLIP's 77 tokens, scored as " + (longText.equals("truncate")
                        ? "its first 75 tokens" : "the mean over its sentences") + " (--long-text)");
            }
        }
        if (scene == null) {
            notes.add("detail fidelity (DF) and CHAIR: need --scene (the Shapes-world truth of the image)");
        }
        if (references != null && df == null) {
            notes.add("CIDEr-D: needs --df, a fixed document-frequency table (per-batch frequencies score one image"
                    + " 0)");
        }
        for (String n : notes) {
            o.println(n);
        }
    }

    private static boolean hasHan(String s) {
        return s.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    // ---------------------------------------------------------------------------------------------- JSON

    private ObjectNode toJson(TextEvaluation.Result r, TextDiversityOptions options,
                              Optional<TextEvaluation.Embeddings> embeddings, Optional<Path> clipDir,
                              Optional<List<String>> refs) {
        ObjectNode root = JsonOutput.object();
        root.put("in", in.toString());
        root.put("outputs", r.items().size());
        ObjectNode settings = root.putObject("settings");
        settings.put("words", "ICU words: NFKC case-folded, UAX #29 word breaks with ICU's Chinese dictionary,"
                + " non-word segments dropped (the seed's metric: lower-cased whitespace split)");
        settings.put("distinctNormalisation", DistinctNormalisation.PER_NGRAM.name());
        settings.put("selfBleuGram", options.selfBleuGram());
        settings.put("mattrWindow", options.mattrWindow());
        settings.put("mtldThreshold", options.mtldThreshold());
        settings.put("entropyUnit", "nats");
        if (embeddings.isPresent()) {
            settings.put("embedder", embeddings.get().name());
        } else {
            settings.putNull("embedder");
        }
        if (clipDir.isPresent()) {
            settings.put("image", image.toString());
            clip.putSettings(settings, clipDir.get());
            settings.put("longText", longText);
        } else {
            settings.putNull("image");
            settings.putNull("clip");
        }
        putPath(settings, "scene", scene);
        putPath(settings, "references", references);
        if (refs.isPresent()) {
            settings.put("referenceCount", refs.get().size());
        }
        putPath(settings, "df", df);

        ObjectNode groups = root.putObject("groups");
        for (SetResult s : r.groups()) {
            groups.set(s.name(), setJson(s));
        }
        root.set("overall", setJson(r.overall()));
        ArrayNode items = root.putArray("items");
        for (Item item : r.items()) {
            items.add(itemJson(item));
        }
        return root;
    }

    private static void putPath(ObjectNode node, String key, Path p) {
        if (p == null) {
            node.putNull(key);
        } else {
            node.put(key, p.toString());
        }
    }

    private static ObjectNode setJson(SetResult s) {
        ObjectNode n = JsonOutput.object();
        TextDiversityReport t = s.text();
        n.put("outputs", t.outputs());
        ObjectNode seed = n.putObject("seed");
        seed.put("lexical_diversity", t.seed().lexicalDiversity());
        seed.put("unique_words", t.seed().uniqueWords());
        seed.put("total_words", t.seed().totalWords());
        ObjectNode uni = n.putObject("unicode");
        uni.put("lexical_diversity", t.unicode().lexicalDiversity());
        uni.put("unique_words", t.unicode().uniqueWords());
        uni.put("total_words", t.unicode().totalWords());
        ArrayNode distinct = n.putArray("distinct");
        for (DistinctN d : t.distinct()) {
            ObjectNode o = distinct.addObject();
            o.put("n", d.n());
            o.put("value", d.value());
            o.put("distinct", d.distinct());
            o.put("ngrams", d.ngrams());
        }
        putOptional(n, "selfBleu", t.selfBleu());
        ArrayNode entropy = n.putArray("entropy");
        t.entropy().forEach(entropy::add);
        n.put("mattr", t.meanMattr());
        n.put("mtld", t.meanMtld());
        ObjectNode cr = n.putObject("compression");
        cr.put("ratio", t.compression().ratio());
        cr.put("rawBytes", t.compression().rawBytes());
        cr.put("compressedBytes", t.compression().compressedBytes());
        n.put("meanWords", t.meanWords());
        n.put("meanCharacters", t.meanCharacters());

        if (s.semantic().isPresent()) {
            SemanticDiversity d = s.semantic().get();
            ObjectNode o = n.putObject("semantic");
            o.put("meanCosineDistance", d.meanCosineDistance());
            o.put("vendi", d.vendi());
            o.put("vendiPerOutput", d.vendiPerOutput());
        } else {
            n.putNull("semantic");
        }
        if (s.alignment().isPresent()) {
            ClipScores a = s.alignment().get();
            ObjectNode o = n.putObject("alignment");
            o.put("clipScore", a.mean());
            o.put("clipScoreWholeText", a.meanWholeText());
            o.put("mda", a.meanAlignment());
            o.put("truncatedOutputs", a.truncatedPairs());
        } else {
            n.putNull("alignment");
        }
        if (s.fidelity().isPresent()) {
            FidelitySummary f = s.fidelity().get();
            ObjectNode o = n.putObject("fidelity");
            o.put("f1", f.meanF1());
            o.put("precision", f.meanPrecision());
            o.put("recall", f.meanRecall());
            o.put("microPrecision", f.pooled().precision());
            o.put("microRecall", f.pooled().recall());
            o.put("microF1", f.pooled().f1());
            o.put("hallucinationRate", f.hallucinationRate());
            o.put("chairI", f.chair().chairI());
            o.put("chairS", f.chair().chairS());
            o.put("objectMentions", f.chair().objectMentions());
            o.put("hallucinatedObjects", f.chair().hallucinatedMentions());
        } else {
            n.putNull("fidelity");
        }
        if (s.references().isPresent()) {
            n.set("references", referencesJson(s.references().get()));
        } else {
            n.putNull("references");
        }
        if (s.creativity().isPresent()) {
            n.set("creativity", JsonOutput.creativity(s.creativity().get()));
        } else {
            n.putNull("creativity");
        }
        return n;
    }

    private static ObjectNode referencesJson(ReferenceMetrics m) {
        ObjectNode o = JsonOutput.object();
        o.put("bleu4", m.bleu4());
        o.put("rougeL", m.rougeL());
        putOptional(o, "ciderD", m.ciderD());
        return o;
    }

    private static ObjectNode itemJson(Item item) {
        ObjectNode n = JsonOutput.object();
        n.put("line", item.output().line());
        if (item.output().group().isPresent()) {
            n.put("group", item.output().group().get());
        } else {
            n.putNull("group");
        }
        n.put("words", item.words());
        if (item.alignment().isPresent()) {
            TextImageScore s = item.alignment().get();
            ObjectNode o = n.putObject("alignment");
            o.put("clipScore", s.score());
            o.put("clipScoreWholeText", s.wholeTextScore());
            o.put("mda", s.score() / ClipScoreOptions.HESSEL_WEIGHT);
            o.put("textTokens", s.textTokens());
            o.put("tokensCut", s.tokensCut());
        } else {
            n.putNull("alignment");
        }
        if (item.fidelity().isPresent()) {
            FidelityScore f = item.fidelity().get();
            ObjectNode o = n.putObject("fidelity");
            o.put("f1", f.f1());
            o.put("precision", f.precision());
            o.put("recall", f.recall());
            o.put("hallucinationRate", f.hallucinationRate());
            o.put("chairI", f.chairI());
            o.put("objectMentions", f.objectMentions());
            o.put("hallucinatedObjects", f.hallucinatedObjects());
            ArrayNode h = o.putArray("hallucinated");
            f.hallucinated().forEach(a -> h.add(a.toString()));
            ArrayNode m = o.putArray("missing");
            f.missing().forEach(a -> m.add(a.toString()));
        } else {
            n.putNull("fidelity");
        }
        if (item.references().isPresent()) {
            n.set("references", referencesJson(item.references().get()));
        } else {
            n.putNull("references");
        }
        return n;
    }

    private static void putOptional(ObjectNode n, String key, OptionalDouble v) {
        if (v.isPresent()) {
            n.put(key, v.getAsDouble());
        } else {
            n.putNull(key);
        }
    }
}
