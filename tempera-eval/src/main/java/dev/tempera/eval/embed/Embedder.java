package dev.tempera.eval.embed;

import java.util.List;

/**
 * Turns texts into fixed-size vectors whose cosine similarity measures closeness of meaning.
 *
 * <p>Contract: {@link #embed} returns one row of length {@link #dimension()} per text, in input order, and the
 * row of a text does not depend on the other texts in the call or on the batch size (up to float rounding,
 * about 1e-6). Implementations say whether rows are L2-normalised; the diversity measures normalise anyway.
 * The embedder owns native resources: close it.
 *
 * <pre>{@code
 * try (Embedder e = OnnxSentenceEmbedder.allMiniLmL6V2()) {
 *     float[][] rows = e.embed(List.of("a red circle", "a crimson disc"));
 * }
 * }</pre>
 */
public interface Embedder extends AutoCloseable {

    /**
     * Embeds {@code texts}; an empty list gives an empty array.
     *
     * @throws IllegalArgumentException when a text is null
     */
    float[][] embed(List<String> texts);

    /** The length of every row. */
    int dimension();

    /** What this is, for reports: the model and its pooling ({@code "all-MiniLM-L6-v2 (mean, L2)"}). */
    String name();

    /** Releases the model; the embedder cannot be used afterwards. */
    @Override
    void close();
}
