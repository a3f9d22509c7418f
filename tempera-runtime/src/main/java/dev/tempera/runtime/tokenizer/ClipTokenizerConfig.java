package dev.tempera.runtime.tokenizer;

import java.util.Objects;

/**
 * The special tokens and context length of a {@link ClipTokenizer}, as {@code tokenizer_config.json} and
 * {@code special_tokens_map.json} give them.
 *
 * <p>What callers trip on: the pad token differs between checkpoints. Stable Diffusion's {@code tokenizer/} pads
 * with {@code <|endoftext|>} (the end token, id 49407 in CLIP ViT-L), SDXL's {@code tokenizer_2/} pads with
 * {@code "!"} (id 0). Both are valid; always take it from the folder ({@link ClipTokenizer#load}) rather than
 * assuming it.
 *
 * @param bosToken the start token prepended to every text ({@code <|startoftext|>})
 * @param eosToken the end token appended to every text ({@code <|endoftext|>}); kept even when truncating
 * @param unkToken the token for symbols missing from the vocabulary ({@code <|endoftext|>} in CLIP)
 * @param padToken the token that fills positions after the end token when padding
 * @param modelMaxLength the context length including start and end tokens (77 for every CLIP), in [3, 65536]
 */
public record ClipTokenizerConfig(String bosToken, String eosToken, String unkToken, String padToken, int modelMaxLength) {

    /** CLIP's context length, the default when a folder states none. */
    public static final int CLIP_CONTEXT_LENGTH = 77;

    /** The largest context length accepted (transformers writes 1e30 for "no limit", which is not one). */
    public static final int MAX_CONTEXT_LENGTH = 65536;

    public ClipTokenizerConfig {
        Objects.requireNonNull(bosToken, "bosToken");
        Objects.requireNonNull(eosToken, "eosToken");
        Objects.requireNonNull(unkToken, "unkToken");
        Objects.requireNonNull(padToken, "padToken");
        for (String[] t : new String[][] {{"bosToken", bosToken}, {"eosToken", eosToken}, {"unkToken", unkToken},
                {"padToken", padToken}}) {
            if (t[1].isEmpty()) {
                throw new IllegalArgumentException(t[0] + " must be a non-empty token, but is: \"\"");
            }
        }
        if (modelMaxLength < 3 || modelMaxLength > MAX_CONTEXT_LENGTH) {
            throw new IllegalArgumentException("modelMaxLength must be in [3, " + MAX_CONTEXT_LENGTH
                    + "] (start + at least one token + end), but is: " + modelMaxLength);
        }
    }

    /** The defaults of transformers' {@code CLIPTokenizer}: padding with the end token, 77 positions. */
    public static ClipTokenizerConfig clipDefaults() {
        return new ClipTokenizerConfig("<|startoftext|>", "<|endoftext|>", "<|endoftext|>", "<|endoftext|>",
                CLIP_CONTEXT_LENGTH);
    }

    /** A copy with another pad token (SDXL's {@code tokenizer_2} uses {@code "!"}). */
    public ClipTokenizerConfig withPadToken(String token) {
        return new ClipTokenizerConfig(bosToken, eosToken, unkToken, token, modelMaxLength);
    }

    /** A copy with another context length. */
    public ClipTokenizerConfig withModelMaxLength(int length) {
        return new ClipTokenizerConfig(bosToken, eosToken, unkToken, padToken, length);
    }
}
