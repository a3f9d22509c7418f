package dev.tempera.text;

/**
 * Receives text while it is generated. Deltas are whole UTF-8 characters (a character split over byte tokens is
 * delivered once complete); with stop strings, text that could still turn out to be the start of a stop string is
 * held back until it cannot, so the concatenated deltas of a sequence always equal its final {@link Completion#text()}.
 * Called on the generating thread; sequences of {@code n > 1} arrive one after another.
 */
@FunctionalInterface
public interface StreamListener {

    /**
     * New text of a sequence. {@code index} counts sequences across the requests of one call (see
     * {@link Generator#generateEach}); for one request it is the sequence's index.
     */
    void onText(int index, String delta);

    /** The sequence with stream index {@code index} finished. */
    default void onFinish(int index, Completion completion) {
    }

    /** A listener that ignores everything. */
    StreamListener NONE = (index, delta) -> { };
}
