package dev.tempera.sampling;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything that decides how one token is picked from the logits, for one request.
 *
 * <p>Immutable and thread-safe: every value is checked in the constructor, collections are copied
 * into unmodifiable ones (a {@code null} collection becomes empty), and an invalid value throws
 * {@link IllegalArgumentException} saying {@code <json name> must be <range>, but is: <value>}.
 * NaN and infinities are rejected wherever a {@code double} is taken. Names and defaults follow
 * vLLM's {@code SamplingParams}; the llama.cpp and transformers extras use those engines' names.
 * {@link #order()} chooses which engine's processor order and semantics are reproduced.
 *
 * <pre>{@code
 * SamplingParams p = SamplingParams.builder()
 *         .temperature(0.7).topP(0.9).seed(42)
 *         .build();
 * p.describe();                         // "temperature=0.7, top_p=0.9, seed=42"
 * SamplingParams.fromMap(p.toMap());    // equals p
 * }</pre>
 *
 * <p><b>Greedy.</b> A temperature below {@value #GREEDY_EPSILON} (vLLM's {@code _SAMPLING_EPS})
 * means greedy decoding: the argmax is taken after the penalties and the bias, and the truncating
 * processors are skipped (under the llama.cpp order XTC and typical-p, which can move the argmax,
 * still run first, as llama.cpp's {@code temp <= 0} does). Greedy decoding has one possible output,
 * so it requires {@code n = 1}.
 *
 * <p><b>Disabled values.</b> Each processor is turned off by an explicit value, never by
 * {@code null}: {@code top_p = 1}, {@code top_k = 0} ({@code -1} is accepted and stored as 0),
 * {@code min_p = 0}, {@code typical_p = 1}, {@code presence_penalty = 0},
 * {@code frequency_penalty = 0}, {@code repetition_penalty = 1}, {@code penalty_last_n = 0} (all
 * three penalties off; {@code -1} = whole history), empty {@code stop_token_ids},
 * {@code logit_bias}, {@code allowed_token_ids} (empty = every token allowed) and
 * {@code bad_words}, {@code epsilon_cutoff = 0}, {@code eta_cutoff = 0}, {@code top_n_sigma = -1}
 * (any value &lt;= 0 is stored as -1), {@code xtc_probability = 0} or {@code xtc_threshold > 0.5}
 * (as in llama.cpp: above one half at most one token can be above the threshold, so nothing is
 * removed), {@code dry_multiplier = 0} or {@code dry_penalty_last_n = 0},
 * {@code no_repeat_ngram_size = 0}, {@code mirostat = 0}, {@code dynatemp_range = 0},
 * {@code min_tokens = 0}, empty {@code logprobs}.
 *
 * <p><b>logit_bias</b> values are clamped to [{@code -100}, {@code 100}], as vLLM does; a bias of
 * -100 effectively bans a token. Keys are token ids, kept in insertion order.
 *
 * @param temperature        logits are divided by it; &lt; {@value #GREEDY_EPSILON} means greedy
 * @param topP               nucleus: smallest set of tokens whose probability reaches it; 1 = off
 * @param topK               keep the k most likely tokens; 0 = off
 * @param minP               drop tokens below {@code min_p * p_max}; 0 = off
 * @param typicalP           locally typical sampling mass; 1 = off
 * @param presencePenalty    subtracted once from every token already generated
 * @param frequencyPenalty   subtracted per occurrence of a generated token
 * @param repetitionPenalty  CTRL penalty on prompt and output tokens; 1 = off
 * @param seed               per-request seed; empty = nondeterministic
 * @param n                  number of outputs; 1 when greedy
 * @param maxTokens          most tokens to generate
 * @param minTokens          stop tokens are banned until this many tokens are generated
 * @param stopTokenIds       token ids that end generation, de-duplicated in first-seen order
 * @param logitBias          token id to additive bias, clamped to [-100, 100]
 * @param allowedTokenIds    whitelist; empty = every token allowed
 * @param badWords           token-id sequences whose last token is banned when the rest matches
 * @param logprobs           number of top alternatives returned besides the sampled token
 * @param epsilonCutoff      drop tokens with probability below it; 0 = off
 * @param etaCutoff          entropy-dependent cutoff; 0 = off
 * @param topNSigma          keep logits within n standard deviations of the max; -1 = off
 * @param xtcThreshold       XTC: tokens above it (but the least likely) are removed; &gt; 0.5 = off
 * @param xtcProbability     XTC: probability that it is applied at a step; 0 = off
 * @param dryMultiplier      DRY penalty scale; 0 = off
 * @param dryBase            DRY exponential base
 * @param dryAllowedLength   DRY: repeats up to this length are not penalised
 * @param dryPenaltyLastN    DRY window; -1 = whole history, 0 = off
 * @param drySequenceBreakers DRY: token-id sequences that break a repeat
 * @param noRepeatNgramSize  ban any n-gram of this size from repeating; 0 = off
 * @param penaltyLastN       window of the three penalties; -1 = whole history, 0 = off
 * @param mirostat           0 = off, 1 = Mirostat, 2 = Mirostat 2.0
 * @param mirostatTau        Mirostat target surprise
 * @param mirostatEta        Mirostat learning rate
 * @param dynatempRange      dynamic temperature: T varies in [T - range, T + range]; 0 = off
 * @param dynatempExponent   dynamic temperature exponent
 * @param minTokensToKeep    truncating processors keep at least this many tokens
 * @param order              which engine's processor order and semantics to reproduce
 */
public record SamplingParams(
        double temperature,
        double topP,
        int topK,
        double minP,
        double typicalP,
        double presencePenalty,
        double frequencyPenalty,
        double repetitionPenalty,
        OptionalLong seed,
        int n,
        int maxTokens,
        int minTokens,
        List<Integer> stopTokenIds,
        Map<Integer, Double> logitBias,
        List<Integer> allowedTokenIds,
        List<List<Integer>> badWords,
        OptionalInt logprobs,
        double epsilonCutoff,
        double etaCutoff,
        double topNSigma,
        double xtcThreshold,
        double xtcProbability,
        double dryMultiplier,
        double dryBase,
        int dryAllowedLength,
        int dryPenaltyLastN,
        List<List<Integer>> drySequenceBreakers,
        int noRepeatNgramSize,
        int penaltyLastN,
        int mirostat,
        double mirostatTau,
        double mirostatEta,
        double dynatempRange,
        double dynatempExponent,
        int minTokensToKeep,
        ProcessorOrder order) {

    /** Temperatures below this mean greedy decoding (vLLM's {@code _SAMPLING_EPS}). */
    public static final double GREEDY_EPSILON = 1e-5;
    /** Largest {@code n} (vLLM's {@code VLLM_MAX_N_SEQUENCES} default). */
    public static final int MAX_N = 16384;
    /** Largest {@code logprobs}. */
    public static final int MAX_LOGPROBS = 1000;
    /** {@code logit_bias} values are clamped to [-LOGIT_BIAS_LIMIT, LOGIT_BIAS_LIMIT]. */
    public static final double LOGIT_BIAS_LIMIT = 100;

    /** JSON names, in component order. */
    private static final List<String> NAMES = List.of(
            "temperature", "top_p", "top_k", "min_p", "typical_p",
            "presence_penalty", "frequency_penalty", "repetition_penalty",
            "seed", "n", "max_tokens", "min_tokens",
            "stop_token_ids", "logit_bias", "allowed_token_ids", "bad_words", "logprobs",
            "epsilon_cutoff", "eta_cutoff", "top_n_sigma", "xtc_threshold", "xtc_probability",
            "dry_multiplier", "dry_base", "dry_allowed_length", "dry_penalty_last_n",
            "dry_sequence_breakers", "no_repeat_ngram_size", "penalty_last_n",
            "mirostat", "mirostat_tau", "mirostat_eta", "dynatemp_range", "dynatemp_exponent",
            "min_tokens_to_keep", "order");

    private static final SamplingParams DEFAULTS = new Builder().build();
    private static final SamplingParams GREEDY = new Builder().temperature(0).build();
    private static final SamplingParams LLAMA_CPP_DEFAULTS = new Builder()
            .temperature(0.8).topK(40).topP(0.95).minP(0.05)
            .penaltyLastN(64).dryPenaltyLastN(64).xtcThreshold(0.1)
            .order(ProcessorOrder.LLAMA_CPP)
            .build();
    private static final SamplingParams TRANSFORMERS_DEFAULTS = new Builder()
            .topK(50).order(ProcessorOrder.TRANSFORMERS).build();

    /** Validates every component, normalises the aliases and copies the collections. */
    public SamplingParams {
        temperature = finiteAtLeast("temperature", temperature, 0, false,
                temperature < 0 ? "temperature 0 means greedy: use SamplingParams.greedy()" : null);
        topP = in("top_p", topP, 0, true, 1, false,
                topP == 0 ? "top_p 1 turns it off; for greedy decoding use SamplingParams.greedy()" : null);
        topK = intAtLeast("top_k", topK, -1, "0 or -1 turns top-k off");
        if (topK == -1) {
            topK = 0;
        }
        minP = in("min_p", minP, 0, false, 1, false, null);
        typicalP = in("typical_p", typicalP, 0, true, 1, false, null);
        presencePenalty = in("presence_penalty", presencePenalty, -2, false, 2, false, null);
        frequencyPenalty = in("frequency_penalty", frequencyPenalty, -2, false, 2, false, null);
        repetitionPenalty = finiteAtLeast("repetition_penalty", repetitionPenalty, 0, true,
                repetitionPenalty <= 0 ? "1 means no penalty" : null);
        if (seed == null || (seed.isPresent() && seed.getAsLong() == -1)) {
            seed = OptionalLong.empty();
        }
        intIn("n", n, 1, MAX_N);
        if (n != 1 && temperature < GREEDY_EPSILON) {
            throw new IllegalArgumentException(
                    "n must be 1 when sampling greedily (temperature < 1e-5), but is: " + n);
        }
        intAtLeast("max_tokens", maxTokens, 1, null);
        if (minTokens < 0 || minTokens > maxTokens) {
            throw bad("min_tokens", "in [0, max_tokens] = [0, " + maxTokens + "]", minTokens, null);
        }
        stopTokenIds = List.copyOf(new LinkedHashSet<>(tokenIds("stop_token_ids", stopTokenIds)));
        logitBias = logitBias(logitBias);
        allowedTokenIds = List.copyOf(tokenIds("allowed_token_ids", allowedTokenIds));
        badWords = sequences("bad_words", badWords);
        if (logprobs == null) {
            logprobs = OptionalInt.empty();
        } else if (logprobs.isPresent()) {
            intIn("logprobs", logprobs.getAsInt(), 0, MAX_LOGPROBS);
        }
        epsilonCutoff = in("epsilon_cutoff", epsilonCutoff, 0, false, 1, true, null);
        etaCutoff = in("eta_cutoff", etaCutoff, 0, false, 1, true, null);
        if (!Double.isFinite(topNSigma)) {
            throw bad("top_n_sigma", "finite (any value <= 0 turns it off)", num(topNSigma), null);
        }
        if (topNSigma <= 0) {
            topNSigma = -1;
        }
        xtcThreshold = in("xtc_threshold", xtcThreshold, 0, false, 1, false, null);
        xtcProbability = in("xtc_probability", xtcProbability, 0, false, 1, false, null);
        dryMultiplier = finiteAtLeast("dry_multiplier", dryMultiplier, 0, false, null);
        dryBase = finiteAtLeast("dry_base", dryBase, 1, false, null);
        intAtLeast("dry_allowed_length", dryAllowedLength, 1, null);
        intAtLeast("dry_penalty_last_n", dryPenaltyLastN, -1, null);
        drySequenceBreakers = sequences("dry_sequence_breakers", drySequenceBreakers);
        intAtLeast("no_repeat_ngram_size", noRepeatNgramSize, 0, null);
        intAtLeast("penalty_last_n", penaltyLastN, -1, null);
        if (mirostat < 0 || mirostat > 2) {
            throw bad("mirostat", "0, 1 or 2", mirostat, null);
        }
        mirostatTau = finiteAtLeast("mirostat_tau", mirostatTau, 0, true, null);
        mirostatEta = finiteAtLeast("mirostat_eta", mirostatEta, 0, true, null);
        dynatempRange = finiteAtLeast("dynatemp_range", dynatempRange, 0, false, null);
        dynatempExponent = finiteAtLeast("dynatemp_exponent", dynatempExponent, 0, true, null);
        intAtLeast("min_tokens_to_keep", minTokensToKeep, 1, null);
        if (order == null) {
            throw bad("order", "one of " + orderIds(), null, null);
        }
    }

    // ---------------------------------------------------------------- presets

    /** Every component at its default: vLLM's defaults, with the extras turned off. */
    public static SamplingParams defaults() {
        return DEFAULTS;
    }

    /** The defaults with temperature 0: the argmax after penalties and bias. */
    public static SamplingParams greedy() {
        return GREEDY;
    }

    /**
     * llama.cpp's {@code common_params_sampling} defaults: temperature 0.8, top_k 40, top_p 0.95,
     * min_p 0.05, penalty_last_n 64, dry_penalty_last_n 64, xtc_threshold 0.1, order
     * {@link ProcessorOrder#LLAMA_CPP}. max_tokens stays 16 (llama.cpp's -1 means unlimited) and
     * min_tokens_to_keep stays 1 (llama.cpp's 0 keeps one token anyway).
     */
    public static SamplingParams llamaCppDefaults() {
        return LLAMA_CPP_DEFAULTS;
    }

    /** transformers' {@code GenerationConfig} defaults: top_k 50, order {@link ProcessorOrder#TRANSFORMERS}. */
    public static SamplingParams transformersDefaults() {
        return TRANSFORMERS_DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ---------------------------------------------------------------- derived

    /** True when temperature &lt; {@value #GREEDY_EPSILON}: the sampler takes the argmax. */
    public boolean isGreedy() {
        return temperature < GREEDY_EPSILON;
    }

    /** These params with the given seed; {@code -1} means no seed (vLLM convention). */
    public SamplingParams withSeed(long seed) {
        return toBuilder().seed(seed).build();
    }

    /**
     * The params of child {@code i} when a request with {@code n > 1} is split into {@code n}
     * single-output requests, as vLLM's {@code ParentRequest} does: {@code n = 1}, and when seeded
     * the seed is {@code seed + i} (wrapping on overflow) so every child draws differently but
     * reproducibly; unseeded children share the same params.
     *
     * @throws IllegalArgumentException if {@code i} is not in [0, n), or if {@code seed + i} is -1,
     *     which would mean "no seed" (only for a negative parent seed in [-n, -2])
     */
    public SamplingParams forChild(int i) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException("child index must be in [0, " + n + "), but is: " + i);
        }
        if (seed.isEmpty()) {
            return n == 1 ? this : toBuilder().n(1).build();
        }
        long childSeed = seed.getAsLong() + i;
        if (childSeed == -1) {
            throw new IllegalArgumentException("child " + i + " of seed " + seed.getAsLong()
                    + " would get seed -1, which means no seed; use a parent seed outside ["
                    + (-n) + ", -2]");
        }
        return toBuilder().n(1).seed(childSeed).build();
    }

    // ---------------------------------------------------------------- maps

    /**
     * The components under their JSON names, in declaration order. {@code seed} and {@code logprobs}
     * are a {@link Long} / {@link Integer} or {@code null}; {@code order} is its {@link ProcessorOrder#id()};
     * {@code logit_bias} has string keys, as in JSON. Every call returns new, mutable collections
     * owned by the caller.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("temperature", temperature);
        m.put("top_p", topP);
        m.put("top_k", topK);
        m.put("min_p", minP);
        m.put("typical_p", typicalP);
        m.put("presence_penalty", presencePenalty);
        m.put("frequency_penalty", frequencyPenalty);
        m.put("repetition_penalty", repetitionPenalty);
        m.put("seed", seed.isPresent() ? seed.getAsLong() : null);
        m.put("n", n);
        m.put("max_tokens", maxTokens);
        m.put("min_tokens", minTokens);
        m.put("stop_token_ids", new ArrayList<>(stopTokenIds));
        Map<String, Double> bias = new LinkedHashMap<>();
        logitBias.forEach((k, v) -> bias.put(String.valueOf(k), v));
        m.put("logit_bias", bias);
        m.put("allowed_token_ids", new ArrayList<>(allowedTokenIds));
        m.put("bad_words", mutableCopy(badWords));
        m.put("logprobs", logprobs.isPresent() ? logprobs.getAsInt() : null);
        m.put("epsilon_cutoff", epsilonCutoff);
        m.put("eta_cutoff", etaCutoff);
        m.put("top_n_sigma", topNSigma);
        m.put("xtc_threshold", xtcThreshold);
        m.put("xtc_probability", xtcProbability);
        m.put("dry_multiplier", dryMultiplier);
        m.put("dry_base", dryBase);
        m.put("dry_allowed_length", dryAllowedLength);
        m.put("dry_penalty_last_n", dryPenaltyLastN);
        m.put("dry_sequence_breakers", mutableCopy(drySequenceBreakers));
        m.put("no_repeat_ngram_size", noRepeatNgramSize);
        m.put("penalty_last_n", penaltyLastN);
        m.put("mirostat", mirostat);
        m.put("mirostat_tau", mirostatTau);
        m.put("mirostat_eta", mirostatEta);
        m.put("dynatemp_range", dynatempRange);
        m.put("dynatemp_exponent", dynatempExponent);
        m.put("min_tokens_to_keep", minTokensToKeep);
        m.put("order", order.id());
        return m;
    }

    /**
     * Reads params from a parsed JSON object: keys are the JSON names of {@link #toMap()}, absent
     * keys and {@code null} values keep the default. Numbers may be any {@link Number}; an integer
     * field given a fractional number is an error. {@code seed} null or -1 means no seed;
     * {@code logit_bias} keys may be strings or numbers; {@code order} is parsed with
     * {@link ProcessorOrder#parse}. {@code fromMap(p.toMap())} equals {@code p}.
     *
     * @throws IllegalArgumentException for an unknown key (listing the known ones), a value of the
     *     wrong type (naming the field and the expected type), or an invalid value
     */
    public static SamplingParams fromMap(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        Builder b = new Builder();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k == null || !NAMES.contains(k)) {
                throw new IllegalArgumentException("Unknown sampling parameter '" + k + "'; known: " + NAMES);
            }
            if (v == null) {
                continue;
            }
            switch (k) {
                case "temperature" -> b.temperature(toDouble(k, v));
                case "top_p" -> b.topP(toDouble(k, v));
                case "top_k" -> b.topK(toInt(k, v));
                case "min_p" -> b.minP(toDouble(k, v));
                case "typical_p" -> b.typicalP(toDouble(k, v));
                case "presence_penalty" -> b.presencePenalty(toDouble(k, v));
                case "frequency_penalty" -> b.frequencyPenalty(toDouble(k, v));
                case "repetition_penalty" -> b.repetitionPenalty(toDouble(k, v));
                case "seed" -> b.seed(toLong(k, v));
                case "n" -> b.n(toInt(k, v));
                case "max_tokens" -> b.maxTokens(toInt(k, v));
                case "min_tokens" -> b.minTokens(toInt(k, v));
                case "stop_token_ids" -> b.stopTokenIds(toIntList(k, v));
                case "logit_bias" -> b.logitBias(toBiasMap(v));
                case "allowed_token_ids" -> b.allowedTokenIds(toIntList(k, v));
                case "bad_words" -> b.badWords(toIntLists(k, v));
                case "logprobs" -> b.logprobs(toInt(k, v));
                case "epsilon_cutoff" -> b.epsilonCutoff(toDouble(k, v));
                case "eta_cutoff" -> b.etaCutoff(toDouble(k, v));
                case "top_n_sigma" -> b.topNSigma(toDouble(k, v));
                case "xtc_threshold" -> b.xtcThreshold(toDouble(k, v));
                case "xtc_probability" -> b.xtcProbability(toDouble(k, v));
                case "dry_multiplier" -> b.dryMultiplier(toDouble(k, v));
                case "dry_base" -> b.dryBase(toDouble(k, v));
                case "dry_allowed_length" -> b.dryAllowedLength(toInt(k, v));
                case "dry_penalty_last_n" -> b.dryPenaltyLastN(toInt(k, v));
                case "dry_sequence_breakers" -> b.drySequenceBreakers(toIntLists(k, v));
                case "no_repeat_ngram_size" -> b.noRepeatNgramSize(toInt(k, v));
                case "penalty_last_n" -> b.penaltyLastN(toInt(k, v));
                case "mirostat" -> b.mirostat(toInt(k, v));
                case "mirostat_tau" -> b.mirostatTau(toDouble(k, v));
                case "mirostat_eta" -> b.mirostatEta(toDouble(k, v));
                case "dynatemp_range" -> b.dynatempRange(toDouble(k, v));
                case "dynatemp_exponent" -> b.dynatempExponent(toDouble(k, v));
                case "min_tokens_to_keep" -> b.minTokensToKeep(toInt(k, v));
                case "order" -> b.order(toOrder(v));
                default -> throw new AssertionError("NAMES and fromMap disagree on " + k);
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------- text

    /**
     * The components that differ from {@link #defaults()}, as {@code name=value} with JSON names in
     * declaration order, e.g. {@code "temperature=0.7, top_p=0.9, seed=42"}; {@code "defaults"}
     * when none differ. Doubles are written without trailing zeros.
     */
    public String describe() {
        Map<String, Object> mine = toMap();
        Map<String, Object> base = DEFAULTS.toMap();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            if (!Objects.equals(e.getValue(), base.get(e.getKey()))) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(e.getKey()).append('=').append(show(e.getValue()));
            }
        }
        return sb.length() == 0 ? "defaults" : sb.toString();
    }

    /** {@code SamplingParams[<describe()>]}. */
    @Override
    public String toString() {
        return "SamplingParams[" + describe() + "]";
    }

    // ---------------------------------------------------------------- builder

    /**
     * Mutable, not thread-safe; {@link #build()} validates. Starts at {@link #defaults()}.
     * Collection setters copy nothing until {@code build()}, which takes the copy.
     */
    public static final class Builder {
        private double temperature = 1.0;
        private double topP = 1.0;
        private int topK = 0;
        private double minP = 0;
        private double typicalP = 1.0;
        private double presencePenalty = 0;
        private double frequencyPenalty = 0;
        private double repetitionPenalty = 1.0;
        private OptionalLong seed = OptionalLong.empty();
        private int n = 1;
        private int maxTokens = 16;
        private int minTokens = 0;
        private List<Integer> stopTokenIds = List.of();
        private Map<Integer, Double> logitBias = Map.of();
        private List<Integer> allowedTokenIds = List.of();
        private List<List<Integer>> badWords = List.of();
        private OptionalInt logprobs = OptionalInt.empty();
        private double epsilonCutoff = 0;
        private double etaCutoff = 0;
        private double topNSigma = -1;
        private double xtcThreshold = 0.1;
        private double xtcProbability = 0;
        private double dryMultiplier = 0;
        private double dryBase = 1.75;
        private int dryAllowedLength = 2;
        private int dryPenaltyLastN = -1;
        private List<List<Integer>> drySequenceBreakers = List.of();
        private int noRepeatNgramSize = 0;
        private int penaltyLastN = -1;
        private int mirostat = 0;
        private double mirostatTau = 5.0;
        private double mirostatEta = 0.1;
        private double dynatempRange = 0;
        private double dynatempExponent = 1.0;
        private int minTokensToKeep = 1;
        private ProcessorOrder order = ProcessorOrder.VLLM;

        private Builder() {
        }

        private Builder(SamplingParams p) {
            temperature = p.temperature;
            topP = p.topP;
            topK = p.topK;
            minP = p.minP;
            typicalP = p.typicalP;
            presencePenalty = p.presencePenalty;
            frequencyPenalty = p.frequencyPenalty;
            repetitionPenalty = p.repetitionPenalty;
            seed = p.seed;
            n = p.n;
            maxTokens = p.maxTokens;
            minTokens = p.minTokens;
            stopTokenIds = p.stopTokenIds;
            logitBias = p.logitBias;
            allowedTokenIds = p.allowedTokenIds;
            badWords = p.badWords;
            logprobs = p.logprobs;
            epsilonCutoff = p.epsilonCutoff;
            etaCutoff = p.etaCutoff;
            topNSigma = p.topNSigma;
            xtcThreshold = p.xtcThreshold;
            xtcProbability = p.xtcProbability;
            dryMultiplier = p.dryMultiplier;
            dryBase = p.dryBase;
            dryAllowedLength = p.dryAllowedLength;
            dryPenaltyLastN = p.dryPenaltyLastN;
            drySequenceBreakers = p.drySequenceBreakers;
            noRepeatNgramSize = p.noRepeatNgramSize;
            penaltyLastN = p.penaltyLastN;
            mirostat = p.mirostat;
            mirostatTau = p.mirostatTau;
            mirostatEta = p.mirostatEta;
            dynatempRange = p.dynatempRange;
            dynatempExponent = p.dynatempExponent;
            minTokensToKeep = p.minTokensToKeep;
            order = p.order;
        }

        /** 0 (or anything below {@value SamplingParams#GREEDY_EPSILON}) means greedy. */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder topP(double topP) {
            this.topP = topP;
            return this;
        }

        /** 0 or -1 turns top-k off. */
        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder minP(double minP) {
            this.minP = minP;
            return this;
        }

        public Builder typicalP(double typicalP) {
            this.typicalP = typicalP;
            return this;
        }

        public Builder presencePenalty(double presencePenalty) {
            this.presencePenalty = presencePenalty;
            return this;
        }

        public Builder frequencyPenalty(double frequencyPenalty) {
            this.frequencyPenalty = frequencyPenalty;
            return this;
        }

        public Builder repetitionPenalty(double repetitionPenalty) {
            this.repetitionPenalty = repetitionPenalty;
            return this;
        }

        /** -1 means no seed (vLLM convention). */
        public Builder seed(long seed) {
            this.seed = seed == -1 ? OptionalLong.empty() : OptionalLong.of(seed);
            return this;
        }

        /** Empty (or null, or -1) means no seed. */
        public Builder seed(OptionalLong seed) {
            this.seed = seed;
            return this;
        }

        public Builder n(int n) {
            this.n = n;
            return this;
        }

        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        public Builder minTokens(int minTokens) {
            this.minTokens = minTokens;
            return this;
        }

        public Builder stopTokenIds(List<Integer> stopTokenIds) {
            this.stopTokenIds = stopTokenIds;
            return this;
        }

        /** Values are clamped to [-100, 100] by {@link #build()}. */
        public Builder logitBias(Map<Integer, Double> logitBias) {
            this.logitBias = logitBias;
            return this;
        }

        /** Empty means every token is allowed. */
        public Builder allowedTokenIds(List<Integer> allowedTokenIds) {
            this.allowedTokenIds = allowedTokenIds;
            return this;
        }

        public Builder badWords(List<List<Integer>> badWords) {
            this.badWords = badWords;
            return this;
        }

        /** Number of top alternatives returned besides the sampled token. */
        public Builder logprobs(int logprobs) {
            this.logprobs = OptionalInt.of(logprobs);
            return this;
        }

        /** Empty (or null) means no logprobs. */
        public Builder logprobs(OptionalInt logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        public Builder epsilonCutoff(double epsilonCutoff) {
            this.epsilonCutoff = epsilonCutoff;
            return this;
        }

        public Builder etaCutoff(double etaCutoff) {
            this.etaCutoff = etaCutoff;
            return this;
        }

        /** Any value &lt;= 0 turns it off (stored as -1). */
        public Builder topNSigma(double topNSigma) {
            this.topNSigma = topNSigma;
            return this;
        }

        public Builder xtcThreshold(double xtcThreshold) {
            this.xtcThreshold = xtcThreshold;
            return this;
        }

        public Builder xtcProbability(double xtcProbability) {
            this.xtcProbability = xtcProbability;
            return this;
        }

        public Builder dryMultiplier(double dryMultiplier) {
            this.dryMultiplier = dryMultiplier;
            return this;
        }

        public Builder dryBase(double dryBase) {
            this.dryBase = dryBase;
            return this;
        }

        public Builder dryAllowedLength(int dryAllowedLength) {
            this.dryAllowedLength = dryAllowedLength;
            return this;
        }

        public Builder dryPenaltyLastN(int dryPenaltyLastN) {
            this.dryPenaltyLastN = dryPenaltyLastN;
            return this;
        }

        public Builder drySequenceBreakers(List<List<Integer>> drySequenceBreakers) {
            this.drySequenceBreakers = drySequenceBreakers;
            return this;
        }

        public Builder noRepeatNgramSize(int noRepeatNgramSize) {
            this.noRepeatNgramSize = noRepeatNgramSize;
            return this;
        }

        public Builder penaltyLastN(int penaltyLastN) {
            this.penaltyLastN = penaltyLastN;
            return this;
        }

        public Builder mirostat(int mirostat) {
            this.mirostat = mirostat;
            return this;
        }

        public Builder mirostatTau(double mirostatTau) {
            this.mirostatTau = mirostatTau;
            return this;
        }

        public Builder mirostatEta(double mirostatEta) {
            this.mirostatEta = mirostatEta;
            return this;
        }

        public Builder dynatempRange(double dynatempRange) {
            this.dynatempRange = dynatempRange;
            return this;
        }

        public Builder dynatempExponent(double dynatempExponent) {
            this.dynatempExponent = dynatempExponent;
            return this;
        }

        public Builder minTokensToKeep(int minTokensToKeep) {
            this.minTokensToKeep = minTokensToKeep;
            return this;
        }

        public Builder order(ProcessorOrder order) {
            this.order = order;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid component */
        public SamplingParams build() {
            return new SamplingParams(temperature, topP, topK, minP, typicalP,
                    presencePenalty, frequencyPenalty, repetitionPenalty,
                    seed, n, maxTokens, minTokens,
                    stopTokenIds, logitBias, allowedTokenIds, badWords, logprobs,
                    epsilonCutoff, etaCutoff, topNSigma, xtcThreshold, xtcProbability,
                    dryMultiplier, dryBase, dryAllowedLength, dryPenaltyLastN,
                    drySequenceBreakers, noRepeatNgramSize, penaltyLastN,
                    mirostat, mirostatTau, mirostatEta, dynatempRange, dynatempExponent,
                    minTokensToKeep, order);
        }
    }

    // ---------------------------------------------------------------- validation helpers

    private static IllegalArgumentException bad(String name, String range, Object value, String hint) {
        return new IllegalArgumentException(name + " must be " + range + ", but is: " + value
                + (hint == null ? "" : " (" + hint + ")"));
    }

    /** Checks {@code v} in the interval; returns it with -0.0 folded into 0.0. */
    private static double in(String name, double v, double lo, boolean loOpen, double hi, boolean hiOpen,
                             String hint) {
        boolean ok = (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
        if (!ok) {
            String range = "in " + (loOpen ? "(" : "[") + num(lo) + ", " + num(hi) + (hiOpen ? ")" : "]");
            throw bad(name, range, num(v), hint);
        }
        return v + 0.0;
    }

    private static double finiteAtLeast(String name, double v, double lo, boolean strict, String hint) {
        if (!Double.isFinite(v) || (strict ? v <= lo : v < lo)) {
            throw bad(name, "finite and " + (strict ? "> " : ">= ") + num(lo), num(v), hint);
        }
        return v + 0.0;
    }

    private static int intAtLeast(String name, int v, int lo, String hint) {
        if (v < lo) {
            throw bad(name, ">= " + lo, v, hint);
        }
        return v;
    }

    private static void intIn(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw bad(name, "in [" + lo + ", " + hi + "]", v, null);
        }
    }

    /** A validated copy (null → empty); elements are checked on the copy, not the caller's list. */
    private static List<Integer> tokenIds(String name, Collection<Integer> ids) {
        if (ids == null) {
            return List.of();
        }
        List<Integer> copy = new ArrayList<>(ids);
        for (int i = 0; i < copy.size(); i++) {
            Integer id = copy.get(i);
            if (id == null || id < 0) {
                throw bad(name + "[" + i + "]", ">= 0", id, null);
            }
        }
        return copy;
    }

    private static List<List<Integer>> sequences(String name, List<List<Integer>> seqs) {
        if (seqs == null) {
            return List.of();
        }
        List<List<Integer>> copy = new ArrayList<>(seqs);
        for (int i = 0; i < copy.size(); i++) {
            List<Integer> s = copy.get(i);
            if (s == null || s.isEmpty()) {
                throw bad(name + "[" + i + "]", "a non-empty token-id sequence", s, null);
            }
            copy.set(i, List.copyOf(tokenIds(name + "[" + i + "]", s)));
        }
        return List.copyOf(copy);
    }

    private static Map<Integer, Double> logitBias(Map<Integer, Double> bias) {
        if (bias == null) {
            return Map.of();
        }
        Map<Integer, Double> copy = new LinkedHashMap<>(bias);
        for (Map.Entry<Integer, Double> e : copy.entrySet()) {
            Integer id = e.getKey();
            if (id == null || id < 0) {
                throw bad("logit_bias key", ">= 0", id, null);
            }
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                throw bad("logit_bias[" + id + "]", "finite", v == null ? null : num(v), null);
            }
            e.setValue(Math.max(-LOGIT_BIAS_LIMIT, Math.min(LOGIT_BIAS_LIMIT, v)) + 0.0);
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<String> orderIds() {
        List<String> ids = new ArrayList<>();
        for (ProcessorOrder o : ProcessorOrder.values()) {
            ids.add(o.id());
        }
        return ids;
    }

    // ---------------------------------------------------------------- fromMap conversions

    /** {@code <name> must be <expected>, but is a string: "0.7"}, naming the value's JSON kind. */
    private static IllegalArgumentException wrongType(String name, String expected, Object v) {
        String kind = v instanceof String ? "a string"
                : v instanceof Boolean ? "a boolean"
                : v instanceof Number ? "a number"
                : v instanceof Collection ? "a list"
                : v instanceof Map ? "an object"
                : "a " + v.getClass().getName();
        String shown = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
        return new IllegalArgumentException(name + " must be " + expected + ", but is " + kind + ": " + shown);
    }

    private static double toDouble(String name, Object v) {
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        throw wrongType(name, "a number", v);
    }

    private static long toLong(String name, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger big) {
            if (big.bitLength() <= 63) {
                return big.longValue();
            }
            throw new IllegalArgumentException(name + " must be a 64-bit integer, but is: " + big);
        }
        if (v instanceof BigDecimal dec) {
            if (dec.signum() != 0 && dec.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException(name + " must be an integer, but is: " + dec);
            }
            try {
                return dec.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(name + " must be a 64-bit integer, but is: " + dec);
            }
        }
        if (v instanceof Number num) {
            double d = num.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(name + " must be an integer, but is: " + num(d));
            }
            if (d < -0x1p63 || d >= 0x1p63) {
                throw new IllegalArgumentException(name + " must be a 64-bit integer, but is: " + num(d));
            }
            return (long) d;
        }
        throw wrongType(name, "an integer", v);
    }

    private static int toInt(String name, Object v) {
        long l = toLong(name, v);
        if (l != (int) l) {
            throw new IllegalArgumentException(name + " must be a 32-bit integer, but is: " + l);
        }
        return (int) l;
    }

    private static List<Integer> toIntList(String name, Object v) {
        if (!(v instanceof Collection<?> c)) {
            throw wrongType(name, "a list of integers", v);
        }
        List<Integer> out = new ArrayList<>(c.size());
        int i = 0;
        for (Object o : c) {
            String at = name + "[" + i++ + "]";
            if (o == null) {
                throw bad(at, ">= 0", null, null);
            }
            out.add(toInt(at, o));
        }
        return out;
    }

    private static List<List<Integer>> toIntLists(String name, Object v) {
        if (!(v instanceof Collection<?> c)) {
            throw wrongType(name, "a list of lists of integers", v);
        }
        List<List<Integer>> out = new ArrayList<>(c.size());
        int i = 0;
        for (Object o : c) {
            String at = name + "[" + i++ + "]";
            if (o == null) {
                throw bad(at, "a non-empty token-id sequence", null, null);
            }
            out.add(toIntList(at, o));
        }
        return out;
    }

    private static Map<Integer, Double> toBiasMap(Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw wrongType("logit_bias", "a map from token id to number", v);
        }
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            Object key = e.getKey();
            int id;
            if (key instanceof String s) {
                try {
                    id = Integer.parseInt(s.trim());
                } catch (NumberFormatException ex) {
                    throw wrongType("logit_bias key", "an integer token id", s);
                }
            } else if (key == null) {
                throw bad("logit_bias key", ">= 0", null, null);
            } else {
                id = toInt("logit_bias key", key);
            }
            Object value = e.getValue();
            if (value == null) {
                throw bad("logit_bias[" + id + "]", "finite", null, null);
            }
            if (out.put(id, toDouble("logit_bias[" + id + "]", value)) != null) {
                throw new IllegalArgumentException("logit_bias has token id " + id + " more than once");
            }
        }
        return out;
    }

    private static ProcessorOrder toOrder(Object v) {
        if (v instanceof ProcessorOrder o) {
            return o;
        }
        if (v instanceof String s) {
            return ProcessorOrder.parse(s);
        }
        throw wrongType("order", "a string, one of " + orderIds(), v);
    }

    // ---------------------------------------------------------------- formatting

    /** Shortest round-tripping decimal without a trailing ".0": 0.7, 1, 1E-7, NaN, -Infinity. */
    static String num(double d) {
        return Double.toString(d).replace(".0E", "E").replaceFirst("\\.0$", "");
    }

    private static String show(Object v) {
        if (v instanceof Double d) {
            return num(d);
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (Object o : list) {
                sb.append(sb.length() > 1 ? ", " : "").append(show(o));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append(": ").append(show(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }

    private static List<List<Integer>> mutableCopy(List<List<Integer>> seqs) {
        List<List<Integer>> out = new ArrayList<>(seqs.size());
        for (List<Integer> s : seqs) {
            out.add(new ArrayList<>(s));
        }
        return out;
    }
}
