package dev.tempera.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.tokenizer.TextTokenizer;
import dev.tempera.sampling.FinishReason;
import dev.tempera.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decode loop's logic on a scripted fake model and shapes-lm's real tokenizer (byte-level BPE with Chinese):
 * stop conditions, streaming, n > 1 from one prefill, seeds, logprobs and the context limit.
 */
class GeneratorTest {

    // token ids of shapes-lm's byte-level vocabulary (see tools/sample-models/make_tokenizers.py)
    static final int A = 64;          // "a"
    static final int SPACE = 220;     // " "
    static final int S = 50;          // "S"
    static final int T = 51;          // "T"
    static final int O = 46;          // "O"
    static final int P = 47;          // "P"
    static final int[] HONG = {163, 118, 95};   // 红 = E7 BA A2, one byte token each
    static final int[] SE = {164, 231, 110};    // 色 = E8 89 B2
    static final int EOS = 655;       // <|im_end|>
    static final int[] PROMPT = {654, 285, 198};

    static TextTokenizer tokenizer;

    @BeforeAll
    static void open() {
        tokenizer = TextTokenizer.open(TestModels.shapesLm().resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static GenerationResult run(ScriptedModel m, GenerationRequest r, StreamListener l) {
        return Generator.generate(m, logits -> m.prefill(PROMPT.length, logits), PROMPT, tokenizer, List.of(EOS), r, l);
    }

    private static SamplingParams greedy(int max) {
        return SamplingParams.builder().temperature(0).maxTokens(max).build();
    }

    @Test
    void greedyFollowsTheScriptAndStopsAtEosWithoutFeedingIt() {
        ScriptedModel m = new ScriptedModel(667, 100, new int[] {A, SPACE, A, EOS}, 20f);
        GenerationResult r = run(m, GenerationRequest.of(greedy(50)), StreamListener.NONE);
        Completion c = r.completions().get(0);
        assertThat(c.tokens()).containsExactly(A, SPACE, A, EOS);
        assertThat(c.text()).isEqualTo("a a");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(c.stopReason()).isEqualTo("655");
        assertThat(m.decodes).as("the EOS token is not fed back").isEqualTo(3);
        assertThat(m.openStates).as("every state closed").isZero();
        assertThat(r.promptTokens()).isEqualTo(3);
    }

    @Test
    void maxTokensEndsWithLength() {
        ScriptedModel m = new ScriptedModel(667, 100, new int[] {A, A, A, A, A, A}, 20f);
        Completion c = run(m, GenerationRequest.of(greedy(4)), StreamListener.NONE).completions().get(0);
        assertThat(c.tokens()).hasSize(4);
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.stopReason()).isEmpty();
    }

    @Test
    void eosIsBannedBeforeMinTokensAndIgnoredWithIgnoreEos() {
        ScriptedModel m = new ScriptedModel(667, 100, new int[] {EOS, EOS, EOS, EOS}, 20f);
        SamplingParams p = SamplingParams.builder().temperature(0).maxTokens(10).minTokens(3).build();
        Completion c = run(m, GenerationRequest.of(p), StreamListener.NONE).completions().get(0);
        assertThat(c.tokens()).hasSize(4);
        assertThat(c.tokens()[3]).isEqualTo(EOS);
        assertThat(java.util.Arrays.copyOf(c.tokens(), 3)).as("no EOS before min_tokens").doesNotContain(EOS);

        GenerationRequest ignore = new GenerationRequest(greedy(6), List.of(), false, true, true);
        Completion all = run(new ScriptedModel(667, 100, new int[] {EOS, EOS}, 20f), ignore, StreamListener.NONE)
                .completions().get(0);
        assertThat(all.tokens()).hasSize(6);
        assertThat(all.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void stopStringEndsTheTextBeforeItEvenAcrossTokens() {
        // "aST OP a": the stop string "TOP" is split over tokens T, O, P
        int[] script = {A, S, T, O, P, SPACE, A, A, A};
        ScriptedModel m = new ScriptedModel(667, 100, script, 20f);
        Completion c = run(m, GenerationRequest.of(greedy(20)).withStop(List.of("TOP")), StreamListener.NONE)
                .completions().get(0);
        assertThat(c.text()).isEqualTo("aS");
        assertThat(c.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(c.stopReason()).isEqualTo("TOP");
        assertThat(c.tokens()).containsExactly(A, S, T, O, P);

        GenerationRequest keep = new GenerationRequest(greedy(20), List.of("TOP"), true, true, false);
        assertThat(run(new ScriptedModel(667, 100, script, 20f), keep, StreamListener.NONE).text()).isEqualTo("aSTOP");
    }

    @Test
    void theEarliestStopStringWins() {
        int[] script = {A, S, T, O, P, A};
        GenerationRequest r = GenerationRequest.of(greedy(20)).withStop(List.of("OP", "ST"));
        Completion c = run(new ScriptedModel(667, 100, script, 20f), r, StreamListener.NONE).completions().get(0);
        assertThat(c.text()).isEqualTo("a");
        assertThat(c.stopReason()).isEqualTo("ST");
    }

    @Test
    void stopStringsAreNotMatchedBeforeMinTokens() {
        int[] script = {S, T, A, S, T, A};
        SamplingParams p = SamplingParams.builder().temperature(0).maxTokens(20).minTokens(3).build();
        Completion c = run(new ScriptedModel(667, 100, script, 20f), GenerationRequest.of(p).withStop(List.of("ST")),
                StreamListener.NONE).completions().get(0);
        // "ST" at tokens 1-2 is ignored (2 tokens < 3); the next "ST" (tokens 4-5) stops: text "STa"
        assertThat(c.text()).isEqualTo("STa");
    }

    @Test
    void streamedDeltasAreWholeCharactersAndAddUpToTheText() {
        int[] script = {HONG[0], HONG[1], HONG[2], SE[0], SE[1], SE[2], SPACE, A, EOS};
        List<String> deltas = new ArrayList<>();
        Completion c = run(new ScriptedModel(667, 100, script, 20f), GenerationRequest.of(greedy(20)),
                (i, d) -> deltas.add(d)).completions().get(0);
        assertThat(c.text()).isEqualTo("红色 a");
        assertThat(String.join("", deltas)).isEqualTo(c.text());
        assertThat(deltas).containsExactly("红", "色", " ", "a");
        assertThat(deltas).noneMatch(d -> d.contains("\uFFFD"));
    }

    @Test
    void streamingHoldsBackTextThatMayStartAStopString() {
        int[] script = {A, S, T, O, P, A};
        List<String> deltas = new ArrayList<>();
        Completion c = run(new ScriptedModel(667, 100, script, 20f),
                GenerationRequest.of(greedy(20)).withStop(List.of("TOP")), (i, d) -> deltas.add(d))
                .completions().get(0);
        assertThat(String.join("", deltas)).isEqualTo(c.text()).isEqualTo("aS");
        assertThat(deltas).noneMatch(d -> d.contains("T"));
    }

    @Test
    void anIncompleteCharacterAtMaxTokensIsFlushed() {
        int[] script = {A, HONG[0], HONG[1]};
        Completion c = run(new ScriptedModel(667, 100, script, 20f), GenerationRequest.of(greedy(3)),
                StreamListener.NONE).completions().get(0);
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.text()).startsWith("a").contains("\uFFFD");
    }

    @Test
    void nSequencesShareOnePrefillAndEachEqualsItsOwnSeedAlone() {
        SamplingParams four = SamplingParams.builder().temperature(1.0).n(4).seed(100).maxTokens(12).build();
        ScriptedModel m = new ScriptedModel(667, 100, new int[0], 0f);
        GenerationResult r = run(m, GenerationRequest.of(four), StreamListener.NONE);
        assertThat(m.prefills).isEqualTo(1);
        assertThat(m.openStates).isZero();
        assertThat(r.completions()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            SamplingParams one = SamplingParams.builder().temperature(1.0).seed(100 + i).maxTokens(12).build();
            Completion alone = run(new ScriptedModel(667, 100, new int[0], 0f), GenerationRequest.of(one),
                    StreamListener.NONE).completions().get(0);
            assertThat(r.completions().get(i).tokens()).as("sequence %d", i).containsExactly(alone.tokens());
            assertThat(r.completions().get(i).seed()).hasValue(100 + i);
        }
        assertThat(r.completions().get(0).tokens()).isNotEqualTo(r.completions().get(1).tokens());
    }

    @Test
    void generateEachAnswersSeveralRequestsFromOnePrefill() {
        ScriptedModel m = new ScriptedModel(667, 100, new int[0], 0f);
        List<GenerationRequest> requests = List.of(
                GenerationRequest.of(SamplingParams.builder().temperature(0.1).topP(0.9).seed(0).maxTokens(8).build()),
                GenerationRequest.of(SamplingParams.builder().temperature(1.2).topP(0.9).seed(0).maxTokens(8).build()));
        List<Integer> streamed = new ArrayList<>();
        List<GenerationResult> rs = Generator.generateEach(m, l -> m.prefill(PROMPT.length, l), PROMPT, tokenizer,
                List.of(EOS), requests, (i, d) -> streamed.add(i));
        assertThat(m.prefills).isEqualTo(1);
        assertThat(rs).hasSize(2);
        assertThat(rs.get(0).prefillNanos()).isEqualTo(rs.get(1).prefillNanos());
        assertThat(streamed).contains(0, 1);
    }

    @Test
    void logprobsArePerTokenWhenRequested() {
        SamplingParams p = SamplingParams.builder().temperature(0.8).seed(3).maxTokens(6).logprobs(2).build();
        Completion c = run(new ScriptedModel(667, 100, new int[0], 0f), GenerationRequest.of(p), StreamListener.NONE)
                .completions().get(0);
        assertThat(c.logprobs()).hasSize(c.tokens().length);
        for (TokenLogprobs lp : c.logprobs()) {
            assertThat(lp.logprob()).isLessThanOrEqualTo(0.0);
            assertThat(lp.processedLogprob()).isLessThanOrEqualTo(0.0);
            assertThat(lp.top()).hasSize(2);
            assertThat(lp.rank()).isPositive();
        }
        Completion none = run(new ScriptedModel(667, 100, new int[0], 0f), GenerationRequest.of(greedy(3)),
                StreamListener.NONE).completions().get(0);
        assertThat(none.logprobs()).isEmpty();
    }

    @Test
    void generationStopsWhenTheContextIsFull() {
        ScriptedModel m = new ScriptedModel(667, 8, new int[0], 0f);
        Completion c = run(m, GenerationRequest.of(greedy(100)), StreamListener.NONE).completions().get(0);
        assertThat(c.tokens()).hasSize(8 - PROMPT.length);
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void aPromptThatFillsTheContextIsRejected() {
        ScriptedModel m = new ScriptedModel(667, 3, new int[0], 0f);
        assertThatThrownBy(() -> run(m, GenerationRequest.of(greedy(5)), StreamListener.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the prompt holds 3 tokens; the model's context is 3 tokens, so it must hold at most 2");
        assertThat(m.prefills).isZero();
    }

    @Test
    void emptyStopStringsAreRejected() {
        assertThatThrownBy(() -> GenerationRequest.of(greedy(5)).withStop(List.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stop[0]");
    }
}
