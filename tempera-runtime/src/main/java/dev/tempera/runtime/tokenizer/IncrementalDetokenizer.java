package dev.tempera.runtime.tokenizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns a growing sequence of generated token ids into text deltas for streaming. A Chinese character split over
 * several byte tokens comes out whole, once.
 *
 * <p>Byte-level BPE tokenizers (GPT-2, Qwen2, Llama 3; {@link TextTokenizer#byteLevel()}) are decoded in Java: each
 * token's bytes are appended and the complete UTF-8 characters among them are emitted, an incomplete last character
 * waiting for its next bytes — exactly the native decoder's result, without a native call per token. Other
 * tokenizers go the way vLLM's incremental detokenizer does: each new token's text is the natively decoded window
 * {@code [prefixOffset, end)} minus the window {@code [prefixOffset, readOffset)}, and nothing is emitted while the
 * window ends in an incomplete character (U+FFFD).
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
    private final ByteLevelTokenBytes byteLevel;
    private byte[] pending = new byte[16];
    private int pendingLength;

    /**
     * @param promptTail the prompt's tokens (only the last {@link #PROMPT_CONTEXT} are used; may be empty)
     */
    public IncrementalDetokenizer(TextTokenizer tokenizer, int[] promptTail, boolean skipSpecialTokens) {
        this(tokenizer, promptTail, skipSpecialTokens, false);
    }

    /** As the public constructor; {@code nativeOnly} forces the window strategy (the reference, for tests). */
    IncrementalDetokenizer(TextTokenizer tokenizer, int[] promptTail, boolean skipSpecialTokens, boolean nativeOnly) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.skipSpecialTokens = skipSpecialTokens;
        int keep = Math.min(PROMPT_CONTEXT, promptTail.length);
        this.ids = Arrays.copyOf(Arrays.copyOfRange(promptTail, promptTail.length - keep, promptTail.length),
                keep + 64);
        this.size = keep;
        this.prefixOffset = 0;
        this.readOffset = keep;
        this.firstGenerated = keep;
        this.byteLevel = nativeOnly ? null : tokenizer.byteLevel().orElse(null);
    }

    /** Adds a generated token and returns the text it completes ("" while a character is incomplete). */
    public String push(int token) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = token;
        if (byteLevel != null) {
            return pushBytes(byteLevel.bytes(token, skipSpecialTokens));
        }
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
        if (byteLevel != null) {
            String rest = Utf8Lossy.decode(pending, 0, pendingLength);
            pendingLength = 0;
            text.append(rest);
            return rest;
        }
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

    private String pushBytes(byte[] b) {
        if (pendingLength + b.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + b.length));
        }
        System.arraycopy(b, 0, pending, pendingLength, b.length);
        pendingLength += b.length;
        int complete = completePrefix(pending, pendingLength);
        if (complete == 0) {
            return "";
        }
        String delta = Utf8Lossy.decode(pending, 0, complete);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        text.append(delta);
        return delta;
    }

    /**
     * The length of {@code bytes[0, length)} without a trailing incomplete UTF-8 character (a lead byte whose
     * continuation bytes have not all arrived). Malformed bytes count as complete: they decode to U+FFFD.
     */
    static int completePrefix(byte[] bytes, int length) {
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = bytes[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: look further back for its lead
            }
            int need = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 1;
            return need > back ? length - back : length;
        }
        return length;
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
