package dev.tempera.lab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tempera.sampling.ProcessorOrder;
import dev.tempera.sampling.Sampler;
import dev.tempera.sampling.SamplingParams;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tempera sample}: draws tokens with one seeded {@link Sampler} and compares the empirical
 * frequencies with the processed distribution (chi-square over the kept tokens). Each draw is a
 * new position of one sequence, so the draws are independent and reproducible from the seed.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {
            "Draw seeded tokens and test their frequencies against the processed distribution.",
            "Prints the processed probability next to the empirical frequency per token, and a chi-square "
                    + "goodness-of-fit over the kept tokens.",
            "The same seed gives the same output."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  tempera sample --logits 2,1,0.5,0.2 --temperature 0.7 --top-p 0.9 --seed 42",
            "  tempera sample --probs 0.4,0.3,0.2,0.1 --min-p 0.3 --order llama.cpp --seed 7",
            "  tempera sample --logits-file logits.npy --top-k 50 --seed 1 --json"})
final class SampleCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Input (exactly one):%n", order = 0)
    InputOptions input;

    @Option(names = "--temperature", defaultValue = "1", paramLabel = "T", order = 10,
            description = "Temperature; 0 = greedy.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", order = 11, description = "Nucleus mass; 1 = off.")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", order = 12, description = "0 = off.")
    int topK;

    @Option(names = "--min-p", defaultValue = "0", paramLabel = "P", order = 13, description = "0 = off.")
    double minP;

    @Option(names = "--typical-p", defaultValue = "1", paramLabel = "P", order = 14, description = "1 = off.")
    double typicalP;

    @Option(names = "--top-n-sigma", defaultValue = "-1", paramLabel = "N", order = 15, description = "<= 0 = off.")
    double topNSigma;

    @Option(names = "--epsilon-cutoff", defaultValue = "0", paramLabel = "E", order = 16, description = "0 = off.")
    double epsilonCutoff;

    @Option(names = "--eta-cutoff", defaultValue = "0", paramLabel = "E", order = 17, description = "0 = off.")
    double etaCutoff;

    @Option(names = "--min-tokens-to-keep", defaultValue = "1", paramLabel = "N", order = 18,
            description = "Truncating processors keep at least this many tokens.")
    int minTokensToKeep;

    @Option(names = "--order", defaultValue = "vllm", paramLabel = "ENGINE", order = 19,
            converter = OrderConverter.class, completionCandidates = OrderConverter.Names.class,
            description = "Processor order to reproduce: ${COMPLETION-CANDIDATES}.")
    ProcessorOrder order;

    @Option(names = "--seed", paramLabel = "N", order = 20,
            description = "Seed; without one a random seed is drawn and printed.")
    Long seed;

    @Option(names = "--draws", defaultValue = "10000", paramLabel = "N", order = 21, description = "Number of draws.")
    int draws;

    @Option(names = "--json", order = 30, description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Input in = input.load();
        SamplingParams.Builder b = SamplingParams.builder().temperature(temperature).topP(topP).topK(topK).minP(minP)
                .typicalP(typicalP).topNSigma(topNSigma).epsilonCutoff(epsilonCutoff).etaCutoff(etaCutoff)
                .minTokensToKeep(minTokensToKeep).order(order).maxTokens(draws);
        if (seed != null) {
            b.seed(seed);
        }
        SamplingParams params = ExplainCommand.build(b);
        Result r = run(params, in, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(in, r));
        } else {
            text(out, in, r);
        }
        out.flush();
        return 0;
    }

    /** The processed distribution, the counts of {@code draws} seeded draws and the test. */
    record Result(SamplingParams params, long seed, boolean seedWasRandom, List<String> chain, double[] probs,
                  long[] counts, ChiSquare test) {}

    static Result run(SamplingParams params, Input in) {
        return run(params, in, null);
    }

    /**
     * As {@link #run(SamplingParams, Input)}; when {@code progress} is not null and the work is large
     * (draws x vocabulary above 10^8, a few seconds), a percentage is printed to it every 10%.
     */
    static Result run(SamplingParams params, Input in, PrintWriter progress) {
        Sampler sampler = Sampler.builder(params, in.size()).build();
        double[] probs = sampler.distribution(in.logits());
        long[] counts = new long[in.size()];
        float[] logits = in.logits();
        int draws = params.maxTokens();
        boolean report = progress != null && (long) draws * in.size() > 100_000_000L;
        int decile = 0;
        for (int i = 0; i < draws; i++) {
            counts[sampler.next(logits)]++;
            if (report && 10L * (i + 1) / draws > decile) {
                decile = (int) (10L * (i + 1) / draws);
                progress.printf("tempera sample: %d%% (%d of %d draws)%n", decile * 10, i + 1, draws);
                progress.flush();
            }
        }
        return new Result(params, sampler.seed(), sampler.seedWasRandom(), sampler.chainDescription(), probs, counts,
                ChiSquare.of(probs, counts));
    }

    private void text(PrintWriter out, Input in, Result r) {
        out.println(Fmt.f("%d draws from %d %s, %s, order %s, seed %d%s", draws, in.size(), in.kind(),
                Row.label(r.params()), order.id(), r.seed(), r.seedWasRandom() ? " (random)" : ""));
        out.println("chain: " + String.join(" -> ", r.chain()));
        out.println("      token  processed   expected   observed  frequency");
        int[] shown = shownTokens(r);
        long restCount = draws;
        double restProb = 1;
        for (int t : shown) {
            out.println(Fmt.f("  %9d  %9s  %9.1f  %9d  %9.6f", t, Fmt.p6(r.probs()[t]), draws * r.probs()[t],
                    r.counts()[t], (double) r.counts()[t] / draws));
            restCount -= r.counts()[t];
            restProb -= r.probs()[t];
        }
        int rest = in.size() - shown.length;
        if (rest > 0) {
            out.println(Fmt.f("  %9s  %9s  %9.1f  %9d  %9.6f", "+" + rest, Fmt.p6(Math.max(0, restProb)),
                    draws * Math.max(0, restProb), restCount, (double) restCount / draws));
        }
        ChiSquare c = r.test();
        out.println(Fmt.f("chi-square %.4f, %d degrees of freedom (%d kept tokens), p-value %.4f", c.statistic(),
                c.df(), c.df() + 1, c.pValue()));
        if (c.outside() > 0) {
            out.println("WARNING: " + c.outside() + " draws fell on tokens the chain removed");
        }
    }

    /** Every token for small vocabularies; else the 20 most probable after processing. */
    private static int[] shownTokens(Result r) {
        return DistributionTable.shownTokens(r.probs());
    }

    private String json(Input in, Result r) throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("input", Map.of("kind", in.kind(), "size", in.size()));
        root.put("order", order.id());
        root.put("params", Row.nonDefaultParams(r.params()));
        root.put("seed", r.seed());
        root.put("draws", draws);
        root.put("chain", r.chain());
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (int t = 0; t < in.size(); t++) {
            if (r.probs()[t] > 0 || r.counts()[t] > 0) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", t);
                m.put("prob", r.probs()[t]);
                m.put("count", r.counts()[t]);
                m.put("freq", (double) r.counts()[t] / draws);
                tokens.add(m);
            }
        }
        root.put("tokens", tokens);
        root.put("chi_square", r.test().statistic());
        root.put("df", r.test().df());
        root.put("p_value", r.test().pValue());
        root.put("outside_kept", r.test().outside());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }
}
