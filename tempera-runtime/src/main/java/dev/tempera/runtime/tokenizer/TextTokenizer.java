package dev.tempera.runtime.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The tokenizer of a generative language model: a Hugging Face {@code tokenizer.json} run by DJL's Rust binding,
 * encoding one prompt into token ids and decoding generated ids back into text.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li><b>Special tokens are not added by default.</b> {@link #encode(String)} encodes the text as it is, as
 *       transformers' {@code apply_chat_template(tokenize=True)} does: a rendered chat template already holds its
 *       special tokens ({@code <|im_start|>} …), and they are recognised in the text as single tokens. Use
 *       {@link #encode(String, boolean)} with {@code true} for a raw prompt to a model whose post-processor adds a
 *       BOS token (Llama).</li>
 *   <li><b>No truncation, no padding.</b> The whole text is encoded; the caller checks it against the model's
 *       context length.</li>
 *   <li><b>Decoding pieces of a sequence</b> does not give pieces of the text: a multi-byte UTF-8 character may span
 *       two tokens, and SentencePiece tokenizers drop a leading space at the start. Stream text with
 *       {@link IncrementalDetokenizer}, which handles both.</li>
 *   <li>Thread safety: encoding and decoding from several threads is safe; {@link #close()} must not race with
 *       them. The caller owns the tokenizer and closes it. The native library is DJL's bundled CPU build; nothing is
 *       downloaded (see {@link HfTokenizer}).</li>
 * </ul>
 *
 * <pre>{@code
 * try (TextTokenizer tok = TextTokenizer.open(modelDir.resolve("tokenizer.json"))) {
 *     int[] ids = tok.encode("<|im_start|>user\nhello<|im_end|>\n");
 *     String text = tok.decode(ids, true);   // "user\nhello\n"
 * }
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> addedTokens;
    private final int vocabSize;
    private final ByteLevelTokenBytes byteLevel;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, Map<String, Integer> addedTokens, int vocabSize,
                          ByteLevelTokenBytes byteLevel) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.addedTokens = addedTokens;
        this.vocabSize = vocabSize;
        this.byteLevel = byteLevel;
    }

    /**
     * Loads {@code tokenizerJson}.
     *
     * @throws IllegalArgumentException when the file does not exist
     * @throws IllegalStateException when the file is not a tokenizer DJL can read (corrupt, truncated)
     */
    public static TextTokenizer open(Path tokenizerJson) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer.json must be an existing file, but is: "
                    + tokenizerJson.toAbsolutePath());
        }
        HfTokenizer.stayOffline();
        Map<String, Integer> added = new HashMap<>();
        int vocab;
        ByteLevelTokenBytes byteLevel;
        try {
            JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
            byteLevel = ByteLevelTokenBytes.of(root).orElse(null);
            int maxId = -1;
            for (JsonNode t : root.path("added_tokens")) {
                int id = t.path("id").asInt();
                added.put(t.path("content").asText(), id);
                maxId = Math.max(maxId, id);
            }
            for (JsonNode id : root.path("model").path("vocab")) {
                maxId = Math.max(maxId, id.asInt());
            }
            vocab = maxId + 1;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
        try {
            HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new TextTokenizer(tokenizerJson, tok, Collections.unmodifiableMap(added), vocab, byteLevel);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** The file this tokenizer was read from. */
    public Path file() {
        return file;
    }

    /**
     * One more than the largest id the tokenizer knows (base vocabulary and added tokens). A model's logits may be
     * wider (padded vocabularies); never narrower.
     */
    public int vocabSize() {
        return vocabSize;
    }

    /** Encodes {@code text} without adding special tokens. */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /** Encodes {@code text}; {@code addSpecialTokens} runs the file's post-processor (BOS/EOS of Llama-like models). */
    public int[] encode(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        long[] ids = tokenizer.encode(text, addSpecialTokens, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Decodes all of {@code ids}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, 0, ids.length, skipSpecialTokens);
    }

    /** Decodes {@code ids[from, to)}; an incomplete UTF-8 sequence at either end decodes to U+FFFD. */
    public String decode(int[] ids, int from, int to, boolean skipSpecialTokens) {
        Objects.checkFromToIndex(from, to, ids.length);
        long[] window = new long[to - from];
        for (int i = from; i < to; i++) {
            window[i - from] = ids[i];
        }
        return tokenizer.decode(window, skipSpecialTokens);
    }

    /**
     * The byte table of a byte-level BPE tokenizer (decodes without the native library; see
     * {@link ByteLevelTokenBytes}), or empty for other tokenizers.
     */
    public java.util.Optional<ByteLevelTokenBytes> byteLevel() {
        return java.util.Optional.ofNullable(byteLevel);
    }

    /** The id of an added (special) token such as {@code <|image_pad|>}, if the file has it. */
    public OptionalInt addedTokenId(String content) {
        Integer id = addedTokens.get(content);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The added tokens of the file, content to id (special and non-special). */
    public Map<String, Integer> addedTokens() {
        return addedTokens;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "TextTokenizer[" + file + ", vocab " + vocabSize + "]";
    }
}
