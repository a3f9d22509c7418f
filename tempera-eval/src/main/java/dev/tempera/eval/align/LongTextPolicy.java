package dev.tempera.eval.align;

/**
 * What {@link ClipScore} does with a text longer than CLIP's window (77 tokens: start, 75 text tokens, end).
 * Either way the whole-text (truncated) score and the number of tokens cut are reported too.
 */
public enum LongTextPolicy {
    /**
     * Score only the first 75 tokens, as Hessel's reference ({@code clip.tokenize(..., truncate=True)}) and
     * torchmetrics do. A long VLM description is then judged on its first ~60 words.
     */
    TRUNCATE,
    /**
     * Split the text into sentences (after {@code . ! ? ;} followed by a space or the end, after {@code 。！？；…},
     * and at line breaks); cut a sentence that alone exceeds the window into consecutive windows of tokens; score
     * each piece against the image and take the mean over the pieces. Texts that fit the window are scored whole,
     * exactly as with {@link #TRUNCATE}.
     */
    SENTENCE_MEAN
}
