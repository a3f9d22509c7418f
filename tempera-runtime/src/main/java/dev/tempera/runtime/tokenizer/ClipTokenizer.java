package dev.tempera.runtime.tokenizer;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer in pure Java, from {@code vocab.json} + {@code merges.txt} (or a
 * {@code tokenizer.json}) — the tokenizer of every CLIP text encoder, including Stable Diffusion's and SDXL's.
 *
 * <p>The steps, in order (transformers' {@code CLIPTokenizer} / tokenizers' CLIP {@code tokenizer.json}):
 * <ol>
 *   <li>normalise: Unicode NFC, every run of Unicode whitespace to one space, lower case;</li>
 *   <li>split out the special tokens of the config (start, end, unknown, pad) wherever they occur;</li>
 *   <li>split the rest with CLIP's pattern {@code <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 *       (whitespace is dropped; every digit is its own word; a run of letters of any script is one word);</li>
 *   <li>map each word's UTF-8 bytes to GPT-2's printable byte characters, mark the last with {@code </w>};</li>
 *   <li>BPE: repeatedly merge the adjacent pair with the lowest rank in {@code merges.txt} (words are cached);</li>
 *   <li>wrap as {@code <|startoftext|> tokens <|endoftext|>}, truncate to the context length keeping the end token,
 *       pad with the config's pad token ({@link ClipEncoding}).</li>
 * </ol>
 *
 * <p>What callers trip on:
 * <ul>
 *   <li><b>No ftfy.</b> The Python tokenizers run {@code ftfy.fix_text} (mojibake repair, then NFC) before
 *       step 1 when ftfy is installed; it is not available on the JVM, so only its NFC part is done here. Text with
 *       mojibake ("cafÃ©") therefore stays broken here where ftfy would repair it. When ftfy is <i>not</i>
 *       installed, transformers' slow tokenizer falls back to BERT's basic tokenizer, which splits Chinese into
 *       single characters; this class does not copy that fallback: it follows the fast tokenizer
 *       ({@code tokenizer.json}) and the original CLIP, which keep a run of Chinese characters as one word
 *       (shapes-clip was trained that way).</li>
 *   <li>Capital sigma is lower-cased to σ everywhere, as the Rust tokenizer does character by character (Python's
 *       {@code str.lower()} would give ς at the end of a word).</li>
 *   <li>Special tokens are split out wherever they occur, as in transformers — including SDXL's pad token
 *       {@code "!"}: "wow!" encodes its "!" as id 0, not as the word {@code !</w>}. diffusers does the same; SDXL's
 *       training tokenizer (open_clip) does not (diffusers issue #4153).</li>
 *   <li>All of {@code merges.txt} is used (transformers' slow tokenizer reads only the first 48,894 merges, which
 *       is all of them for the published CLIPs); a first line starting with {@code #version} is a header.</li>
 *   <li>Context length: 77 for CLIP. {@link #encode(String)} truncates and pads to it (what Stable Diffusion
 *       feeds its text encoder); {@link Padding#NONE} leaves the padding out.</li>
 * </ul>
 *
 * <p>Thread safety: immutable apart from a concurrent cache of BPE results per word (at most
 * {@value #CACHE_CAPACITY} words); safe to share between threads.
 *
 * <pre>{@code
 * ClipTokenizer tok = ClipTokenizer.load(Path.of("models/shapes-clip"));
 * ClipEncoding e = tok.encode("a red circle");          // 77 ids: bos, 3 tokens, eos, 72 × pad
 * e.truncationWarning().ifPresent(System.err::println); // only for texts over 75 tokens
 * }</pre>
 */
public final class ClipTokenizer {

    /** How an encoding is padded. */
    public enum Padding {
        /** To the context length (Stable Diffusion's {@code padding="max_length"}). */
        MAX_LENGTH,
        /** In a batch, to the longest encoding of the batch ({@code padding=True}); a single text is not padded. */
        LONGEST,
        /** Not at all: start token, text, end token. */
        NONE
    }

    /** Words whose BPE result is kept (the Rust tokenizer's default cache size). */
    public static final int CACHE_CAPACITY = 10_000;

    static final String END_OF_WORD = "</w>";

    private static final Pattern WHITESPACE = Pattern.compile("\\p{IsWhite_Space}+");
    private static final Pattern CLIP_SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+");

    private final Map<String, Integer> encoder;
    private final String[] decoder;
    private final BpeMergeTable merges;
    private final ClipTokenizerConfig config;
    private final int bosId;
    private final int eosId;
    private final int unkId;
    private final int padId;
    /** Special token strings, longest first, split out before the pattern. */
    private final String[] specials;
    private final int[] specialIds;
    private final Set<Integer> specialIdSet;
    /** Id of each byte character, and of each byte character + {@code </w>}; -1 when absent. */
    private final int[] byteIds = new int[256];
    private final int[] byteEndIds = new int[256];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private ClipTokenizer(Map<String, Integer> vocab, List<String> mergeLines, ClipTokenizerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(vocab, "vocab");
        Objects.requireNonNull(mergeLines, "merges");
        if (vocab.isEmpty()) {
            throw new IllegalArgumentException("vocab must hold at least the byte characters, but is empty");
        }
        this.encoder = Map.copyOf(vocab);
        int maxId = -1;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            if (id < 0) {
                throw new IllegalArgumentException("vocab ids must be >= 0, but '" + e.getKey() + "' has: " + id);
            }
            maxId = Math.max(maxId, id);
        }
        this.decoder = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            decoder[e.getValue()] = e.getKey();
        }
        this.merges = new BpeMergeTable(mergeLines.size());
        for (int rank = 0; rank < mergeLines.size(); rank++) {
            String line = mergeLines.get(rank);
            int space = line.indexOf(' ');
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0) {
                throw new IllegalArgumentException("merge " + rank + " must be two tokens separated by one space, but is: '"
                        + line + "'");
            }
            String left = line.substring(0, space);
            String right = line.substring(space + 1);
            Integer l = vocab.get(left);
            Integer r = vocab.get(right);
            Integer m = vocab.get(left + right);
            if (l == null || r == null || m == null) {
                throw new IllegalArgumentException("merge " + rank + " '" + line + "' needs '" + (l == null ? left
                        : r == null ? right : left + right) + "' in the vocabulary, but it is missing");
            }
            merges.put(l, r, rank, m);
        }
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevelAlphabet.charOf(b));
            byteIds[b] = vocab.getOrDefault(c, -1);
            byteEndIds[b] = vocab.getOrDefault(c + END_OF_WORD, -1);
        }
        this.bosId = requireToken(vocab, "bosToken", config.bosToken());
        this.eosId = requireToken(vocab, "eosToken", config.eosToken());
        this.unkId = requireToken(vocab, "unkToken", config.unkToken());
        this.padId = requireToken(vocab, "padToken", config.padToken());
        Set<String> special = new LinkedHashSet<>(List.of(config.bosToken(), config.eosToken(), config.unkToken(),
                config.padToken()));
        this.specials = special.stream().sorted((a, b) -> b.length() - a.length()).toArray(String[]::new);
        this.specialIds = Arrays.stream(specials).mapToInt(vocab::get).toArray();
        this.specialIdSet = Set.of(Arrays.stream(specialIds).boxed().distinct().toArray(Integer[]::new));
    }

    private static int requireToken(Map<String, Integer> vocab, String name, String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(name + " '" + token + "' must be in the vocabulary, but is missing");
        }
        return id;
    }

    /**
     * A tokenizer from an in-memory vocabulary and merge list.
     *
     * @param vocab token to id, with the byte characters and byte characters + {@code </w>} that texts need
     * @param merges merge lines {@code "left right"} in rank order (no header)
     * @throws IllegalArgumentException if a merge is malformed or uses a token missing from {@code vocab}, or a
     *     special token of {@code config} is missing from it
     */
    public static ClipTokenizer of(Map<String, Integer> vocab, List<String> merges, ClipTokenizerConfig config) {
        return new ClipTokenizer(vocab, merges, config);
    }

    /**
     * Loads the tokenizer of a model folder: {@code vocab.json} + {@code merges.txt} when both exist, otherwise
     * the BPE model of {@code tokenizer.json}; special tokens and context length from {@code tokenizer_config.json}
     * overridden by {@code special_tokens_map.json} (as transformers does), CLIP's defaults for what neither states.
     *
     * @throws IllegalArgumentException if {@code dir} is not a folder or holds none of the tokenizer files
     * @throws IllegalStateException if a file is unreadable or inconsistent (the message names it)
     */
    public static ClipTokenizer load(Path dir) {
        return ClipTokenizerFiles.load(dir);
    }

    // ---------------------------------------------------------------------------------------------------------
    // text -> tokens

    /** Step 1: NFC, whitespace runs to one space, lower case (see the class comment for what is not done). */
    static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        s = WHITESPACE.matcher(s).replaceAll(" ");
        // Lower-case character by character like the Rust tokenizer: no final-sigma rule.
        return s.replace('\u03A3', '\u03C3').toLowerCase(Locale.ROOT);
    }

    /** The BPE token strings of {@code text}, without start and end tokens and without truncation. */
    public List<String> tokenize(String text) {
        int[] ids = encodeText(text);
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(decoder[id]);
        }
        return out;
    }

    /**
     * The token ids of {@code text} without start and end tokens and without truncation: the raw material of
     * {@link #encode}. Its length is what counts against the context ({@code maxLength() − 2} fit).
     */
    public int[] encodeText(String text) {
        Objects.requireNonNull(text, "text");
        String normalized = normalize(text);
        IntList out = new IntList(Math.max(8, normalized.length() / 3));
        int start = 0;
        while (start < normalized.length()) {
            int bestAt = -1;
            int best = -1;
            for (int s = 0; s < specials.length; s++) {
                int at = normalized.indexOf(specials[s], start);
                // specials are sorted longest first, so on a tie the longest wins (leftmost-longest)
                if (at >= 0 && (bestAt < 0 || at < bestAt)) {
                    bestAt = at;
                    best = s;
                }
            }
            int end = bestAt < 0 ? normalized.length() : bestAt;
            splitAndEncode(normalized, start, end, out);
            if (bestAt < 0) {
                break;
            }
            out.add(specialIds[best]);
            start = bestAt + specials[best].length();
        }
        return out.toArray();
    }

    /** The number of BPE tokens of {@code text} (no start and end tokens). */
    public int countTokens(String text) {
        return encodeText(text).length;
    }

    private void splitAndEncode(String text, int from, int to, IntList out) {
        if (from >= to) {
            return;
        }
        Matcher m = CLIP_SPLIT.matcher(text);
        m.region(from, to);
        while (m.find()) {
            String word = m.group();
            if (word.startsWith("<|") && (word.equals("<|startoftext|>") || word.equals("<|endoftext|>"))) {
                // CLIP's pattern keeps these whole; the original CLIP maps them to their ids (when in the vocabulary)
                Integer id = encoder.get(word);
                if (id != null) {
                    out.add(id);
                    continue;
                }
            }
            int[] ids = cache.get(word);
            if (ids == null) {
                ids = bpe(word);
                if (cache.size() < CACHE_CAPACITY) {
                    cache.putIfAbsent(word, ids);
                }
            }
            out.addAll(ids);
        }
    }

    /** BPE of one pre-tokenized word: byte characters, {@code </w>} on the last, merges by rank. */
    private int[] bpe(String word) {
        byte[] bytes = word.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = bytes.length;
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            symbols[i] = i == n - 1 ? byteEndIds[b] : byteIds[b];
        }
        while (n > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestMerged = -1;
            int bestLeft = -1;
            int bestRight = -1;
            for (int i = 0; i + 1 < n; i++) {
                long found = merges.find(symbols[i], symbols[i + 1]);
                if (found >= 0 && BpeMergeTable.rank(found) < bestRank) {
                    bestRank = BpeMergeTable.rank(found);
                    bestMerged = BpeMergeTable.merged(found);
                    bestLeft = symbols[i];
                    bestRight = symbols[i + 1];
                }
            }
            if (bestMerged < 0) {
                break;
            }
            // merge every occurrence of the best pair, left to right, without overlap (CLIP's bpe())
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (i + 1 < n && symbols[i] == bestLeft && symbols[i + 1] == bestRight) {
                    symbols[w++] = bestMerged;
                    i++;
                } else {
                    symbols[w++] = symbols[i];
                }
            }
            n = w;
        }
        int[] out = Arrays.copyOf(symbols, n);
        for (int i = 0; i < n; i++) {
            if (out[i] < 0) {
                out[i] = unkId;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // tokens -> encoding

    /** {@code text} truncated and padded to the context length, as Stable Diffusion tokenizes a prompt. */
    public ClipEncoding encode(String text) {
        return encode(text, Padding.MAX_LENGTH);
    }

    /**
     * {@code text} as start token, text tokens (at most {@code maxLength() − 2}), end token, padded as asked
     * ({@link Padding#LONGEST} pads nothing for a single text).
     */
    public ClipEncoding encode(String text, Padding padding) {
        Objects.requireNonNull(padding, "padding");
        return encodeTokenIds(encodeText(text), padding);
    }

    /**
     * Wraps text token ids (from {@link #encodeText}, or a window of them) with start and end tokens, truncating
     * to the context length and padding as asked.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public ClipEncoding encodeTokenIds(int[] textIds, Padding padding) {
        Objects.requireNonNull(textIds, "textIds");
        Objects.requireNonNull(padding, "padding");
        for (int i = 0; i < textIds.length; i++) {
            int id = textIds[i];
            if (id < 0 || id >= decoder.length || decoder[id] == null) {
                throw new IllegalArgumentException("textIds[" + i + "] must be a vocabulary id in [0, " + decoder.length
                        + "), but is: " + id);
            }
        }
        int max = config.modelMaxLength();
        int kept = Math.min(textIds.length, max - 2);
        int real = kept + 2;
        int length = padding == Padding.MAX_LENGTH ? max : real;
        int[] ids = new int[length];
        int[] mask = new int[length];
        ids[0] = bosId;
        System.arraycopy(textIds, 0, ids, 1, kept);
        ids[kept + 1] = eosId;
        Arrays.fill(mask, 0, real, 1);
        Arrays.fill(ids, real, length, padId);
        int removed = textIds.length - kept;
        String removedText = removed == 0 ? "" : decode(Arrays.copyOfRange(textIds, kept, textIds.length), false);
        return new ClipEncoding(ids, mask, textIds.length, removed, removedText);
    }

    /**
     * Encodes a batch; {@link Padding#LONGEST} pads every encoding to the longest of the batch, so the ids form a
     * rectangular {@code [batch, length]} tensor.
     */
    public List<ClipEncoding> encodeBatch(List<String> texts, Padding padding) {
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(padding, "padding");
        List<ClipEncoding> out = new ArrayList<>(texts.size());
        int longest = 0;
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null) {
                throw new IllegalArgumentException("texts[" + i + "] must be a string, but is: null");
            }
            ClipEncoding e = encode(t, padding == Padding.MAX_LENGTH ? Padding.MAX_LENGTH : Padding.NONE);
            longest = Math.max(longest, e.paddedLength());
            out.add(e);
        }
        if (padding == Padding.LONGEST) {
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).paddedLength() < longest) {
                    out.set(i, out.get(i).padTo(longest, padId));
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // ids -> text

    /**
     * Text of token ids as transformers' {@code CLIPTokenizer.decode} gives it without clean-up: tokens joined,
     * byte characters back to UTF-8 (invalid bytes become U+FFFD), {@code </w>} to a space, stripped.
     *
     * @param skipSpecialTokens whether start, end, unknown and pad tokens are left out
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= decoder.length || decoder[id] == null) {
                throw new IllegalArgumentException("ids[" + i + "] must be a vocabulary id in [0, " + decoder.length
                        + "), but is: " + id);
            }
            if (skipSpecialTokens && specialIdSet.contains(id)) {
                continue;
            }
            sb.append(decoder[id]);
        }
        return ByteLevelAlphabet.decode(sb).replace(END_OF_WORD, " ").strip();
    }

    // ---------------------------------------------------------------------------------------------------------
    // vocabulary

    /** The context length including start and end tokens (77 for CLIP). */
    public int maxLength() {
        return config.modelMaxLength();
    }

    /** Text tokens that fit in one encoding: {@code maxLength() − 2}. */
    public int maxTextTokens() {
        return config.modelMaxLength() - 2;
    }

    public ClipTokenizerConfig config() {
        return config;
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    /** Number of entries in the vocabulary. */
    public int vocabSize() {
        return encoder.size();
    }

    /** The id of a token string, or -1. */
    public int tokenToId(String token) {
        return encoder.getOrDefault(token, -1);
    }

    /**
     * The token string of an id.
     *
     * @throws IllegalArgumentException if the id is outside the vocabulary
     */
    public String idToToken(int id) {
        if (id < 0 || id >= decoder.length || decoder[id] == null) {
            throw new IllegalArgumentException("id must be a vocabulary id in [0, " + decoder.length + "), but is: " + id);
        }
        return decoder[id];
    }

    @Override
    public String toString() {
        return "ClipTokenizer[vocab=" + encoder.size() + ", merges=" + merges.size() + ", maxLength=" + maxLength()
                + ", pad='" + config.padToken() + "']";
    }

    /** A growable int array (avoids boxing while collecting ids). */
    private static final class IntList {
        private int[] data;
        private int size;

        IntList(int capacity) {
            data = new int[capacity];
        }

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        void addAll(int[] vs) {
            if (size + vs.length > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + vs.length));
            }
            System.arraycopy(vs, 0, data, size, vs.length);
            size += vs.length;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
