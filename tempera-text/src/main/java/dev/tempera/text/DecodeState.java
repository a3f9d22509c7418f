package dev.tempera.text;

/**
 * The model-side state of one sequence after some tokens: its key/value cache and where its next position is.
 * {@link LanguageModel#decode} advances it by one token.
 *
 * <p>Ownership: the state owns the native tensors of its cache and frees them on {@link #close()}. A
 * {@link #fork()} continues from the same cache without copying it and without owning it, so the state it was forked
 * from must stay open until every fork has decoded its first token (after that a fork owns its own cache). Closing
 * twice is harmless. Not thread-safe.
 */
public interface DecodeState extends AutoCloseable {

    /** The number of tokens (prompt and generated) the cache holds. */
    int length();

    /** A new state continuing from this one; see the ownership rule above. */
    DecodeState fork();

    @Override
    void close();
}
