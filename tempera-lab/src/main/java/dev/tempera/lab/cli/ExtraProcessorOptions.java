package dev.tempera.lab.cli;

import dev.tempera.sampling.SamplingParams;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The processors that {@code explain} applies to every row alike (no lists): penalties, n-gram bans
 * and DRY over a given history, XTC, dynamic temperature and mirostat's first step.
 */
final class ExtraProcessorOptions {

    /** Option names, so that giving any of them turns off the seed-table mode. */
    static final List<String> NAMES = List.of("--prompt-ids", "--generated-ids", "--repetition-penalty",
            "--frequency-penalty", "--presence-penalty", "--penalty-last-n", "--no-repeat-ngram-size",
            "--dry-multiplier", "--dry-base", "--dry-allowed-length", "--xtc-threshold", "--xtc-probability",
            "--dynatemp-range", "--dynatemp-exponent", "--mirostat", "--mirostat-tau", "--mirostat-eta");

    @Option(names = "--prompt-ids", split = ",", paramLabel = "ID", order = 40,
            description = "Token ids of the prompt; penalties, no-repeat n-grams and DRY read them.")
    int[] promptIds = new int[0];

    @Option(names = "--generated-ids", split = ",", paramLabel = "ID", order = 41,
            description = "Token ids generated so far (vLLM and transformers count frequency and presence"
                    + " penalties on these only).")
    int[] generatedIds = new int[0];

    @Option(names = "--repetition-penalty", defaultValue = "1", paramLabel = "R", order = 42,
            description = "Repetition penalty on tokens in the history.")
    double repetitionPenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", paramLabel = "F", order = 43,
            description = "Subtracted per occurrence.")
    double frequencyPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", paramLabel = "P", order = 44,
            description = "Subtracted once per token present.")
    double presencePenalty;

    @Option(names = "--penalty-last-n", defaultValue = "-1", paramLabel = "N", order = 45,
            description = "Penalty window: -1 whole history, 0 off, N last N tokens.")
    int penaltyLastN;

    @Option(names = "--no-repeat-ngram-size", defaultValue = "0", paramLabel = "N", order = 46,
            description = "Ban tokens that would repeat an n-gram of the history.")
    int noRepeatNgramSize;

    @Option(names = "--dry-multiplier", defaultValue = "0", paramLabel = "M", order = 47,
            description = "DRY penalty scale (0 = off).")
    double dryMultiplier;

    @Option(names = "--dry-base", defaultValue = "1.75", paramLabel = "B", order = 48, description = "DRY base.")
    double dryBase;

    @Option(names = "--dry-allowed-length", defaultValue = "2", paramLabel = "N", order = 49,
            description = "DRY: repeats up to this length are free.")
    int dryAllowedLength;

    @Option(names = "--xtc-threshold", defaultValue = "0.1", paramLabel = "T", order = 50,
            description = "XTC threshold (> 0.5 disables).")
    double xtcThreshold;

    @Option(names = "--xtc-probability", defaultValue = "0", paramLabel = "P", order = 51,
            description = "XTC probability (1 = always; the coin comes from --seed).")
    double xtcProbability;

    @Option(names = "--dynatemp-range", defaultValue = "0", paramLabel = "R", order = 52,
            description = "Dynamic temperature range around --temperature (0 = off).")
    double dynatempRange;

    @Option(names = "--dynatemp-exponent", defaultValue = "1", paramLabel = "E", order = 53,
            description = "Dynamic temperature exponent.")
    double dynatempExponent;

    @Option(names = "--mirostat", defaultValue = "0", paramLabel = "V", order = 54,
            description = "Mirostat version 1 or 2 (0 = off); explain shows its first step (mu = 2 tau).")
    int mirostat;

    @Option(names = "--mirostat-tau", defaultValue = "5", paramLabel = "TAU", order = 55,
            description = "Mirostat target surprise.")
    double mirostatTau;

    @Option(names = "--mirostat-eta", defaultValue = "0.1", paramLabel = "ETA", order = 56,
            description = "Mirostat learning rate.")
    double mirostatEta;

    /** Sets these processors on a row's parameters. */
    SamplingParams.Builder apply(SamplingParams.Builder b) {
        return b.repetitionPenalty(repetitionPenalty).frequencyPenalty(frequencyPenalty)
                .presencePenalty(presencePenalty).penaltyLastN(penaltyLastN).noRepeatNgramSize(noRepeatNgramSize)
                .dryMultiplier(dryMultiplier).dryBase(dryBase).dryAllowedLength(dryAllowedLength)
                .xtcThreshold(xtcThreshold).xtcProbability(xtcProbability)
                .dynatempRange(dynatempRange).dynatempExponent(dynatempExponent)
                .mirostat(mirostat).mirostatTau(mirostatTau).mirostatEta(mirostatEta)
                .maxTokens(Math.max(SamplingParams.defaults().maxTokens(), generatedIds.length + 1));
    }
}
