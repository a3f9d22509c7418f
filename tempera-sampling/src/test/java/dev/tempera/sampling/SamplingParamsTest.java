package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.tempera.sampling.SamplingParams.Builder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SamplingParamsTest {

    // ------------------------------------------------------------------ defaults

    @Test
    void defaultsMatchTheTable() {
        SamplingParams p = SamplingParams.defaults();
        assertThat(p.temperature()).isEqualTo(1.0);
        assertThat(p.topP()).isEqualTo(1.0);
        assertThat(p.topK()).isZero();
        assertThat(p.minP()).isZero();
        assertThat(p.typicalP()).isEqualTo(1.0);
        assertThat(p.presencePenalty()).isZero();
        assertThat(p.frequencyPenalty()).isZero();
        assertThat(p.repetitionPenalty()).isEqualTo(1.0);
        assertThat(p.seed()).isEmpty();
        assertThat(p.n()).isEqualTo(1);
        assertThat(p.maxTokens()).isEqualTo(16);
        assertThat(p.minTokens()).isZero();
        assertThat(p.stopTokenIds()).isEmpty();
        assertThat(p.logitBias()).isEmpty();
        assertThat(p.allowedTokenIds()).isEmpty();
        assertThat(p.badWords()).isEmpty();
        assertThat(p.logprobs()).isEmpty();
        assertThat(p.epsilonCutoff()).isZero();
        assertThat(p.etaCutoff()).isZero();
        assertThat(p.topNSigma()).isEqualTo(-1.0);
        assertThat(p.xtcThreshold()).isEqualTo(0.1);
        assertThat(p.xtcProbability()).isZero();
        assertThat(p.dryMultiplier()).isZero();
        assertThat(p.dryBase()).isEqualTo(1.75);
        assertThat(p.dryAllowedLength()).isEqualTo(2);
        assertThat(p.dryPenaltyLastN()).isEqualTo(-1);
        assertThat(p.drySequenceBreakers()).isEmpty();
        assertThat(p.noRepeatNgramSize()).isZero();
        assertThat(p.penaltyLastN()).isEqualTo(-1);
        assertThat(p.mirostat()).isZero();
        assertThat(p.mirostatTau()).isEqualTo(5.0);
        assertThat(p.mirostatEta()).isEqualTo(0.1);
        assertThat(p.dynatempRange()).isZero();
        assertThat(p.dynatempExponent()).isEqualTo(1.0);
        assertThat(p.minTokensToKeep()).isEqualTo(1);
        assertThat(p.order()).isEqualTo(ProcessorOrder.VLLM);
        assertThat(p.isGreedy()).isFalse();
    }

    @Test
    void emptyBuilderBuildsTheDefaults() {
        assertThat(SamplingParams.builder().build()).isEqualTo(SamplingParams.defaults());
    }

    @Test
    void toBuilderThenBuildGivesEqualParams() {
        SamplingParams p = loaded();
        assertThat(p.toBuilder().build()).isEqualTo(p);
    }

    // ------------------------------------------------------------------ ranges

    /*
     * Bad inputs tried for every field, where the type allows: negative, NaN, +Infinity, -Infinity,
     * just below the lower bound, just above the upper bound, and the bound itself (0 mostly) where
     * the bound is exclusive. Each literal below is both the input and how the message prints it.
     */
    static Stream<Arguments> outOfRange() {
        List<Arguments> a = new ArrayList<>();
        String greedyHint = " (temperature 0 means greedy: use SamplingParams.greedy())";
        rejectDoubles(a, "temperature", Builder::temperature, "finite and >= 0", "NaN", "Infinity");
        // Negative temperatures, the usual attempt at greedy, get the hint.
        a.add(rejected("temperature=-0.5", b -> b.temperature(-0.5),
                "temperature must be finite and >= 0, but is: -0.5" + greedyHint));
        a.add(rejected("temperature=-Infinity", b -> b.temperature(Double.NEGATIVE_INFINITY),
                "temperature must be finite and >= 0, but is: -Infinity" + greedyHint));
        rejectDoubles(a, "top_p", Builder::topP, "in (0, 1]",
                "-0.5", "1.0000001", "1.5", "NaN", "Infinity", "-Infinity");
        // top_p = 0 is the other usual attempt at greedy.
        a.add(rejected("top_p=0", b -> b.topP(0),
                "top_p must be in (0, 1], but is: 0 (top_p 1 turns it off; for greedy decoding use SamplingParams.greedy())"));
        rejectInts(a, "top_k", Builder::topK, ">= -1", " (0 or -1 turns top-k off)", -2, Integer.MIN_VALUE);
        rejectDoubles(a, "min_p", Builder::minP, "in [0, 1]", "-0.001", "1.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "typical_p", Builder::typicalP, "in (0, 1]",
                "0", "-0.5", "1.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "presence_penalty", Builder::presencePenalty, "in [-2, 2]",
                "-2.001", "2.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "frequency_penalty", Builder::frequencyPenalty, "in [-2, 2]",
                "-2.001", "2.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "repetition_penalty", Builder::repetitionPenalty, "finite and > 0", "NaN", "Infinity");
        a.add(rejected("repetition_penalty=0", b -> b.repetitionPenalty(0),
                "repetition_penalty must be finite and > 0, but is: 0 (1 means no penalty)"));
        a.add(rejected("repetition_penalty=-1", b -> b.repetitionPenalty(-1),
                "repetition_penalty must be finite and > 0, but is: -1 (1 means no penalty)"));
        rejectInts(a, "n", Builder::n, "in [1, 16384]", "", 0, -1, 16385);
        rejectInts(a, "max_tokens", Builder::maxTokens, ">= 1", "", 0, -1);
        rejectInts(a, "min_tokens", Builder::minTokens, "in [0, max_tokens] = [0, 16]", "", -1, 17);
        rejectInts(a, "logprobs", Builder::logprobs, "in [0, 1000]", "", -1, 1001);
        rejectDoubles(a, "epsilon_cutoff", Builder::epsilonCutoff, "in [0, 1)",
                "-0.001", "1", "1.5", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "eta_cutoff", Builder::etaCutoff, "in [0, 1)",
                "-0.001", "1", "1.5", "NaN", "Infinity", "-Infinity");
        // Every finite top_n_sigma is valid (<= 0 means off), so only the non-finite ones fail.
        rejectDoubles(a, "top_n_sigma", Builder::topNSigma, "finite (any value <= 0 turns it off)",
                "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "xtc_threshold", Builder::xtcThreshold, "in [0, 1]",
                "-0.001", "1.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "xtc_probability", Builder::xtcProbability, "in [0, 1]",
                "-0.001", "1.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "dry_multiplier", Builder::dryMultiplier, "finite and >= 0",
                "-0.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "dry_base", Builder::dryBase, "finite and >= 1",
                "0.999", "0", "-1", "NaN", "Infinity", "-Infinity");
        rejectInts(a, "dry_allowed_length", Builder::dryAllowedLength, ">= 1", "", 0, -1);
        rejectInts(a, "dry_penalty_last_n", Builder::dryPenaltyLastN, ">= -1", "", -2);
        rejectInts(a, "no_repeat_ngram_size", Builder::noRepeatNgramSize, ">= 0", "", -1);
        rejectInts(a, "penalty_last_n", Builder::penaltyLastN, ">= -1", "", -2);
        rejectInts(a, "mirostat", Builder::mirostat, "0, 1 or 2", "", -1, 3);
        rejectDoubles(a, "mirostat_tau", Builder::mirostatTau, "finite and > 0",
                "0", "-1", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "mirostat_eta", Builder::mirostatEta, "finite and > 0",
                "0", "-1", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "dynatemp_range", Builder::dynatempRange, "finite and >= 0",
                "-0.001", "NaN", "Infinity", "-Infinity");
        rejectDoubles(a, "dynatemp_exponent", Builder::dynatempExponent, "finite and > 0",
                "0", "-1", "NaN", "Infinity", "-Infinity");
        rejectInts(a, "min_tokens_to_keep", Builder::minTokensToKeep, ">= 1", "", 0, -1);
        a.add(rejected("order=null", b -> b.order(null),
                "order must be one of [vllm, transformers, llama.cpp], but is: null"));

        // Collections: the message names the offending element by index (or key).
        a.add(rejected("stop_token_ids negative", b -> b.stopTokenIds(List.of(2, -1)),
                "stop_token_ids[1] must be >= 0, but is: -1"));
        a.add(rejected("stop_token_ids null element", b -> b.stopTokenIds(Arrays.asList(2, null)),
                "stop_token_ids[1] must be >= 0, but is: null"));
        a.add(rejected("allowed_token_ids negative", b -> b.allowedTokenIds(List.of(-7)),
                "allowed_token_ids[0] must be >= 0, but is: -7"));
        a.add(rejected("bad_words empty sequence", b -> b.badWords(List.of(List.of(1, 2), List.of())),
                "bad_words[1] must be a non-empty token-id sequence, but is: []"));
        a.add(rejected("bad_words negative id", b -> b.badWords(List.of(List.of(1, -2))),
                "bad_words[0][1] must be >= 0, but is: -2"));
        a.add(rejected("dry_sequence_breakers empty sequence", b -> b.drySequenceBreakers(List.of(List.of())),
                "dry_sequence_breakers[0] must be a non-empty token-id sequence, but is: []"));
        a.add(rejected("dry_sequence_breakers negative id", b -> b.drySequenceBreakers(List.of(List.of(-1))),
                "dry_sequence_breakers[0][0] must be >= 0, but is: -1"));
        a.add(rejected("logit_bias negative key", b -> b.logitBias(Map.of(-3, 1.0)),
                "logit_bias key must be >= 0, but is: -3"));
        a.add(rejected("logit_bias NaN value", b -> b.logitBias(Map.of(5, Double.NaN)),
                "logit_bias[5] must be finite, but is: NaN"));
        a.add(rejected("logit_bias infinite value", b -> b.logitBias(Map.of(5, Double.NEGATIVE_INFINITY)),
                "logit_bias[5] must be finite, but is: -Infinity"));
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void outOfRangeValueIsRejectedWithNameRangeAndValue(String label, UnaryOperator<Builder> set, String message) {
        assertThatThrownBy(() -> set.apply(SamplingParams.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> rangeBounds() {
        List<Arguments> a = new ArrayList<>();
        accept(a, "temperature", Builder::temperature, SamplingParams::temperature, 0.0, 1e-6, 2.0, 1e6);
        accept(a, "top_p", Builder::topP, SamplingParams::topP, Double.MIN_VALUE, 1.0);
        accept(a, "top_k", Builder::topK, SamplingParams::topK, 0, 1, Integer.MAX_VALUE);
        accept(a, "min_p", Builder::minP, SamplingParams::minP, 0.0, 1.0);
        accept(a, "typical_p", Builder::typicalP, SamplingParams::typicalP, Double.MIN_VALUE, 1.0);
        accept(a, "presence_penalty", Builder::presencePenalty, SamplingParams::presencePenalty, -2.0, 2.0);
        accept(a, "frequency_penalty", Builder::frequencyPenalty, SamplingParams::frequencyPenalty, -2.0, 2.0);
        accept(a, "repetition_penalty", Builder::repetitionPenalty, SamplingParams::repetitionPenalty,
                Double.MIN_VALUE, 1e9);
        accept(a, "seed", (b, s) -> b.seed(s), p -> p.seed().getAsLong(), Long.MIN_VALUE, -2L, 0L, Long.MAX_VALUE);
        accept(a, "n", Builder::n, SamplingParams::n, 1, 16384);
        accept(a, "max_tokens", Builder::maxTokens, SamplingParams::maxTokens, 1, Integer.MAX_VALUE);
        accept(a, "min_tokens", Builder::minTokens, SamplingParams::minTokens, 0, 16);
        accept(a, "logprobs", Builder::logprobs, p -> p.logprobs().getAsInt(), 0, 1000);
        accept(a, "epsilon_cutoff", Builder::epsilonCutoff, SamplingParams::epsilonCutoff, 0.0, 0.999);
        accept(a, "eta_cutoff", Builder::etaCutoff, SamplingParams::etaCutoff, 0.0, 0.999);
        accept(a, "top_n_sigma", Builder::topNSigma, SamplingParams::topNSigma, -1.0, Double.MIN_VALUE, 1e9);
        accept(a, "xtc_threshold", Builder::xtcThreshold, SamplingParams::xtcThreshold, 0.0, 1.0);
        accept(a, "xtc_probability", Builder::xtcProbability, SamplingParams::xtcProbability, 0.0, 1.0);
        accept(a, "dry_multiplier", Builder::dryMultiplier, SamplingParams::dryMultiplier, 0.0, 1e9);
        accept(a, "dry_base", Builder::dryBase, SamplingParams::dryBase, 1.0, 1e9);
        accept(a, "dry_allowed_length", Builder::dryAllowedLength, SamplingParams::dryAllowedLength,
                1, Integer.MAX_VALUE);
        accept(a, "dry_penalty_last_n", Builder::dryPenaltyLastN, SamplingParams::dryPenaltyLastN,
                -1, 0, Integer.MAX_VALUE);
        accept(a, "no_repeat_ngram_size", Builder::noRepeatNgramSize, SamplingParams::noRepeatNgramSize,
                0, Integer.MAX_VALUE);
        accept(a, "penalty_last_n", Builder::penaltyLastN, SamplingParams::penaltyLastN, -1, 0, Integer.MAX_VALUE);
        accept(a, "mirostat", Builder::mirostat, SamplingParams::mirostat, 0, 1, 2);
        accept(a, "mirostat_tau", Builder::mirostatTau, SamplingParams::mirostatTau, Double.MIN_VALUE, 1e9);
        accept(a, "mirostat_eta", Builder::mirostatEta, SamplingParams::mirostatEta, Double.MIN_VALUE, 1e9);
        accept(a, "dynatemp_range", Builder::dynatempRange, SamplingParams::dynatempRange, 0.0, 1e9);
        accept(a, "dynatemp_exponent", Builder::dynatempExponent, SamplingParams::dynatempExponent,
                Double.MIN_VALUE, 1e9);
        accept(a, "min_tokens_to_keep", Builder::minTokensToKeep, SamplingParams::minTokensToKeep,
                1, Integer.MAX_VALUE);
        accept(a, "order", Builder::order, SamplingParams::order, ProcessorOrder.values());
        return a.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rangeBounds")
    void rangeBoundIsAcceptedAndStoredAsGiven(String label, UnaryOperator<Builder> set,
                                              Function<SamplingParams, Object> get, Object expected) {
        assertThat(get.apply(set.apply(SamplingParams.builder()).build())).isEqualTo(expected);
    }

    @Test
    void topKMinusOneIsStoredAsZero() {
        assertThat(SamplingParams.builder().topK(-1).build().topK()).isZero();
        assertThat(SamplingParams.builder().topK(-1).build()).isEqualTo(SamplingParams.defaults());
    }

    @Test
    void topNSigmaZeroOrNegativeIsStoredAsMinusOne() {
        assertThat(SamplingParams.builder().topNSigma(0).build().topNSigma()).isEqualTo(-1.0);
        assertThat(SamplingParams.builder().topNSigma(-3.5).build().topNSigma()).isEqualTo(-1.0);
        assertThat(SamplingParams.builder().topNSigma(-1e300).build()).isEqualTo(SamplingParams.defaults());
    }

    @Test
    void negativeZeroIsStoredAsZeroSoEqualityHolds() {
        // Record equality compares doubles bitwise, so -0.0 must not survive construction.
        SamplingParams p = SamplingParams.builder().temperature(-0.0).minP(-0.0).build();
        assertThat(p).isEqualTo(SamplingParams.greedy().toBuilder().minP(0).build());
        assertThat(Double.doubleToRawLongBits(p.temperature())).isZero();
    }

    @Test
    void seedMinusOneMeansNoSeed() {
        assertThat(SamplingParams.builder().seed(-1).build().seed()).isEmpty();
        assertThat(SamplingParams.builder().seed(OptionalLong.of(-1)).build().seed()).isEmpty();
        assertThat(SamplingParams.builder().seed(7).seed(-1).build()).isEqualTo(SamplingParams.defaults());
    }

    @Test
    void nullOptionalsAndCollectionsBecomeEmpty() {
        SamplingParams p = SamplingParams.builder()
                .seed((OptionalLong) null).logprobs((OptionalInt) null)
                .stopTokenIds(null).logitBias(null).allowedTokenIds(null).badWords(null)
                .drySequenceBreakers(null)
                .build();
        assertThat(p).isEqualTo(SamplingParams.defaults());
    }

    // ------------------------------------------------------------------ greedy and cross-field rules

    @Test
    void temperatureBelowEpsilonIsGreedy() {
        // 1e-5 is vLLM's _SAMPLING_EPS: just below is greedy, exactly at it is not.
        assertThat(SamplingParams.builder().temperature(9.99e-6).build().isGreedy()).isTrue();
        assertThat(SamplingParams.builder().temperature(1e-5).build().isGreedy()).isFalse();
        assertThat(SamplingParams.greedy().isGreedy()).isTrue();
    }

    @Test
    void moreThanOneOutputWhenGreedyIsRejectedWithHint() {
        assertThatThrownBy(() -> SamplingParams.builder().temperature(0).n(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be 1 when sampling greedily (temperature < 1e-5), but is: 4");
        assertThatThrownBy(() -> SamplingParams.builder().temperature(9e-6).n(2).build())
                .hasMessage("n must be 1 when sampling greedily (temperature < 1e-5), but is: 2");
    }

    @Test
    void minTokensAboveMaxTokensIsRejected() {
        assertThatThrownBy(() -> SamplingParams.builder().maxTokens(8).minTokens(9).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min_tokens must be in [0, max_tokens] = [0, 8], but is: 9");
        assertThat(SamplingParams.builder().maxTokens(8).minTokens(8).build().minTokens()).isEqualTo(8);
    }

    // ------------------------------------------------------------------ collections

    @Test
    void logitBiasValuesAreClampedToPlusMinusHundred() {
        Map<Integer, Double> bias = new LinkedHashMap<>();
        bias.put(1, 500.0);     // above the limit: clamped to 100
        bias.put(2, -1e9);      // below: clamped to -100
        bias.put(3, -2.5);      // inside: kept
        bias.put(4, 100.0);     // on the limit: kept
        assertThat(SamplingParams.builder().logitBias(bias).build().logitBias())
                .containsExactly(entry(1, 100.0), entry(2, -100.0), entry(3, -2.5), entry(4, 100.0));
    }

    @Test
    void logitBiasKeepsInsertionOrder() {
        Map<Integer, Double> bias = new LinkedHashMap<>();
        for (int id : new int[] {900, 3, 42, 17}) {
            bias.put(id, 1.0);
        }
        assertThat(SamplingParams.builder().logitBias(bias).build().logitBias().keySet())
                .containsExactly(900, 3, 42, 17);
    }

    @Test
    void stopTokenIdsAreDeduplicatedKeepingFirstOccurrenceOrder() {
        SamplingParams p = SamplingParams.builder().stopTokenIds(List.of(7, 2, 7, 5, 2, 2)).build();
        assertThat(p.stopTokenIds()).containsExactly(7, 2, 5);
    }

    @Test
    void collectionsAreUnmodifiable() {
        SamplingParams p = loaded();
        assertThatThrownBy(() -> p.stopTokenIds().add(1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.logitBias().put(1, 1.0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.allowedTokenIds().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.badWords().add(List.of(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.badWords().get(0).set(0, 9)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.drySequenceBreakers().remove(0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.drySequenceBreakers().get(0).add(3))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void mutatingSourceCollectionsAfterBuildDoesNotChangeParams() {
        List<Integer> stop = new ArrayList<>(List.of(2));
        Map<Integer, Double> bias = new LinkedHashMap<>(Map.of(5, 1.0));
        List<Integer> allowed = new ArrayList<>(List.of(1, 2));
        List<Integer> word = new ArrayList<>(List.of(8, 9));
        List<List<Integer>> bad = new ArrayList<>(List.of(word));
        List<Integer> breaker = new ArrayList<>(List.of(13));
        List<List<Integer>> breakers = new ArrayList<>(List.of(breaker));
        SamplingParams p = SamplingParams.builder().stopTokenIds(stop).logitBias(bias).allowedTokenIds(allowed)
                .badWords(bad).drySequenceBreakers(breakers).build();

        stop.add(3);
        bias.put(6, 2.0);
        allowed.clear();
        word.set(0, 100);
        bad.add(List.of(4));
        breaker.add(14);
        breakers.clear();

        assertThat(p.stopTokenIds()).containsExactly(2);
        assertThat(p.logitBias()).containsExactly(entry(5, 1.0));
        assertThat(p.allowedTokenIds()).containsExactly(1, 2);
        assertThat(p.badWords()).containsExactly(List.of(8, 9));
        assertThat(p.drySequenceBreakers()).containsExactly(List.of(13));
    }

    // ------------------------------------------------------------------ toMap / fromMap

    @Test
    void toMapHasEveryJsonNameInDeclarationOrder() {
        assertThat(SamplingParams.defaults().toMap().keySet()).containsExactly(
                "temperature", "top_p", "top_k", "min_p", "typical_p",
                "presence_penalty", "frequency_penalty", "repetition_penalty",
                "seed", "n", "max_tokens", "min_tokens",
                "stop_token_ids", "logit_bias", "allowed_token_ids", "bad_words", "logprobs",
                "epsilon_cutoff", "eta_cutoff", "top_n_sigma", "xtc_threshold", "xtc_probability",
                "dry_multiplier", "dry_base", "dry_allowed_length", "dry_penalty_last_n",
                "dry_sequence_breakers", "no_repeat_ngram_size", "penalty_last_n",
                "mirostat", "mirostat_tau", "mirostat_eta", "dynatemp_range", "dynatemp_exponent",
                "min_tokens_to_keep", "order");
    }

    @Test
    void toMapWritesJsonShapedValues() {
        Map<String, Object> m = loaded().toMap();
        assertThat(m.get("seed")).isEqualTo(42L);
        assertThat(m.get("logprobs")).isEqualTo(5);
        assertThat(m.get("order")).isEqualTo("llama.cpp");
        assertThat(m.get("top_k")).isEqualTo(40);
        assertThat(m.get("logit_bias")).isEqualTo(Map.of("5", -100.0, "7", 2.5));
        assertThat(m.get("bad_words")).isEqualTo(List.of(List.of(8, 9)));

        Map<String, Object> d = SamplingParams.defaults().toMap();
        assertThat(d).containsEntry("seed", null).containsEntry("logprobs", null).containsEntry("order", "vllm");
    }

    @Test
    void fromMapOfToMapGivesEqualParams() {
        for (SamplingParams p : List.of(SamplingParams.defaults(), SamplingParams.greedy(),
                SamplingParams.llamaCppDefaults(), SamplingParams.transformersDefaults(), loaded())) {
            assertThat(SamplingParams.fromMap(p.toMap())).isEqualTo(p);
        }
    }

    @Property(tries = 300)
    void fromMapOfToMapGivesEqualParamsForRandomValidParams(@ForAll("validParams") SamplingParams p) {
        assertThat(SamplingParams.fromMap(p.toMap())).isEqualTo(p);
    }

    @Test
    void fromMapTreatsAbsentKeysAndNullValuesAsDefaults() {
        Map<String, Object> m = new HashMap<>();
        m.put("temperature", null);
        m.put("seed", null);
        m.put("logprobs", null);
        assertThat(SamplingParams.fromMap(m)).isEqualTo(SamplingParams.defaults());
        assertThat(SamplingParams.fromMap(Map.of())).isEqualTo(SamplingParams.defaults());
    }

    @Test
    void fromMapAcceptsAnyNumberType() {
        // A JSON parser may hand over Integer, Long, Double or BigDecimal for the same literal.
        SamplingParams p = SamplingParams.fromMap(Map.of(
                "temperature", 1,                      // Integer for a double field
                "top_p", new BigDecimal("0.9"),
                "top_k", 40L,                          // Long for an int field
                "max_tokens", 128.0,                   // integral Double for an int field
                "seed", 42,                            // Integer for the long seed
                "min_p", 0.05f));
        assertThat(p).isEqualTo(SamplingParams.builder()
                .temperature(1).topP(0.9).topK(40).maxTokens(128).seed(42).minP((double) 0.05f).build());
    }

    @Test
    void fromMapReadsSeedMinusOneAsNoSeed() {
        assertThat(SamplingParams.fromMap(Map.of("seed", -1)).seed()).isEmpty();
        assertThat(SamplingParams.fromMap(Map.of("seed", -1.0)).seed()).isEmpty();
    }

    @Test
    void fromMapAcceptsLogitBiasKeysAsStringsOrNumbers() {
        SamplingParams p = SamplingParams.fromMap(Map.of("logit_bias", Map.of("5", -3, 7L, 2.5)));
        assertThat(p.logitBias()).containsOnly(entry(5, -3.0), entry(7, 2.5));
    }

    @Test
    void fromMapParsesOrderWithProcessorOrderParse() {
        assertThat(SamplingParams.fromMap(Map.of("order", "llama_cpp")).order()).isEqualTo(ProcessorOrder.LLAMA_CPP);
        assertThat(SamplingParams.fromMap(Map.of("order", "Transformers")).order())
                .isEqualTo(ProcessorOrder.TRANSFORMERS);
    }

    @Test
    void fromMapRejectsUnknownKeyListingTheKnownOnes() {
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of("temprature", 0.7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown sampling parameter 'temprature'; known: [temperature, top_p, top_k, min_p,"
                        + " typical_p, presence_penalty, frequency_penalty, repetition_penalty, seed, n,"
                        + " max_tokens, min_tokens, stop_token_ids, logit_bias, allowed_token_ids, bad_words,"
                        + " logprobs, epsilon_cutoff, eta_cutoff, top_n_sigma, xtc_threshold, xtc_probability,"
                        + " dry_multiplier, dry_base, dry_allowed_length, dry_penalty_last_n,"
                        + " dry_sequence_breakers, no_repeat_ngram_size, penalty_last_n, mirostat,"
                        + " mirostat_tau, mirostat_eta, dynatemp_range, dynatemp_exponent,"
                        + " min_tokens_to_keep, order]");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("temperature", "0.7", "temperature must be a number, but is a string: \"0.7\""),
                Arguments.of("top_k", true, "top_k must be an integer, but is a boolean: true"),
                Arguments.of("seed", List.of(1), "seed must be an integer, but is a list: [1]"),
                Arguments.of("stop_token_ids", 5, "stop_token_ids must be a list of integers, but is a number: 5"),
                Arguments.of("stop_token_ids", List.of("a"), "stop_token_ids[0] must be an integer, but is a string: \"a\""),
                Arguments.of("bad_words", List.of(3), "bad_words[0] must be a list of integers, but is a number: 3"),
                Arguments.of("logit_bias", List.of(), "logit_bias must be a map from token id to number, but is a list: []"),
                Arguments.of("logit_bias", Map.of("x", 1), "logit_bias key must be an integer token id, but is a string: \"x\""),
                Arguments.of("logit_bias", Map.of("3", "big"), "logit_bias[3] must be a number, but is a string: \"big\""),
                Arguments.of("order", 2, "order must be a string, one of [vllm, transformers, llama.cpp], but is a number: 2"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void fromMapRejectsWrongTypeNamingFieldAndExpectedType(String key, Object value, String message) {
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void fromMapRejectsFractionalNumberForIntegerField() {
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of("top_k", 40.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("top_k must be an integer, but is: 40.5");
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of("seed", new BigDecimal("1.5"))))
                .hasMessage("seed must be an integer, but is: 1.5");
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of("stop_token_ids", List.of(2, 2.5))))
                .hasMessage("stop_token_ids[1] must be an integer, but is: 2.5");
    }

    @Test
    void fromMapRejectsIntegerOutsideIntRange() {
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of("max_tokens", 3_000_000_000L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max_tokens must be a 32-bit integer, but is: 3000000000");
    }

    @Test
    void fromMapRejectsOutOfRangeValueWithTheRangeMessage() {
        assertThatThrownBy(() -> SamplingParams.fromMap(Map.of("top_p", 1.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("top_p must be in (0, 1], but is: 1.5");
    }

    // ------------------------------------------------------------------ seeds and children

    @Test
    void forChildGivesSeedPlusIndexAndOneOutput() {
        SamplingParams parent = SamplingParams.builder().n(3).seed(100).build();
        assertThat(parent.forChild(0)).isEqualTo(parent.toBuilder().n(1).build());
        assertThat(parent.forChild(2).seed()).hasValue(102);
        assertThat(parent.forChild(2).n()).isEqualTo(1);
    }

    @Test
    void forChildOfUnseededParamsKeepsEverythingButN() {
        SamplingParams parent = SamplingParams.builder().n(3).temperature(0.7).build();
        SamplingParams expected = parent.toBuilder().n(1).build();
        assertThat(parent.forChild(0)).isEqualTo(expected);
        assertThat(parent.forChild(2)).isEqualTo(expected);
        assertThat(SamplingParams.defaults().forChild(0)).isSameAs(SamplingParams.defaults());
    }

    @Test
    void forChildRejectsIndexOutsideN() {
        SamplingParams parent = SamplingParams.builder().n(3).build();
        assertThatThrownBy(() -> parent.forChild(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("child index must be in [0, 3), but is: 3");
        assertThatThrownBy(() -> parent.forChild(-1))
                .hasMessage("child index must be in [0, 3), but is: -1");
    }

    @Test
    void forChildRejectsAChildSeedOfMinusOne() {
        // -1 means "no seed", so seed -3 cannot have a child 2 without losing reproducibility.
        SamplingParams parent = SamplingParams.builder().n(3).seed(-3).build();
        assertThat(parent.forChild(1).seed()).hasValue(-2);
        assertThatThrownBy(() -> parent.forChild(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("child 2 of seed -3 would get seed -1, which means no seed;"
                        + " use a parent seed outside [-3, -2]");
    }

    @Test
    void withSeedReplacesTheSeedAndMinusOneClearsIt() {
        SamplingParams seeded = SamplingParams.defaults().withSeed(7);
        assertThat(seeded.seed()).hasValue(7);
        assertThat(seeded.withSeed(-1)).isEqualTo(SamplingParams.defaults());
    }

    // ------------------------------------------------------------------ describe

    @Test
    void describeOfDefaultsSaysDefaults() {
        assertThat(SamplingParams.defaults().describe()).isEqualTo("defaults");
    }

    @Test
    void describeListsOnlyChangedFieldsInDeclarationOrderWithoutTrailingZeros() {
        SamplingParams p = SamplingParams.builder().seed(42).topP(0.9).temperature(0.7).build();
        assertThat(p.describe()).isEqualTo("temperature=0.7, top_p=0.9, seed=42");
    }

    @Test
    void describeWritesCollectionsAndOrder() {
        SamplingParams p = SamplingParams.builder()
                .stopTokenIds(List.of(2, 3)).logitBias(Map.of(5, -200.0)).badWords(List.of(List.of(8, 9)))
                .logprobs(0).order(ProcessorOrder.TRANSFORMERS).build();
        assertThat(p.describe()).isEqualTo(
                "stop_token_ids=[2, 3], logit_bias={5: -100}, bad_words=[[8, 9]], logprobs=0, order=transformers");
    }

    @Test
    void describeOfPresets() {
        assertThat(SamplingParams.greedy().describe()).isEqualTo("temperature=0");
        assertThat(SamplingParams.llamaCppDefaults().describe()).isEqualTo(
                "temperature=0.8, top_p=0.95, top_k=40, min_p=0.05, dry_penalty_last_n=64, penalty_last_n=64,"
                        + " order=llama.cpp");
        assertThat(SamplingParams.transformersDefaults().describe()).isEqualTo("top_k=50, order=transformers");
    }

    @Test
    void toStringWrapsDescribe() {
        assertThat(SamplingParams.greedy()).hasToString("SamplingParams[temperature=0]");
    }

    // ------------------------------------------------------------------ presets

    @Test
    void greedyPresetIsDefaultsWithTemperatureZero() {
        assertThat(SamplingParams.greedy()).isEqualTo(SamplingParams.defaults().toBuilder().temperature(0).build());
    }

    @Test
    void llamaCppPresetHasCommonHDefaults() {
        SamplingParams p = SamplingParams.llamaCppDefaults();
        assertThat(p.temperature()).isEqualTo(0.8);
        assertThat(p.topK()).isEqualTo(40);
        assertThat(p.topP()).isEqualTo(0.95);
        assertThat(p.minP()).isEqualTo(0.05);
        assertThat(p.penaltyLastN()).isEqualTo(64);
        assertThat(p.dryPenaltyLastN()).isEqualTo(64);
        assertThat(p.xtcThreshold()).isEqualTo(0.1);
        assertThat(p.order()).isEqualTo(ProcessorOrder.LLAMA_CPP);
        // Everything else stays at the shared defaults.
        assertThat(p.toBuilder().temperature(1).topK(0).topP(1).minP(0).penaltyLastN(-1).dryPenaltyLastN(-1)
                .order(ProcessorOrder.VLLM).build()).isEqualTo(SamplingParams.defaults());
    }

    @Test
    void transformersPresetHasTopK50() {
        SamplingParams p = SamplingParams.transformersDefaults();
        assertThat(p.topK()).isEqualTo(50);
        assertThat(p.order()).isEqualTo(ProcessorOrder.TRANSFORMERS);
        assertThat(p.toBuilder().topK(0).order(ProcessorOrder.VLLM).build()).isEqualTo(SamplingParams.defaults());
    }

    // ------------------------------------------------------------------ helpers

    /** Params with every component away from its default. */
    private static SamplingParams loaded() {
        Map<Integer, Double> bias = new LinkedHashMap<>();
        bias.put(5, -1000.0);
        bias.put(7, 2.5);
        return SamplingParams.builder()
                .temperature(0.7).topP(0.9).topK(40).minP(0.05).typicalP(0.95)
                .presencePenalty(0.5).frequencyPenalty(-0.25).repetitionPenalty(1.1)
                .seed(42).n(2).maxTokens(256).minTokens(4)
                .stopTokenIds(List.of(2, 3)).logitBias(bias).allowedTokenIds(List.of(1, 2, 3, 5, 7, 8, 9))
                .badWords(List.of(List.of(8, 9))).logprobs(5)
                .epsilonCutoff(3e-4).etaCutoff(2e-3).topNSigma(1.5).xtcThreshold(0.2).xtcProbability(0.5)
                .dryMultiplier(0.8).dryBase(2).dryAllowedLength(3).dryPenaltyLastN(128)
                .drySequenceBreakers(List.of(List.of(13), List.of(58, 59))).noRepeatNgramSize(3).penaltyLastN(64)
                .mirostat(2).mirostatTau(4).mirostatEta(0.2).dynatempRange(0.3).dynatempExponent(1.5)
                .minTokensToKeep(2).order(ProcessorOrder.LLAMA_CPP)
                .build();
    }

    @Provide
    Arbitrary<SamplingParams> validParams() {
        Arbitrary<Double> unit = dbl(0, true, 1, true);
        Arbitrary<Integer> tokenId = Arbitraries.integers().between(0, 200_000);
        Arbitrary<List<Integer>> ids = tokenId.list().ofMaxSize(5);
        Arbitrary<List<List<Integer>>> sequences = tokenId.list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(3);
        Arbitrary<Map<Integer, Double>> bias = Arbitraries.maps(tokenId, dbl(-500, true, 500, true))
                .ofMaxSize(4);
        // Greedy needs n = 1, so temperature and n are drawn together; 0 (greedy) comes up often.
        Arbitrary<UnaryOperator<Builder>> temperatureAndN = Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.just(0.0), dbl(0, true, 3, true)),
                        Arbitraries.integers().between(1, 16384))
                .as((t, n) -> b -> b.temperature(t).n(t < SamplingParams.GREEDY_EPSILON ? 1 : n));
        return Builders.withBuilder(SamplingParams::builder)
                .use(temperatureAndN).in((b, f) -> f.apply(b))
                .use(dbl(0, false, 1, true)).in(Builder::topP)
                .use(Arbitraries.integers().between(-1, 1000)).in(Builder::topK)
                .use(unit).in(Builder::minP)
                .use(dbl(0, false, 1, true)).in(Builder::typicalP)
                .use(dbl(-2, true, 2, true)).in(Builder::presencePenalty)
                .use(dbl(-2, true, 2, true)).in(Builder::frequencyPenalty)
                .use(dbl(0, false, 10, true)).in(Builder::repetitionPenalty)
                .use(Arbitraries.longs()).in(Builder::seed)
                .use(Arbitraries.integers().between(16, 1 << 20)).in(Builder::maxTokens)
                .use(Arbitraries.integers().between(0, 16)).in(Builder::minTokens)
                .use(ids).in(Builder::stopTokenIds)
                .use(bias).in(Builder::logitBias)
                .use(ids).in(Builder::allowedTokenIds)
                .use(sequences).in(Builder::badWords)
                .use(Arbitraries.integers().between(0, 1000).optional()).in(
                        (b, lp) -> b.logprobs(lp.map(OptionalInt::of).orElse(OptionalInt.empty())))
                .use(dbl(0, true, 1, false)).in(Builder::epsilonCutoff)
                .use(dbl(0, true, 1, false)).in(Builder::etaCutoff)
                .use(dbl(-5, true, 5, true)).in(Builder::topNSigma)
                .use(unit).in(Builder::xtcThreshold)
                .use(unit).in(Builder::xtcProbability)
                .use(dbl(0, true, 5, true)).in(Builder::dryMultiplier)
                .use(dbl(1, true, 5, true)).in(Builder::dryBase)
                .use(Arbitraries.integers().between(1, 10)).in(Builder::dryAllowedLength)
                .use(Arbitraries.integers().between(-1, 4096)).in(Builder::dryPenaltyLastN)
                .use(sequences).in(Builder::drySequenceBreakers)
                .use(Arbitraries.integers().between(0, 8)).in(Builder::noRepeatNgramSize)
                .use(Arbitraries.integers().between(-1, 4096)).in(Builder::penaltyLastN)
                .use(Arbitraries.integers().between(0, 2)).in(Builder::mirostat)
                .use(dbl(0, false, 10, true)).in(Builder::mirostatTau)
                .use(dbl(0, false, 1, true)).in(Builder::mirostatEta)
                .use(dbl(0, true, 2, true)).in(Builder::dynatempRange)
                .use(dbl(0, false, 4, true)).in(Builder::dynatempExponent)
                .use(Arbitraries.integers().between(1, 100)).in(Builder::minTokensToKeep)
                .use(Arbitraries.of(ProcessorOrder.class)).in(Builder::order)
                .build(Builder::build);
    }

    private static Arbitrary<Double> dbl(double min, boolean minIncluded, double max, boolean maxIncluded) {
        return Arbitraries.doubles().between(min, minIncluded, max, maxIncluded).ofScale(9);
    }

    private static Arguments rejected(String label, UnaryOperator<Builder> set, String message) {
        return Arguments.of(label, set, message);
    }

    private static void rejectDoubles(List<Arguments> out, String json, BiFunction<Builder, Double, Builder> set,
                                      String range, String... literals) {
        for (String lit : literals) {
            double v = Double.parseDouble(lit);
            out.add(rejected(json + "=" + lit, b -> set.apply(b, v), json + " must be " + range + ", but is: " + lit));
        }
    }

    private static void rejectInts(List<Arguments> out, String json, BiFunction<Builder, Integer, Builder> set,
                                   String range, String hint, int... values) {
        for (int v : values) {
            out.add(rejected(json + "=" + v, b -> set.apply(b, v), json + " must be " + range + ", but is: " + v + hint));
        }
    }

    @SafeVarargs
    private static <T> void accept(List<Arguments> out, String json, BiFunction<Builder, T, Builder> set,
                                   Function<SamplingParams, T> get, T... values) {
        for (T v : values) {
            UnaryOperator<Builder> s = b -> set.apply(b, v);
            Function<SamplingParams, Object> g = get::apply;
            out.add(Arguments.of(json + "=" + v, s, g, v));
        }
    }
}
