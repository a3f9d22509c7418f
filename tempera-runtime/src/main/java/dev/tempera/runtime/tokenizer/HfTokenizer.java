package dev.tempera.runtime.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face {@code tokenizer.json} (WordPiece, BPE, Unigram…) run by DJL's Rust binding, encoding batches of
 * texts into the padded {@code input_ids} / {@code attention_mask} / {@code token_type_ids} that transformer
 * encoders take.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li><b>Offline.</b> DJL ships the native library inside its jar, but on a machine with CUDA it would try to
 *       download a CUDA build of it. Before the first tokenizer is created this class therefore sets the system
 *       property {@code ai.djl.offline=true} unless the property or the {@code DJL_OFFLINE} environment variable is
 *       already set, so the bundled CPU library is always used and nothing is fetched. The native library is
 *       extracted once to DJL's cache ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).</li>
 *   <li><b>Truncation and padding are ours, not the file's.</b> Whatever the {@code tokenizer.json} says, texts are
 *       cut at {@link #maxTokens()} tokens (special tokens included) and a batch is padded on the right to its
 *       longest row, never to a fixed length.</li>
 *   <li>Special tokens ({@code [CLS]}, {@code [SEP]}, {@code <s>}…) are added as the file's post-processor says.</li>
 *   <li>Thread safety: encoding from several threads at once is safe (the Rust tokenizer is immutable);
 *       {@link #close()} must not race with {@link #encode}. The caller owns the tokenizer and closes it.</li>
 * </ul>
 *
 * <pre>{@code
 * try (HfTokenizer tok = HfTokenizer.open(dir.resolve("tokenizer.json"), 256)) {
 *     HfTokenizer.Batch b = tok.encode(List.of("a red circle", "a small blue square"));
 *     // b.inputIds() is b.rows() x b.columns(), row-major
 * }
 * }</pre>
 */
public final class HfTokenizer implements AutoCloseable {

    /** The DJL switch that forbids downloads; set by this class unless the user decided. */
    static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private final String source;
    private final int maxTokens;
    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(String source, int maxTokens, HuggingFaceTokenizer tokenizer) {
        this.source = source;
        this.maxTokens = maxTokens;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads {@code tokenizerJson}.
     *
     * @param maxTokens the most tokens a text is encoded to, special tokens included, ≥ 2
     * @throws IllegalArgumentException when the file does not exist or {@code maxTokens} is out of range
     * @throws IllegalStateException when the file is not a tokenizer DJL can read
     */
    public static HfTokenizer open(Path tokenizerJson, int maxTokens) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        checkMaxTokens(maxTokens);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer.json must be an existing file, but is: "
                    + tokenizerJson.toAbsolutePath());
        }
        stayOffline();
        try {
            return new HfTokenizer(tokenizerJson.toString(), maxTokens,
                    HuggingFaceTokenizer.newInstance(tokenizerJson, options(maxTokens)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a {@code tokenizer.json} from a stream (a classpath resource, say); the stream is read fully but not
     * closed.
     *
     * @param sourceName what to call it in messages (the resource name)
     * @param maxTokens the most tokens a text is encoded to, special tokens included, ≥ 2
     */
    public static HfTokenizer open(InputStream tokenizerJson, String sourceName, int maxTokens) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        Objects.requireNonNull(sourceName, "sourceName");
        checkMaxTokens(maxTokens);
        stayOffline();
        try {
            return new HfTokenizer(sourceName, maxTokens,
                    HuggingFaceTokenizer.newInstance(tokenizerJson, options(maxTokens)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot load the tokenizer " + sourceName + ": " + e.getMessage(), e);
        }
    }

    /** The most tokens one text is encoded to, special tokens included. */
    public int maxTokens() {
        return maxTokens;
    }

    /** Token strings of {@code text} with special tokens, after truncation (for inspection and tests). */
    public List<String> tokens(String text) {
        Objects.requireNonNull(text, "text");
        return List.of(tokenizer.encode(text).getTokens());
    }

    /**
     * Encodes {@code texts} as one batch, padded on the right to the longest row.
     *
     * @throws IllegalArgumentException when {@code texts} is empty or holds a null
     */
    public Batch encode(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("texts must hold at least 1 text, but holds: 0");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] must be a string, but is: null");
            }
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int rows = encodings.length;
        int columns = 0;
        for (Encoding e : encodings) {
            columns = Math.max(columns, e.getIds().length);
        }
        long[] ids = new long[rows * columns];
        long[] mask = new long[rows * columns];
        long[] types = new long[rows * columns];
        for (int r = 0; r < rows; r++) {
            // DJL pads to the longest row already; copying by length keeps this right if it did not.
            long[] rowIds = encodings[r].getIds();
            System.arraycopy(rowIds, 0, ids, r * columns, rowIds.length);
            long[] rowMask = encodings[r].getAttentionMask();
            System.arraycopy(rowMask, 0, mask, r * columns, rowMask.length);
            long[] rowTypes = encodings[r].getTypeIds();
            System.arraycopy(rowTypes, 0, types, r * columns, rowTypes.length);
        }
        return new Batch(rows, columns, ids, mask, types);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + source + ", maxTokens=" + maxTokens + "]";
    }

    /**
     * One encoded batch, row-major {@code rows x columns} and right-padded (mask 0 on padding). The arrays are the
     * batch's own: they are handed out without copying so that they can be wrapped into tensors directly; do not
     * modify them.
     *
     * @param rows the number of texts
     * @param columns the longest row's token count
     * @param inputIds token ids
     * @param attentionMask 1 for real tokens, 0 for padding
     * @param typeIds segment ids (0 for single texts)
     */
    public record Batch(int rows, int columns, long[] inputIds, long[] attentionMask, long[] typeIds) {

        public Batch {
            Objects.requireNonNull(inputIds, "inputIds");
            Objects.requireNonNull(attentionMask, "attentionMask");
            Objects.requireNonNull(typeIds, "typeIds");
            if (rows < 1 || columns < 0) {
                throw new IllegalArgumentException("rows must be >= 1 and columns >= 0, but are: " + rows + " x " + columns);
            }
            long size = (long) rows * columns;
            if (inputIds.length != size || attentionMask.length != size || typeIds.length != size) {
                throw new IllegalArgumentException("inputIds, attentionMask and typeIds must each hold rows x columns = "
                        + size + " values, but hold: " + inputIds.length + ", " + attentionMask.length + ", "
                        + typeIds.length);
            }
        }

        /** The number of real (unmasked) tokens of row {@code r}. */
        public int length(int r) {
            int n = 0;
            for (int c = 0; c < columns; c++) {
                n += attentionMask[r * columns + c] != 0 ? 1 : 0;
            }
            return n;
        }
    }

    private static Map<String, String> options(int maxTokens) {
        return Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "true",
                "maxLength", Integer.toString(maxTokens));
    }

    private static void checkMaxTokens(int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be >= 2 (room for the special tokens), but is: " + maxTokens);
        }
    }

    /** Makes DJL use its bundled native library and never download, unless the user chose otherwise. */
    static synchronized void stayOffline() {
        if (System.getProperty(OFFLINE_PROPERTY) == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
    }
}
