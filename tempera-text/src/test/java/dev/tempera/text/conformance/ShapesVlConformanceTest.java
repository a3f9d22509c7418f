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
import dev.tempera.text.vlm.MropePositions;
import dev.tempera.text.vlm.Qwen2VlModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decode loop of the bundled shapes-vl against transformers.js: fed the exact pixel_values transformers.js fed
 * its vision encoder, Tempera computes the same M-RoPE position ids and rope delta and greedily generates the same
 * tokens. For text-only prompts the goldens hold the decode with transformers' Python rope-delta rule
 * ({@code python_rule}), which Tempera follows (transformers.js adds the length instead of subtracting it).
 */
class ShapesVlConformanceTest {

    private static Qwen2VlModel vl;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void open() {
        vl = Qwen2VlModel.open(TestModels.shapesVl(), 1);
        tokenizer = TextTokenizer.open(TestModels.shapesVl().resolve("tokenizer.json"));
    }

    @AfterAll
    static void close() {
        vl.close();
        tokenizer.close();
    }

    static Stream<JsonNode> cases() {
        return Goldens.cases("shapes-vl.json").stream();
    }

    private static long[][] grid(JsonNode c) {
        JsonNode g = c.get("image_grid_thw");
        if (g == null || g.isNull()) {
            return new long[0][];
        }
        long[][] out = new long[g.size()][3];
        for (int i = 0; i < g.size(); i++) {
            for (int j = 0; j < 3; j++) {
                out[i][j] = g.get(i).get(j).asLong();
            }
        }
        return out;
    }

    private static float[] pixels(JsonNode c) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        if (c.has("images")) {
            for (JsonNode im : c.get("images")) {
                float[] p = Goldens.npyFloats(im.get("pixel_values").asText());
                parts.add(p);
                total += p.length;
            }
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void promptIdsAfterImagePadExpansionMatch(JsonNode c) {
        long[][] grid = grid(c);
        String text = c.get("prompt_text").asText();
        StringBuilder expanded = new StringBuilder();
        int image = 0;
        int from = 0;
        String pad = "<|image_pad|>";
        for (int at = text.indexOf(pad); at >= 0; at = text.indexOf(pad, from)) {
            expanded.append(text, from, at);
            long n = grid[image][0] * grid[image][1] * grid[image][2] / 4;
            expanded.append(pad.repeat((int) n));
            image++;
            from = at + pad.length();
        }
        expanded.append(text.substring(from));
        assertThat(tokenizer.encode(expanded.toString())).containsExactly(Goldens.ints(c.get("input_ids")));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void mropePositionsMatch(JsonNode c) {
        int[] ids = Goldens.ints(c.get("input_ids"));
        MropePositions p = MropePositions.of(ids, grid(c), 665, 666, 662, 2);
        for (int r = 0; r < 3; r++) {
            int[] expected = Goldens.ints(c.get("position_ids").get(r));
            long[] row = p.positions()[r];
            for (int i = 0; i < ids.length; i++) {
                assertThat(row[i]).as("row %d position %d of %s", r, i, c.get("name")).isEqualTo(expected[i]);
            }
        }
        assertThat(p.ropeDelta()).isEqualTo(c.get("rope_delta_python_rule").asLong());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void greedyTokensMatchTransformersJs(JsonNode c) {
        int[] ids = Goldens.ints(c.get("input_ids"));
        long[][] grid = grid(c);
        float[] px = pixels(c);
        int max = Goldens.read("shapes-vl.json").get("decoding").get("max_new_tokens").asInt();
        GenerationResult r = Generator.generate(vl, l -> vl.prefill(ids, px, grid, l), ids, tokenizer,
                List.of(655, 653),
                GenerationRequest.of(SamplingParams.builder().temperature(0).maxTokens(max).build()),
                StreamListener.NONE);
        JsonNode expected = c.has("python_rule") && !c.get("python_rule").isNull() ? c.get("python_rule") : c;
        assertThat(r.completions().get(0).tokens()).as("generated ids of %s", c.get("name"))
                .containsExactly(Goldens.ints(expected.get("generated_ids")));
        assertThat(r.text()).isEqualTo(expected.get("text").asText());
    }
}
