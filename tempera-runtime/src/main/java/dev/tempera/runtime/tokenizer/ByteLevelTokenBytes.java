package dev.tempera.runtime.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes each token of a byte-level BPE tokenizer (GPT-2, Qwen2, Llama 3) decodes to, so that generated text can be
 * streamed in Java without a native decode call per token. Built from a {@code tokenizer.json} whose model is
 * {@code BPE} and whose decoder is {@code ByteLevel}; other tokenizers (SentencePiece's Metaspace, WordPiece) have no
 * table and are decoded by the native tokenizer.
 *
 * <p>Semantics of Hugging Face tokenizers' ByteLevel decoder: a token's characters are mapped back through GPT-2's
 * byte alphabet; a token with a character outside the alphabet (an added token such as {@code <|im_end|>} is inside
 * it; one with spaces or Chinese is not) contributes its own UTF-8 bytes. Special added tokens are dropped when
 * decoding with {@code skip_special_tokens}. Immutable and thread-safe.
 */
public final class ByteLevelTokenBytes {

    private final byte[][] bytes;
    private final boolean[] special;

    private ByteLevelTokenBytes(byte[][] bytes, boolean[] special) {
        this.bytes = bytes;
        this.special = special;
    }

    /** The table of a parsed {@code tokenizer.json}, or empty when it is not a byte-level BPE tokenizer. */
    public static Optional<ByteLevelTokenBytes> of(JsonNode tokenizerJson) {
        JsonNode model = tokenizerJson.path("model");
        JsonNode decoder = tokenizerJson.path("decoder");
        if (!model.path("type").asText().equals("BPE") || !decoder.path("type").asText().equals("ByteLevel")) {
            return Optional.empty();
        }
        int size = 0;
        for (JsonNode id : model.path("vocab")) {
            size = Math.max(size, id.asInt() + 1);
        }
        for (JsonNode t : tokenizerJson.path("added_tokens")) {
            size = Math.max(size, t.path("id").asInt() + 1);
        }
        byte[][] bytes = new byte[size][];
        boolean[] special = new boolean[size];
        Iterator<Map.Entry<String, JsonNode>> vocab = model.path("vocab").fields();
        while (vocab.hasNext()) {
            Map.Entry<String, JsonNode> e = vocab.next();
            bytes[e.getValue().asInt()] = tokenBytes(e.getKey());
        }
        for (JsonNode t : tokenizerJson.path("added_tokens")) {
            int id = t.path("id").asInt();
            bytes[id] = tokenBytes(t.path("content").asText());
            special[id] = t.path("special").asBoolean(false);
        }
        return Optional.of(new ByteLevelTokenBytes(bytes, special));
    }

    private static byte[] tokenBytes(String token) {
        byte[] out = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            int b = ByteLevelAlphabet.byteOf(token.charAt(i));
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            out[i] = (byte) b;
        }
        return out;
    }

    /** One more than the largest token id. */
    public int size() {
        return bytes.length;
    }

    /**
     * The bytes of {@code id}: empty for an unknown id (as the native decoder skips it) and for a special token when
     * {@code skipSpecialTokens}. The array is the table's own: do not modify it.
     */
    public byte[] bytes(int id, boolean skipSpecialTokens) {
        if (id < 0 || id >= bytes.length || bytes[id] == null || (skipSpecialTokens && special[id])) {
            return EMPTY;
        }
        return bytes[id];
    }

    private static final byte[] EMPTY = new byte[0];
}
