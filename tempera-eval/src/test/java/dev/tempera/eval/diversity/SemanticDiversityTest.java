package dev.tempera.eval.diversity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tempera.eval.embed.Embedder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The combination logic with a fixed-table embedder (the real model is tested in OnnxSentenceEmbedderTest).
 *
 * <p>Bad inputs tried: no outputs, out-of-range record values.
 */
class SemanticDiversityTest {

    /** Maps each known text to a fixed vector: "a" and "b" orthogonal, "c" = "a". */
    private static final class TableEmbedder implements Embedder {
        @Override
        public float[][] embed(List<String> texts) {
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (texts.get(i)) {
                    case "a", "c" -> new float[] {1, 0};
                    case "b" -> new float[] {0, 1};
                    default -> throw new IllegalArgumentException("unknown text " + texts.get(i));
                };
            }
            return out;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public String name() {
            return "table";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void combinesDistanceAndVendi() {
        SemanticDiversity d = SemanticDiversity.measure(new TableEmbedder(), List.of("a", "b", "c"));
        // pairs (a,b) 1, (a,c) 0, (b,c) 1 -> mean 2/3. K/3 = [[1,0,1],[0,1,0],[1,0,1]]/3 has eigenvalues 2/3, 1/3, 0
        // -> H = -(2/3 ln 2/3 + 1/3 ln 1/3) = 0.6365141682948128 -> VS = 1.8898815748423097, / 3 per output
        assertThat(d.embedder()).isEqualTo("table");
        assertThat(d.outputs()).isEqualTo(3);
        assertThat(d.meanCosineDistance()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(d.vendi()).isCloseTo(1.8898815748423097, within(1e-9));
        assertThat(d.vendiPerOutput()).isCloseTo(1.8898815748423097 / 3, within(1e-9));
    }

    @Test
    void singleOutputIsOneEffectiveSample() {
        SemanticDiversity d = SemanticDiversity.measure(new TableEmbedder(), List.of("a"));
        assertThat(d.meanCosineDistance()).isZero();
        assertThat(d.vendi()).isEqualTo(1.0);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> SemanticDiversity.measure(new TableEmbedder(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outputs must hold at least 1 text, but holds: 0");
        assertThatThrownBy(() -> new SemanticDiversity("x", 2, 2.5, 1, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("meanCosineDistance must be in [0, 2], but is: 2.5");
        assertThatThrownBy(() -> new SemanticDiversity("x", 2, 0.5, 3, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vendi must be in [1, outputs = 2], but is: 3.0");
    }
}
