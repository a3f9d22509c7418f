package dev.tempera.runtime.tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a growing sequence of generated token ids into text deltas for streaming, the way vLLM's incremental
 * detokenizer does: each new token's text is the decoded window {@code [prefixOffset, end)} minus the decoded
 * window {@code [prefixOffset, readOffset)}, and nothing is emitted while the window ends in an incomplete UTF-8
 * character (U+FFFD), so a Chinese character split over two byte tokens comes out whole, once.
 *
 * <p>The window starts on the last few prompt tokens ({@link #PROMPT_CONTEXT}) so that a tokenizer that drops a
 * leading space at the start of a decode (SentencePiece) still gives the first generated word its space. The
 * concatenated deltas equal decoding the generated tokens in one piece (for byte-level BPE tokenizers exactly;
 * SentencePiece keeps the first word's leading space, as vLLM does).
 *
 * <p>Not thread-safe; one per sequence. {@link #push} allocates the returned string (and a small window).
 */
public final class IncrementalDetokenizer {

    /** How many prompt tokens seed the decode window (vLLM's INITIAL_INCREMENTAL_DETOKENIZATION_OFFSET). */
    public static final int PROMPT_CONTEXT = 5;

    private final TextTokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids;
    private int size;
    private int prefixOffset;
    private int readOffset;
    private final int firstGenerated;
    private final StringBuilder text = new StringBuilder();

    /**
     * @param promptTail the prompt's tokens (only the last {@link #PROMPT_CONTEXT} are used; may be empty)
     */
    public IncrementalDetokenizer(TextTokenizer tokenizer, int[] promptTail, boolean skipSpecialTokens) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.skipSpecialTokens = skipSpecialTokens;
        int keep = Math.min(PROMPT_CONTEXT, promptTail.length);
        this.ids = Arrays.copyOf(Arrays.copyOfRange(promptTail, promptTail.length - keep, promptTail.length),
                keep + 64);
        this.size = keep;
        this.prefixOffset = 0;
        this.readOffset = keep;
        this.firstGenerated = keep;
    }

    /** Adds a generated token and returns the text it completes ("" while a character is incomplete). */
    public String push(int token) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = token;
        String prefix = tokenizer.decode(ids, prefixOffset, readOffset, skipSpecialTokens);
        String full = tokenizer.decode(ids, prefixOffset, size, skipSpecialTokens);
        if (full.length() > prefix.length() && !full.endsWith("\uFFFD")) {
            String delta = full.substring(prefix.length());
            prefixOffset = readOffset;
            readOffset = size;
            text.append(delta);
            return delta;
        }
        return "";
    }

    /**
     * The text of tokens held back because they ended in an incomplete character, decoded as they are (with
     * U+FFFD); call once when the sequence ends. Returns "" when nothing is pending.
     */
    public String flush() {
        if (readOffset == size) {
            return "";
        }
        String prefix = tokenizer.decode(ids, prefixOffset, readOffset, skipSpecialTokens);
        String full = tokenizer.decode(ids, prefixOffset, size, skipSpecialTokens);
        String delta = full.length() > prefix.length() ? full.substring(prefix.length()) : "";
        prefixOffset = readOffset;
        readOffset = size;
        text.append(delta);
        return delta;
    }

    /** All text emitted so far (the concatenated deltas). */
    public String text() {
        return text.toString();
    }

    /** The generated tokens pushed so far. */
    public int generated() {
        return size - firstGenerated;
    }
}
