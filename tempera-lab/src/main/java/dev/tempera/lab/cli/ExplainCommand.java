package dev.tempera.lab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tempera.sampling.Distributions;
import dev.tempera.sampling.ProcessorOrder;
import dev.tempera.sampling.SamplingParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code tempera explain}: the seed's parts 1 and 2 as a tool. Each value of each list option makes
 * one row (the cartesian product when several lists are given); each row builds
 * {@link SamplingParams} and runs the sampler's processor chain on the input.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {
            "Show what temperature, top-p and the other processors do to a distribution.",
            "Prints the probabilities before and after, what is kept, entropy and the processor chain.",
            "List options give one row per value (the cartesian product when several are given).",
            "With --logits and only --temperature (or --probs and only --top-p) it first prints the seed's "
                    + "table, computed exactly as the seed's PyTorch code does."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tempera explain --logits 2,1,0.5,0.2 --temperature 0.5,1,2",
            "  tempera explain --probs 0.4,0.3,0.2,0.1 --top-p 0.7,0.9 --lang zh",
            "  tempera explain --logits 2,1,0.5,0.2,-1 --top-p 0.9 --min-p 0.1 --json",
            "  tempera explain --logits-file logits.npy --top-k 20,50 --chart chart.svg",
            "  tempera explain --logits 2,1,0.5,0.2 --prompt-ids 0,0,1 --repetition-penalty 1.5 --order vllm,llama.cpp"})
final class ExplainCommand implements Callable<Integer> {

    /** More rows than this is almost certainly a typo in a list. */
    static final int MAX_ROWS = 256;

    /** The options that change the distribution, as matched by name in the parse result. */
    private static final List<String> PROCESSOR_OPTIONS = List.of("--temperature", "--top-p", "--top-k", "--min-p",
            "--typical-p", "--top-n-sigma", "--epsilon-cutoff", "--eta-cutoff", "--min-tokens-to-keep");

    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin
    ExtraProcessorOptions extra = new ExtraProcessorOptions();

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Input (exactly one):%n", order = 0)
    InputOptions input;

    @Option(names = "--temperature", split = ",", defaultValue = "1", paramLabel = "T", order = 10,
            description = "Temperature(s); 0 = greedy.")
    List<Double> temperature;

    @Option(names = "--top-p", split = ",", defaultValue = "1", paramLabel = "P", order = 11,
            description = "Nucleus mass(es) in (0, 1]; 1 = off.")
    List<Double> topP;

    @Option(names = "--top-k", split = ",", defaultValue = "0", paramLabel = "K", order = 12,
            description = "Keep the k most likely; 0 = off.")
    List<Integer> topK;

    @Option(names = "--min-p", split = ",", defaultValue = "0", paramLabel = "P", order = 13,
            description = "Drop tokens below min_p x the top probability; 0 = off.")
    List<Double> minP;

    @Option(names = "--typical-p", split = ",", defaultValue = "1", paramLabel = "P", order = 14,
            description = "Locally typical sampling mass; 1 = off.")
    List<Double> typicalP;

    @Option(names = "--top-n-sigma", split = ",", defaultValue = "-1", paramLabel = "N", order = 15,
            description = "Keep logits within n standard deviations of the max; <= 0 = off.")
    List<Double> topNSigma;

    @Option(names = "--epsilon-cutoff", split = ",", defaultValue = "0", paramLabel = "E", order = 16,
            description = "Drop tokens with probability below it; 0 = off.")
    List<Double> epsilonCutoff;

    @Option(names = "--eta-cutoff", split = ",", defaultValue = "0", paramLabel = "E", order = 17,
            description = "Entropy-dependent cutoff; 0 = off.")
    List<Double> etaCutoff;

    @Option(names = "--min-tokens-to-keep", defaultValue = "1", paramLabel = "N", order = 18,
            description = "Truncating processors keep at least this many tokens.")
    int minTokensToKeep;

    @Option(names = "--order", split = ",", defaultValue = "vllm", paramLabel = "ENGINE", order = 19,
            converter = OrderConverter.class, completionCandidates = OrderConverter.Names.class,
            description = "Processor order(s) to reproduce: ${COMPLETION-CANDIDATES}; a list compares"
                    + " the engines side by side.")
    List<ProcessorOrder> orders;

    @Option(names = "--seed", paramLabel = "N", order = 20,
            description = "Seed (recorded in the parameters; explain draws nothing).")
    Long seed;

    @Option(names = "--lang", defaultValue = "en", paramLabel = "LANG", order = 30,
            description = "Labels of the seed's table: ${COMPLETION-CANDIDATES} (zh prints the seed's own labels).")
    Lang lang;

    @Option(names = "--json", order = 31, description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE", order = 32,
            description = "Also draw a grouped bar chart of before vs after each row (.svg or .png).")
    Path chart;

    @Override
    public Integer call() throws Exception {
        Input in = input.load();
        List<Row> rows = new ArrayList<>();
        for (SamplingParams p : params()) {
            rows.add(Row.of(p, in, orders.size() > 1, extra.promptIds, extra.generatedIds));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (chart != null) {
            BarChartWriter.write(chart, "tempera explain: " + in.size() + " " + in.kind() + ", order " + orderIds(),
                    rows);
        }
        if (json) {
            out.println(json(in, rows));
        } else {
            text(out, in, rows);
            if (chart != null) {
                out.println("chart: " + chart);
            }
        }
        out.flush();
        return 0;
    }

    /** The cartesian product of the list options, temperature outermost, order innermost. */
    List<SamplingParams> params() {
        long count = (long) orders.size() * temperature.size() * topP.size() * topK.size() * minP.size() * typicalP.size()
                * topNSigma.size() * epsilonCutoff.size() * etaCutoff.size();
        if (count > MAX_ROWS) {
            throw new IllegalArgumentException("the list options give " + count + " rows, but explain shows at most "
                    + MAX_ROWS);
        }
        List<SamplingParams> out = new ArrayList<>();
        for (double t : temperature) {
            for (double p : topP) {
                for (int k : topK) {
                    for (double m : minP) {
                        for (double ty : typicalP) {
                            for (double s : topNSigma) {
                                for (double e : epsilonCutoff) {
                                    for (double et : etaCutoff) {
                                        for (ProcessorOrder order : orders) {
                                            SamplingParams.Builder b = SamplingParams.builder().temperature(t)
                                                    .topP(p).topK(k).minP(m).typicalP(ty).topNSigma(s)
                                                    .epsilonCutoff(e).etaCutoff(et)
                                                    .minTokensToKeep(minTokensToKeep).order(order);
                                            extra.apply(b);
                                            if (seed != null) {
                                                b.seed(seed);
                                            }
                                            out.add(build(b));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private String orderIds() {
        return String.join(", ", orders.stream().map(ProcessorOrder::id).toList());
    }

    static SamplingParams build(SamplingParams.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw OptionErrors.withOptionName(e);
        }
    }

    /** Which seed table applies: part 1 for logits and only --temperature, part 2 for probs and only --top-p. */
    private String seedMode(Input in) {
        ParseResult pr = spec.commandLine().getParseResult();
        Set<String> given = new HashSet<>();
        for (String o : ExtraProcessorOptions.NAMES) {
            if (pr.hasMatchedOption(o)) {
                given.add(o);
            }
        }
        for (String o : PROCESSOR_OPTIONS) {
            if (pr.hasMatchedOption(o)) {
                given.add(o);
            }
        }
        if (!in.isProbs() && given.equals(Set.of("--temperature"))) {
            return "temperature";
        }
        if (in.isProbs() && given.equals(Set.of("--top-p"))) {
            return "top-p";
        }
        return null;
    }

    private void text(PrintWriter out, Input in, List<Row> rows) {
        out.println("Input: " + in.size() + " " + in.kind() + " from " + in.source()
                + (in.size() <= DistributionTable.SHOWN ? ": " + values(in) : ""));
        out.println("Order: " + orderIds());
        String mode = seedMode(in);
        if (mode != null) {
            out.println();
            out.println(mode.equals("temperature")
                    ? "The seed's apply_temperature (part 1), float32 as in PyTorch:"
                    : "The seed's top_p_sampling (part 2), float32 as in PyTorch:");
            List<String> lines = mode.equals("temperature")
                    ? SeedTables.temperature(in.values(), temperature, lang)
                    : SeedTables.topP(in.values(), topP, lang);
            lines.forEach(out::println);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            out.println();
            out.println("[" + (i + 1) + "] " + row.label());
            DistributionTable.print(out, row, null);
            if (mode != null) {
                String note = seedDifference(in, mode, row);
                if (note != null) {
                    out.println("  note: " + note);
                }
            }
        }
    }

    /** Says where the sampler's chain and the seed's function disagree on a row, or null. */
    private static String seedDifference(Input in, String mode, Row row) {
        float[] seed;
        try {
            seed = mode.equals("temperature")
                    ? Distributions.applyTemperature(in.values(), row.params().temperature())
                    : Distributions.topP(in.values(), row.params().topP());
        } catch (IllegalArgumentException e) {
            return null;
        }
        int seedKept = 0;
        double maxDiff = 0;
        for (int i = 0; i < seed.length; i++) {
            seedKept += seed[i] > 0 ? 1 : 0;
            maxDiff = Math.max(maxDiff, Math.abs(seed[i] - row.after()[i]));
        }
        if (seedKept != row.kept()) {
            return "the seed's function keeps " + seedKept + " tokens, the " + row.params().order().id() + " chain keeps "
                    + row.kept() + " (p falls on a cumulative sum here, so float rounding decides the boundary token)";
        }
        if (maxDiff > 5e-7) {
            return Fmt.f("the seed's function and the %s chain differ by up to %.2g", row.params().order().id(),
                    maxDiff);
        }
        return null;
    }

    private static String values(Input in) {
        StringBuilder sb = new StringBuilder("[");
        for (float v : in.values()) {
            sb.append(sb.length() > 1 ? ", " : "").append(Fmt.num(Fmt.widen(v)));
        }
        return sb.append(']').toString();
    }

    private String json(Input in, List<Row> rows) throws Exception {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("kind", in.kind());
        input.put("source", in.source());
        input.put("size", in.size());
        if (in.size() <= Fmt.SUMMARY_THRESHOLD) {
            List<Object> values = new ArrayList<>();
            for (float v : in.values()) {
                values.add(Float.isInfinite(v) ? "-inf" : Fmt.widen(v));
            }
            input.put("values", values);
        }
        List<Map<String, Object>> jsonRows = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", r.label());
            m.put("params", Row.nonDefaultParams(r.params()));
            m.put("probs", r.after());
            m.put("kept", r.kept());
            m.put("kept_mass", r.keptMass());
            m.put("entropy", r.entropy());
            m.put("effective_tokens", r.effectiveTokens());
            m.put("chain", r.chain());
            jsonRows.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", input);
        root.put("order", orderIds());
        root.put("orders", orders.stream().map(ProcessorOrder::id).toList());
        root.put("rows", jsonRows);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }
}
