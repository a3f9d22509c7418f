package dev.tempera.sampling.internal;

import dev.tempera.sampling.ProcessorOrder;
import dev.tempera.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The processors of one {@link SamplingParams}, in the order of its {@link ProcessorOrder}, split at
 * the point where greedy decoding takes its argmax. Disabled processors are left out, so they cost
 * nothing. Immutable and shareable between sequences with the same parameters.
 */
public final class ProcessorChain {

    private final List<LogitsProcessor> beforeGreedy;
    private final List<LogitsProcessor> afterGreedy;
    private final List<LogitsProcessor> greedyTruncation;
    private final boolean writesDense;

    private ProcessorChain(List<LogitsProcessor> beforeGreedy, List<LogitsProcessor> afterGreedy,
            boolean greedyRunsTruncation) {
        this.beforeGreedy = Collections.unmodifiableList(beforeGreedy);
        this.afterGreedy = Collections.unmodifiableList(afterGreedy);
        // Greedy skips the processors that cannot change the argmax. When one that can (XTC, typical-p)
        // runs in an engine that truncates before taking the max (llama.cpp's temp <= 0), greedy runs
        // the whole truncation chain, since the earlier steps change what the later one sees.
        List<LogitsProcessor> truncation = new ArrayList<>();
        if (greedyRunsTruncation && afterGreedy.stream().anyMatch(p -> !p.argmaxInvariant())) {
            for (LogitsProcessor p : afterGreedy) {
                if (!(p instanceof Temperature) && !(p instanceof DynamicTemperature)) {
                    truncation.add(p);
                }
            }
        }
        this.greedyTruncation = Collections.unmodifiableList(truncation);
        boolean writes = !beforeGreedy.isEmpty() || !truncation.isEmpty();
        for (LogitsProcessor p : afterGreedy) {
            writes |= p instanceof Xtc;
        }
        this.writesDense = writes;
    }

    /** Processors that run for every token, greedy or not (masks, bias, penalties). */
    public List<LogitsProcessor> beforeGreedy() {
        return beforeGreedy;
    }

    /** Processors that run only when sampling (temperature and truncation). */
    public List<LogitsProcessor> afterGreedy() {
        return afterGreedy;
    }

    /** Whether some processor writes the dense logits, so the caller's array must be copied first. */
    public boolean writesDense() {
        return writesDense;
    }

    /** One line per processor, in order, for {@code tempera explain}. */
    public List<String> describe(boolean greedy) {
        List<String> out = new ArrayList<>();
        beforeGreedy.forEach(p -> out.add(p.describe()));
        if (greedy) {
            greedyTruncation.forEach(p -> out.add(p.describe()));
            out.add("argmax");
        } else {
            afterGreedy.forEach(p -> out.add(p.describe()));
            out.add("sample");
        }
        return out;
    }

    /**
     * Builds the chain.
     *
     * @param stopIds the stop token ids and EOS ids that min_tokens holds back
     */
    public static ProcessorChain build(SamplingParams p, int vocab, int[] stopIds) {
        List<LogitsProcessor> before = new ArrayList<>();
        List<LogitsProcessor> after = new ArrayList<>();
        switch (p.order()) {
            case VLLM -> {
                addAllowed(before, p, vocab);
                addBadWords(before, p, vocab, true);
                addMinTokens(before, p, vocab, stopIds);
                addLogitBias(before, p, vocab);
                addPenalties(before, p, true);
                addNoRepeat(before, p, true);
                addDry(before, p, vocab);
                addTemperature(after, p);
                if (p.mirostat() > 0) {
                    addMirostat(after, p);
                } else {
                    if (p.minP() > 0) {
                        after.add(new MinP(p.minP(), 1));
                    }
                    addTopNSigma(after, p);
                    if (p.topK() > 0) {
                        after.add(new TopK(p.topK(), false));
                    }
                    if (p.topP() < 1) {
                        after.add(new TopP(p.topP(), 1));
                    }
                    addTypical(after, p, true);
                    addEpsilonEta(after, p);
                    addXtc(after, p);
                }
            }
            case TRANSFORMERS -> {
                addLogitBias(before, p, vocab);
                addPenalties(before, p, true);
                addNoRepeat(before, p, false);
                addBadWords(before, p, vocab, false);
                addMinTokens(before, p, vocab, stopIds);
                addAllowed(before, p, vocab);
                addDry(before, p, vocab);
                addTemperature(after, p);
                if (p.mirostat() > 0) {
                    addMirostat(after, p);
                } else {
                    int keep = p.minTokensToKeep();
                    addTopNSigma(after, p);
                    if (p.topK() > 0) {
                        after.add(new TopK(Math.max(p.topK(), keep), false));
                    }
                    if (p.topP() < 1) {
                        after.add(new TopP(p.topP(), keep));
                    }
                    if (p.minP() > 0) {
                        after.add(new MinP(p.minP(), keep));
                    }
                    addTypical(after, p, true);
                    addEpsilonEta(after, p);
                    addXtc(after, p);
                }
            }
            case LLAMA_CPP -> {
                addLogitBias(before, p, vocab);
                addAllowed(before, p, vocab);
                addBadWords(before, p, vocab, false);
                addMinTokens(before, p, vocab, stopIds);
                if (p.mirostat() > 0) {
                    // llama.cpp's mirostat chain is logit bias, temperature, mirostat: no penalties.
                    addTemperature(after, p);
                    addMirostat(after, p);
                } else {
                    addPenalties(before, p, false);
                    addDry(before, p, vocab);
                    addNoRepeat(before, p, false);
                    int keep = p.minTokensToKeep();
                    addTopNSigma(after, p);
                    if (p.topK() > 0) {
                        after.add(new TopK(p.topK(), true));
                    }
                    addTypical(after, p, false);
                    if (p.topP() < 1) {
                        after.add(new TopP(p.topP(), keep));
                    }
                    if (p.minP() > 0) {
                        after.add(new MinP(p.minP(), keep));
                    }
                    addEpsilonEta(after, p);
                    addXtc(after, p);
                    addTemperature(after, p);
                }
            }
            default -> throw new IllegalStateException("unknown order " + p.order());
        }
        return new ProcessorChain(before, after, p.order() == ProcessorOrder.LLAMA_CPP);
    }

    private static void addAllowed(List<LogitsProcessor> l, SamplingParams p, int vocab) {
        if (!p.allowedTokenIds().isEmpty()) {
            l.add(new AllowedTokens(p.allowedTokenIds(), vocab));
        }
    }

    private static void addBadWords(List<LogitsProcessor> l, SamplingParams p, int vocab, boolean outputOnly) {
        if (!p.badWords().isEmpty()) {
            l.add(new BadWords(p.badWords(), vocab, outputOnly));
        }
    }

    private static void addMinTokens(List<LogitsProcessor> l, SamplingParams p, int vocab, int[] stopIds) {
        if (p.minTokens() > 0 && stopIds.length > 0) {
            l.add(new MinTokens(p.minTokens(), stopIds, vocab));
        }
    }

    private static void addLogitBias(List<LogitsProcessor> l, SamplingParams p, int vocab) {
        if (!p.logitBias().isEmpty()) {
            l.add(new LogitBias(p.logitBias(), vocab));
        }
    }

    private static void addPenalties(List<LogitsProcessor> l, SamplingParams p, boolean outputOnlyCounts) {
        boolean any = p.repetitionPenalty() != 1 || p.frequencyPenalty() != 0 || p.presencePenalty() != 0;
        if (any && p.penaltyLastN() != 0) {
            l.add(new Penalties(p.repetitionPenalty(), p.frequencyPenalty(), p.presencePenalty(),
                    p.penaltyLastN(), outputOnlyCounts));
        }
    }

    private static void addNoRepeat(List<LogitsProcessor> l, SamplingParams p, boolean outputOnly) {
        if (p.noRepeatNgramSize() > 0) {
            l.add(new NoRepeatNgram(p.noRepeatNgramSize(), outputOnly));
        }
    }

    private static void addDry(List<LogitsProcessor> l, SamplingParams p, int vocab) {
        if (p.dryMultiplier() > 0 && p.dryPenaltyLastN() != 0) {
            l.add(new Dry(p.dryMultiplier(), p.dryBase(), p.dryAllowedLength(), p.dryPenaltyLastN(),
                    p.drySequenceBreakers(), vocab));
        }
    }

    private static void addTemperature(List<LogitsProcessor> l, SamplingParams p) {
        if (p.dynatempRange() > 0) {
            l.add(new DynamicTemperature(p.temperature(), p.dynatempRange(), p.dynatempExponent()));
        } else if (p.temperature() != 1) {
            l.add(new Temperature(p.temperature()));
        }
    }

    private static void addMirostat(List<LogitsProcessor> l, SamplingParams p) {
        l.add(p.mirostat() == 1 ? new Mirostat(p.mirostatTau(), p.mirostatEta())
                : new MirostatV2(p.mirostatTau(), p.mirostatEta()));
    }

    private static void addTopNSigma(List<LogitsProcessor> l, SamplingParams p) {
        if (p.topNSigma() > 0) {
            l.add(new TopNSigma(p.topNSigma()));
        }
    }

    private static void addTypical(List<LogitsProcessor> l, SamplingParams p, boolean strict) {
        if (p.typicalP() < 1) {
            l.add(new TypicalP(p.typicalP(), p.minTokensToKeep(), strict));
        }
    }

    private static void addEpsilonEta(List<LogitsProcessor> l, SamplingParams p) {
        if (p.epsilonCutoff() > 0) {
            l.add(new EpsilonCutoff(p.epsilonCutoff(), false, p.minTokensToKeep()));
        }
        if (p.etaCutoff() > 0) {
            l.add(new EpsilonCutoff(p.etaCutoff(), true, p.minTokensToKeep()));
        }
    }

    private static void addXtc(List<LogitsProcessor> l, SamplingParams p) {
        if (p.xtcProbability() > 0 && p.xtcThreshold() <= 0.5) {
            l.add(new Xtc(p.xtcProbability(), p.xtcThreshold(), p.minTokensToKeep()));
        }
    }

    /** Runs the processors of {@code list} in order. */
    static void run(List<LogitsProcessor> list, Candidates c, StepContext ctx) {
        for (int i = 0, n = list.size(); i < n; i++) {
            list.get(i).apply(c, ctx);
        }
    }

    /** Runs the chain up to the sampling point (or the argmax point when {@code greedy}). */
    public void apply(Candidates c, StepContext ctx, boolean greedy) {
        if (!beforeGreedy.isEmpty()) {
            run(beforeGreedy, c, ctx);
            c.denseWritten();
        }
        run(greedy ? greedyTruncation : afterGreedy, c, ctx);
    }

    /** Lets adaptive processors see the sampled token. */
    public void afterSample(Candidates c, int token, StepContext ctx) {
        for (int i = 0, n = afterGreedy.size(); i < n; i++) {
            afterGreedy.get(i).afterSample(c, token, ctx);
        }
    }
}
