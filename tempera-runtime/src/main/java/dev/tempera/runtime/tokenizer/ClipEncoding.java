package dev.tempera.runtime.tokenizer;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One text as a CLIP text encoder takes it: {@code <|startoftext|>}, the BPE tokens, {@code <|endoftext|>}, then
 * pad tokens, with the attention mask (1 on the start token, the text and the end token, 0 on padding) and what
 * truncation removed.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>When the pad token is the end token (Stable Diffusion, most CLIPs), the ids alone do not say where the text
 *       ends: use {@link #length()} or the mask.</li>
 *   <li>Truncation keeps the first {@code maxLength − 2} text tokens and always ends with the end token, as
 *       transformers does with {@code truncation=True}; {@link #removedText()} is what was cut, decoded, as in the
 *       warning diffusers logs ({@link #truncationWarning()}).</li>
 *   <li>Immutable: the accessors return copies of the arrays; {@link #copyIdsTo} fills a batch without copying
 *       twice.</li>
 * </ul>
 *
 * @param ids token ids, {@code length()} real ones followed by padding
 * @param attentionMask 1 for the {@code length()} real positions, then 0; as long as {@code ids}
 * @param textTokenCount BPE tokens in the whole text, before truncation and without start/end tokens
 * @param removedTokenCount text tokens truncation cut off, in [0, textTokenCount]
 * @param removedText the cut tokens decoded back to text, "" when nothing was cut
 */
public record ClipEncoding(int[] ids, int[] attentionMask, int textTokenCount, int removedTokenCount, String removedText) {

    public ClipEncoding {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(attentionMask, "attentionMask");
        Objects.requireNonNull(removedText, "removedText");
        if (attentionMask.length != ids.length) {
            throw new IllegalArgumentException("attentionMask must be as long as ids (" + ids.length + "), but is: "
                    + attentionMask.length);
        }
        if (ids.length < 2) {
            throw new IllegalArgumentException("ids must hold at least the start and end tokens (2), but holds: "
                    + ids.length);
        }
        boolean padding = false;
        for (int i = 0; i < attentionMask.length; i++) {
            int m = attentionMask[i];
            if (m != 0 && m != 1) {
                throw new IllegalArgumentException("attentionMask[" + i + "] must be 0 or 1, but is: " + m);
            }
            if (m == 1 && padding) {
                throw new IllegalArgumentException("attentionMask must be 1s then 0s (right padding), but position "
                        + i + " is 1 after a 0");
            }
            padding |= m == 0;
        }
        if (textTokenCount < 0) {
            throw new IllegalArgumentException("textTokenCount must be >= 0, but is: " + textTokenCount);
        }
        if (removedTokenCount < 0 || removedTokenCount > textTokenCount) {
            throw new IllegalArgumentException("removedTokenCount must be in [0, textTokenCount=" + textTokenCount
                    + "], but is: " + removedTokenCount);
        }
        ids = ids.clone();
        attentionMask = attentionMask.clone();
    }

    /** A copy of the token ids. */
    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** A copy of the attention mask. */
    @Override
    public int[] attentionMask() {
        return attentionMask.clone();
    }

    /** Positions holding real tokens: start token + kept text tokens + end token. */
    public int length() {
        int n = 0;
        while (n < attentionMask.length && attentionMask[n] == 1) {
            n++;
        }
        return n;
    }

    /** The padded length ({@code ids().length}). */
    public int paddedLength() {
        return ids.length;
    }

    /** The id at {@code position}. */
    public int id(int position) {
        return ids[position];
    }

    /** Whether truncation cut any text token. */
    public boolean truncated() {
        return removedTokenCount > 0;
    }

    /**
     * The warning diffusers logs when a prompt is cut ("The following part of your input was truncated because CLIP
     * can only handle sequences up to N tokens: …"), or empty when nothing was cut.
     */
    public Optional<String> truncationWarning() {
        if (!truncated()) {
            return Optional.empty();
        }
        return Optional.of("The following part of your input was truncated because CLIP can only handle sequences up to "
                + ids.length + " tokens (" + removedTokenCount + " tokens removed): " + removedText);
    }

    /** Writes the ids into {@code dest[offset ..]} as longs (ONNX {@code input_ids} are int64). */
    public void copyIdsTo(long[] dest, int offset) {
        for (int i = 0; i < ids.length; i++) {
            dest[offset + i] = ids[i];
        }
    }

    /** Writes the mask into {@code dest[offset ..]} as longs. */
    public void copyMaskTo(long[] dest, int offset) {
        for (int i = 0; i < attentionMask.length; i++) {
            dest[offset + i] = attentionMask[i];
        }
    }

    /**
     * This encoding padded on the right to {@code length} positions with {@code padId} (mask 0).
     *
     * @throws IllegalArgumentException if {@code length} is shorter than {@link #length()} (padding never truncates)
     */
    public ClipEncoding padTo(int length, int padId) {
        int real = length();
        if (length < real) {
            throw new IllegalArgumentException("length must be >= the real tokens (" + real
                    + ") because padding never truncates, but is: " + length);
        }
        int[] newIds = new int[length];
        int[] newMask = new int[length];
        System.arraycopy(ids, 0, newIds, 0, real);
        Arrays.fill(newMask, 0, real, 1);
        Arrays.fill(newIds, real, length, padId);
        return new ClipEncoding(newIds, newMask, textTokenCount, removedTokenCount, removedText);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipEncoding e && Arrays.equals(ids, e.ids) && Arrays.equals(attentionMask, e.attentionMask)
                && textTokenCount == e.textTokenCount && removedTokenCount == e.removedTokenCount
                && removedText.equals(e.removedText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(ids), Arrays.hashCode(attentionMask), textTokenCount, removedTokenCount,
                removedText);
    }

    @Override
    public String toString() {
        return "ClipEncoding[ids=" + Arrays.toString(Arrays.copyOf(ids, length())) + " + " + (ids.length - length())
                + " pad, textTokenCount=" + textTokenCount + ", removedTokenCount=" + removedTokenCount + "]";
    }
}
