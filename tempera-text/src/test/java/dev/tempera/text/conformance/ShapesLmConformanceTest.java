package dev.tempera.text.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempera.runtime.tokenizer.TextTokenizer;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.Generator;
import dev.tempera.text.StreamListener;
import dev.tempera.text.TestModels;
import dev.tempera.text.onnx.OnnxCausalLm;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy decoding of the bundled shapes-lm gives exactly the tokens transformers.js gives (goldens from
 * tools/conformance/generate/tjs_goldens.mjs): same prompt ids from the same rendered text, same first-step logits
 * to 1e-4, same generated ids and text.
 */
class ShapesLmConformanceTest {

    private static OnnxCausalLm lm;
    private static TextTokenizer tokenizer;
    private static List<Integer> eos;

    @BeforeAll
    static void open() {
        lm = OnnxCausalLm.open(TestModels.shapesLm(), 1);
        tokenizer = TextTokenizer.open(TestModels.shapesLm().resolve("tokenizer.json"));
        eos = List.of(655, 653);
    }

    @AfterAll
    static void close() {
        lm.close();
        tokenizer.close();
    }

    static Stream<JsonNode> cases() {
        return Goldens.cases("shapes-lm.json").stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void greedyTokensMatchTransformersJs(JsonNode c) {
        int[] ids = tokenizer.encode(c.get("prompt_text").asText());
        assertThat(ids).as("prompt ids of %s", c.get("name")).containsExactly(Goldens.ints(c.get("input_ids")));
        int max = Goldens.read("shapes-lm.json").get("decoding").get("max_new_tokens").asInt();
        GenerationResult r = Generator.generate(lm, l -> lm.prefill(ids, l), ids, tokenizer, eos,
                GenerationRequest.of(SamplingParams.builder().temperature(0).maxTokens(max).build()),
                StreamListener.NONE);
        assertThat(r.completions().get(0).tokens()).as("generated ids of %s", c.get("name"))
                .containsExactly(Goldens.ints(c.get("generated_ids")));
        assertThat(r.text()).isEqualTo(c.get("text").asText());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void firstStepLogitsMatchTo1e4(JsonNode c) {
        if (!c.has("first_step_logits")) {
            return;
        }
        int[] ids = Goldens.ints(c.get("input_ids"));
        float[] logits = new float[lm.vocabSize()];
        lm.prefill(ids, logits).close();
        float[] expected = Goldens.floats(c.get("first_step_logits"));
        for (int i = 0; i < expected.length; i++) {
            assertThat(logits[i]).as("logit %d of %s", i, c.get("name")).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-4f));
        }
    }
}
