package dev.tempera.eval.diversity;

import dev.tempera.eval.embed.Embedder;
import java.util.List;
import java.util.Objects;

/**
 * Semantic diversity of a set of outputs: their sentence embeddings' mean pairwise cosine distance and Vendi score.
 *
 * <p>Definitions: {@link PairwiseCosine#meanDistance} (eval anchors §1.8) and {@link Vendi#score} with the cosine
 * kernel, q = 1 (§1.9). {@link #vendiPerOutput()} is Vendi / K, in [1/K, 1], the form to compare across sets of
 * different sizes.
 *
 * <p>What callers trip on: the numbers depend on the embedding model (recorded in {@link #embedder()}); the
 * bundled all-MiniLM-L6-v2 is English-only, so for Chinese outputs plug in a multilingual model with
 * {@link dev.tempera.eval.embed.OnnxSentenceEmbedder#fromFolder}. One output gives distance 0 and Vendi 1.
 *
 * <pre>{@code
 * try (Embedder e = OnnxSentenceEmbedder.allMiniLmL6V2()) {
 *     SemanticDiversity d = SemanticDiversity.measure(e, descriptions);
 * }
 * }</pre>
 *
 * @param embedder the embedder's {@link Embedder#name()}
 * @param outputs K, ≥ 1
 * @param meanCosineDistance in [0, 2]
 * @param vendi in [1, K]
 * @param vendiPerOutput vendi / K
 */
public record SemanticDiversity(String embedder, int outputs, double meanCosineDistance, double vendi,
                                double vendiPerOutput) {

    public SemanticDiversity {
        Objects.requireNonNull(embedder, "embedder");
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, but is: " + outputs);
        }
        if (!(meanCosineDistance >= 0 && meanCosineDistance <= 2)) {
            throw new IllegalArgumentException("meanCosineDistance must be in [0, 2], but is: " + meanCosineDistance);
        }
        if (!(vendi >= 1 && vendi <= outputs)) {
            throw new IllegalArgumentException("vendi must be in [1, outputs = " + outputs + "], but is: " + vendi);
        }
    }

    /**
     * Embeds {@code outputs} (in the embedder's batches) and measures them.
     *
     * @throws IllegalArgumentException when {@code outputs} is empty or holds a null
     */
    public static SemanticDiversity measure(Embedder embedder, List<String> outputs) {
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(outputs, "outputs");
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("outputs must hold at least 1 text, but holds: 0");
        }
        return of(embedder.name(), embedder.embed(outputs));
    }

    /** Measures precomputed embeddings (one row per output). */
    public static SemanticDiversity of(String embedder, float[][] embeddings) {
        double vendi = Vendi.score(embeddings);
        return new SemanticDiversity(embedder, embeddings.length, PairwiseCosine.meanDistance(embeddings), vendi,
                vendi / embeddings.length);
    }
}
