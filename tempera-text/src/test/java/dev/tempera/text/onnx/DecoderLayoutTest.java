package dev.tempera.text.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import dev.tempera.runtime.onnx.OnnxModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decoder contract is read from the graph's metadata, and a graph that does not fit is refused with a list. */
class DecoderLayoutTest {

    @TempDir
    Path dir;

    private DecoderLayout layout(String graph) {
        try (OnnxModel m = OnnxModel.open(TestGraphs.copy(graph, dir, graph))) {
            return DecoderLayout.read(m, -1, -1);
        }
    }

    @Test
    void anOptimumDecoderIsReadFromItsMetadata() {
        DecoderLayout l = layout("fp32-model.onnx");
        assertThat(l.tokenInput()).isEqualTo("input_ids");
        assertThat(l.positionRank()).isEqualTo(2);
        assertThat(l.useCacheBranch()).isFalse();
        assertThat(l.numLogitsToKeep()).isFalse();
        assertThat(l.layers()).isEqualTo(2);
        assertThat(l.pastNames()).containsExactly("past_key_values.0.key", "past_key_values.0.value",
                "past_key_values.1.key", "past_key_values.1.value");
        assertThat(l.presentNames()).containsExactly("present.0.key", "present.0.value", "present.1.key",
                "present.1.value");
        assertThat(l.kvHeads()).isEqualTo(2);
        assertThat(l.headDim()).isEqualTo(4);
        assertThat(l.kvType()).isEqualTo(OnnxJavaType.FLOAT);
        assertThat(l.vocabSize()).isEqualTo(16);
    }

    @Test
    void fp16CachesLogitsAndNumLogitsToKeepAreFound() {
        DecoderLayout l = layout("fp16-keep-one.onnx");
        assertThat(l.kvType()).isEqualTo(OnnxJavaType.FLOAT16);
        assertThat(l.logitsType()).isEqualTo(OnnxJavaType.FLOAT16);
        assertThat(l.numLogitsToKeep()).isTrue();
    }

    @Test
    void legacyMergedDecodersHaveTheCacheBranchInput() {
        assertThat(layout("fp32-merged-cache-branch.onnx").useCacheBranch()).isTrue();
    }

    @Test
    void visionLanguageDecodersTakeEmbeddingsAndThreeRowPositions() {
        DecoderLayout l = layout("fp32-embeds-mrope.onnx");
        assertThat(l.takesEmbeddings()).isTrue();
        assertThat(l.hiddenSize()).isEqualTo(3);
        assertThat(l.positionRank()).isEqualTo(3);
    }

    @Test
    void aGraphWithoutCacheAndAFloatMaskIsRefusedWithEveryProblemListed() {
        assertThatThrownBy(() -> layout("no-past.onnx"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a decoder this engine can run")
                .hasMessageContaining("expected input 'attention_mask' int64 rank 2, found float rank 2")
                .hasMessageContaining("expected key/value cache inputs 'past_key_values.{i}.key|value'")
                .hasMessageContaining("inputs found: input_ids int64[-1, -1], attention_mask float[-1, -1]")
                .hasMessageContaining("outputs found: logits float[-1, -1, 16]");
    }
}
