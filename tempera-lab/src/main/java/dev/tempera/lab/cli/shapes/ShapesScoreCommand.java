package dev.tempera.lab.cli.shapes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tempera shapes score}: scores a JSONL batch of images and texts in one JVM start, for measurement scripts.
 *
 * <p>Steps, in order: every line is parsed and checked ({@link ScoreItem}; a bad line stops the run with exit 2
 * before any image is read), the items are scored on all cores ({@link ItemScore}; the image checker and the text
 * parser are stateless), then per-item results are written in input order and the per-group summaries printed
 * ({@link ScoreSummary}).
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = {"Score many images and texts in one run. Each line of --in is a JSON object with an optional"
                + " \"group\" (summarised separately and overall) and one of:",
            "  {\"image\": \"x.png\", \"prompt\": \"...\"}: check the image as `shapes check --prompt` does: known,"
                + " satisfied, kindColour (every mentioned shape's kind and colour is in the image) and the prompt's"
                + " attribute precision / recall / F1;",
            "  {\"text\": \"...\", \"scene\": {...}}: score the description against the scene (as in scenes.jsonl):"
                + " precision / recall / F1 and hallucinated attributes (stated but not true);",
            "  {\"text\": \"...\"}: whether the text states a complete, valid scene (a background and 1-2 shapes with"
                + " kind, colour, size and position), and why not.",
            "Relative image paths are resolved against the directory of --in. Blank lines are skipped."},
        footer = {"", "Examples:",
            "  tempera shapes score --in items.jsonl",
            "  tempera shapes score --in items.jsonl --out results.jsonl --json",
            "", "An items.jsonl:",
            "  {\"group\": \"T=0.7\", \"image\": \"gen/0001.png\", \"prompt\": \"a red circle and a blue square\"}",
            "  {\"group\": \"captions\", \"text\": \"a large red star at the top\", \"scene\": {\"background\": \"purple\","
                + " \"shapes\": [{\"kind\": \"star\", \"color\": \"red\", \"size\": \"large\", \"position\": \"top\"}]}}",
            "  {\"group\": \"free\", \"text\": \"a small green square on the left on a white background\"}"})
final class ShapesScoreCommand implements Callable<Integer> {

    /** Above this many items, progress goes to stderr. */
    static final int PROGRESS_ABOVE = 200;

    private static final ObjectMapper LINES = new ObjectMapper();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "JSONL", description = "Items to score, one JSON object a line.")
    Path in;

    @Option(names = "--out", paramLabel = "JSONL", description = "Write per-item results here: each input line's fields"
            + " plus the result fields, in input order.")
    Path out;

    @Option(names = "--json", description = "Print the summaries as one JSON object {groups: {...}, overall: {...}}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (out != null && Files.isDirectory(out)) {
            throw Options.usage(spec, "--out must be a file to write JSONL to, but is a directory: " + out);
        }
        List<ScoreItem> items = readItems();
        List<ItemScore> scores = scoreAll(items);

        ScoreSummary overall = new ScoreSummary();
        Map<String, ScoreSummary> groups = new LinkedHashMap<>(); // in order of first appearance
        for (int i = 0; i < items.size(); i++) {
            overall.add(scores.get(i));
            int k = i;
            items.get(i).group().ifPresent(g -> groups.computeIfAbsent(g, x -> new ScoreSummary()).add(scores.get(k)));
        }
        if (out != null) {
            writeResults(items, scores);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode node = Options.JSON.createObjectNode();
            ObjectNode g = node.putObject("groups");
            groups.forEach((name, s) -> g.set(name, s.toJson()));
            node.set("overall", overall.toJson());
            o.println(Options.JSON.writeValueAsString(node));
        } else {
            printTable(o, groups, overall);
            if (out != null) {
                o.println("per-item results: " + out);
            }
        }
        o.flush();
        return 0;
    }

    private List<ScoreItem> readItems() {
        if (!Files.isRegularFile(in) || !Files.isReadable(in)) {
            throw Options.usage(spec, "--in must be an existing, readable JSONL file, but is: " + in + " ("
                    + (Files.exists(in) ? "not a readable regular file" : "no such file") + ")");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(in, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Options.usage(spec, "--in must be a readable UTF-8 JSONL file, but reading " + in + " failed: " + e);
        }
        Path base = in.toAbsolutePath().getParent();
        List<ScoreItem> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                items.add(ScoreItem.parse(i + 1, lines.get(i), base, LINES));
            } catch (IllegalArgumentException e) {
                throw Options.usage(spec, lineError(i + 1, e.getMessage()));
            }
        }
        if (items.isEmpty()) {
            throw Options.usage(spec, "--in must hold at least one item, but " + in + " has no non-blank line");
        }
        return items;
    }

    private String lineError(int line, String message) {
        return "--in " + in + " line " + line + ": " + message;
    }

    /**
     * Scores on all cores; results in input order. A failing item (an image file that is no image) fails the run,
     * naming its line; once one fails, items not yet started are skipped.
     */
    private List<ItemScore> scoreAll(List<ScoreItem> items) throws InterruptedException {
        int n = items.size();
        PrintWriter err = spec.commandLine().getErr();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger lastDecile = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Function<ScoreItem, ItemScore> task = item -> {
            if (failed.get()) {
                return null;
            }
            try {
                return ItemScore.of(item);
            } catch (RuntimeException e) {
                failed.set(true);
                throw e;
            } finally {
                int d = done.incrementAndGet();
                if (n > PROGRESS_ABOVE) {
                    int decile = (int) (10L * d / n);
                    if (decile > lastDecile.getAndAccumulate(decile, Math::max)) {
                        synchronized (err) {
                            err.printf("score: %d%% (%d/%d)%n", decile * 10, d, n);
                            err.flush();
                        }
                    }
                }
            }
        };
        int threads = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tempera-score");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ItemScore>> futures = new ArrayList<>(n);
            for (ScoreItem item : items) {
                futures.add(pool.submit(() -> task.apply(item)));
            }
            List<ItemScore> scores = new ArrayList<>(n);
            RuntimeException first = null;
            int firstLine = 0;
            for (int i = 0; i < n; i++) {
                try {
                    scores.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    if (first == null && e.getCause() instanceof RuntimeException re) {
                        first = re;
                        firstLine = items.get(i).line();
                    } else if (first == null) {
                        throw new IllegalStateException("scoring line " + items.get(i).line() + " failed", e.getCause());
                    }
                }
            }
            if (first instanceof IllegalArgumentException) {
                throw Options.usage(spec, lineError(firstLine, first.getMessage()));
            } else if (first != null) {
                throw new IllegalStateException("scoring line " + firstLine + " of " + in + " failed: " + first, first);
            }
            return scores;
        } finally {
            pool.shutdownNow();
        }
    }

    private void writeResults(List<ScoreItem> items, List<ItemScore> scores) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ObjectMapper compact = new ObjectMapper();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < items.size(); i++) {
                ObjectNode node = items.get(i).input().deepCopy();
                scores.get(i).writeTo(node);
                w.write(compact.writeValueAsString(node));
                w.write('\n');
            }
        }
    }

    private static void printTable(PrintWriter o, Map<String, ScoreSummary> groups, ScoreSummary overall) {
        // Only the columns of the kinds of item present.
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("items", s -> OptionalDouble.of(s.count()), true));
        if (overall.knownRate().isPresent()) {
            columns.add(new Column("known", ScoreSummary::knownRate, false));
            columns.add(new Column("satisfied", ScoreSummary::satisfiedRate, false));
            columns.add(new Column("kindColour", ScoreSummary::kindColourRate, false));
            columns.add(new Column("imageF1", ScoreSummary::imageMeanF1, false));
        }
        if (overall.textMeanF1().isPresent()) {
            columns.add(new Column("textF1", ScoreSummary::textMeanF1, false));
            columns.add(new Column("halluc", ScoreSummary::meanHallucinationRate, false));
            columns.add(new Column("hallucMicro", ScoreSummary::microHallucinationRate, false));
            columns.add(new Column("anyHalluc", ScoreSummary::anyHallucinationRate, false));
        }
        if (overall.validRate().isPresent()) {
            columns.add(new Column("valid", ScoreSummary::validRate, false));
        }
        Map<String, ScoreSummary> rows = new LinkedHashMap<>(groups);
        rows.put("overall", overall);
        int nameWidth = "group".length();
        for (String g : rows.keySet()) {
            nameWidth = Math.max(nameWidth, g.length());
        }
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", "group"));
        for (Column c : columns) {
            head.append(String.format(Locale.ROOT, "  %" + c.width() + "s", c.name()));
        }
        o.println(head.toString().stripTrailing());
        for (Map.Entry<String, ScoreSummary> row : rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s", row.getKey()));
            for (Column c : columns) {
                OptionalDouble v = c.value().apply(row.getValue());
                String cell = v.isEmpty() ? "-" : c.integer() ? String.valueOf((long) v.getAsDouble())
                        : String.format(Locale.ROOT, "%.3f", v.getAsDouble());
                line.append(String.format(Locale.ROOT, "  %" + c.width() + "s", cell));
            }
            o.println(line);
        }
        o.println("imageF1: known images only; halluc: hallucinated/stated per text, averaged; hallucMicro: pooled;"
                + " anyHalluc: texts with any");
    }

    /** A table column: header, value of a summary, printed as an integer or a 3-decimal rate. */
    private record Column(String name, Function<ScoreSummary, OptionalDouble> value, boolean integer) {
        int width() {
            return Math.max(name.length(), 7);
        }
    }
}
