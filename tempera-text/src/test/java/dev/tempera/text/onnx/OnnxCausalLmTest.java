package dev.tempera.text.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import dev.tempera.sampling.FinishReason;
import dev.tempera.text.DecodeState;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decode loop over real ONNX Runtime sessions of tiny table-lookup decoders (see make_test_graphs.py): logits
 * of token t peak at t + 1, and the cache appends K[t] per token, so every value is predictable.
 */
class OnnxCausalLmTest {

    @TempDir
    Path dir;

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32-model.onnx", "fp16-keep-one.onnx", "fp32-merged-cache-branch.onnx"})
    void prefillAndDecodeStepsFollowTheGraph(String graph) {
        try (OnnxCausalLm lm = OnnxCausalLm.open(TestGraphs.folder(graph, dir, 32))) {
            float[] logits = new float[lm.vocabSize()];
            try (DecodeState s = lm.prefill(new int[] {9, 3}, logits)) {
                assertThat(s.length()).isEqualTo(2);
                assertThat(argmax(logits)).isEqualTo(4);
                assertThat(logits[4]).isEqualTo(5.0f);
                assertThat(logits[5]).isEqualTo(1.0f);
                assertThat(logits[0]).isEqualTo(-3.0f);
                int token = 4;
                for (int step = 0; step < 5; step++) {
                    lm.decode(s, token, logits);
                    token = argmax(logits);
                }
                assertThat(s.length()).isEqualTo(7);
                assertThat(token).isEqualTo(9);
            }
        }
    }

    @Test
    void thePresentTensorsAreFedBackAsThePastInOrder() {
        try (OnnxCausalLm lm = OnnxCausalLm.open(TestGraphs.folder("fp32-model.onnx", dir, 32))) {
            float[] logits = new float[lm.vocabSize()];
            try (OnnxSequence s = (OnnxSequence) lm.prefill(new int[] {2, 7}, logits)) {
                lm.decode(s, 11, logits);
                lm.decode(s, 5, logits);
                OnnxTensor key = s.cache().tensor(0);
                assertThat(key.getInfo().getShape()).containsExactly(1, 2, 4, 4);
                FloatBuffer f = key.getFloatBuffer();
                int[] tokens = {2, 7, 11, 5};
                // key[0, head, position, d] = K[token][head * 4 + d] = (token * 8 + head * 4 + d) / 10
                for (int head = 0; head < 2; head++) {
                    for (int pos = 0; pos < 4; pos++) {
                        for (int d = 0; d < 4; d++) {
                            float expected = (tokens[pos] * 8 + head * 4 + d) / 10.0f;
                            assertThat(f.get(head * 16 + pos * 4 + d)).isCloseTo(expected,
                                    org.assertj.core.data.Offset.offset(1e-6f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aForkContinuesFromTheSameCacheWithoutDisturbingIt() {
        try (OnnxCausalLm lm = OnnxCausalLm.open(TestGraphs.folder("fp32-model.onnx", dir, 32))) {
            float[] logits = new float[lm.vocabSize()];
            try (DecodeState prefix = lm.prefill(new int[] {1, 2}, logits)) {
                for (int i = 0; i < 3; i++) {
                    try (DecodeState fork = prefix.fork()) {
                        lm.decode(fork, 3, logits);
                        lm.decode(fork, 4, logits);
                        assertThat(fork.length()).isEqualTo(4);
                        assertThat(argmax(logits)).isEqualTo(5);
                    }
                }
                assertThat(prefix.length()).isEqualTo(2);
            }
        }
    }

    @Test
    void theContextLimitIsEnforced() {
        try (OnnxCausalLm lm = OnnxCausalLm.open(TestGraphs.folder("fp32-model.onnx", dir, 4))) {
            float[] logits = new float[lm.vocabSize()];
            assertThatThrownBy(() -> lm.prefill(new int[] {1, 2, 3, 4}, logits))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the prompt holds 4 tokens; the model's context is 4 tokens");
            try (DecodeState s = lm.prefill(new int[] {1, 2, 3}, logits)) {
                lm.decode(s, 4, logits);
                assertThatThrownBy(() -> lm.decode(s, 5, logits)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("full");
            }
        }
    }

    @Test
    void missingAndCorruptModelFilesFailClearly() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"test\"}");
        assertThatThrownBy(() -> OnnxCausalLm.open(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no decoder graph; looked for [model.onnx, decoder_model_merged.onnx]");
        Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> OnnxCausalLm.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not load").hasMessageContaining("model.onnx");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> OnnxCausalLm.open(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no config.json");
    }

    @Test
    void greedyGenerationThroughTheLoopStopsAtLength() {
        try (OnnxCausalLm lm = OnnxCausalLm.open(TestGraphs.folder("fp16-keep-one.onnx", dir, 32));
             dev.tempera.runtime.tokenizer.TextTokenizer tok = dev.tempera.runtime.tokenizer.TextTokenizer.open(
                     dev.tempera.text.TestModels.shapesLm().resolve("tokenizer.json"))) {
            int[] prompt = {3};
            var r = dev.tempera.text.Generator.generate(lm, l -> lm.prefill(prompt, l), prompt, tok,
                    java.util.List.of(), dev.tempera.text.GenerationRequest.of(
                            dev.tempera.sampling.SamplingParams.builder().temperature(0).maxTokens(5).build()),
                    dev.tempera.text.StreamListener.NONE);
            assertThat(r.completions().get(0).tokens()).containsExactly(4, 5, 6, 7, 8);
            assertThat(r.completions().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
        }
    }
}
