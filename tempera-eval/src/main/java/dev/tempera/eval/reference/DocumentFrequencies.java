package dev.tempera.eval.reference;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * CIDEr's document frequencies: for each n-gram (n = 1..4), the number of images whose reference set contains it,
 * and the number of images counted. Immutable.
 *
 * <p>CIDEr's idf is ln(documents) − ln(max(1, df(g))) (eval anchors §4.4). Built from the references being
 * scored ({@link #fromReferences}, coco-caption's {@code df_mode="corpus"}), a single image gives ln 1 = 0 and
 * therefore CIDEr 0, and scores move whenever the batch changes. Build the table once from a large reference
 * corpus instead, save it ({@link #write}) and pass it to every {@link CiderD#score} call: that is the fixed table
 * (coco-caption's {@code coco-val-df} mode, with its own corpus).
 *
 * <p>N-grams are keyed by their tokens joined with single spaces, as coco-caption's strings are; tokens must not
 * contain whitespace.
 *
 * <p>File format ({@link #write}/{@link #read}), UTF-8: a first line {@code #documents<TAB>N}, then one line per
 * n-gram: {@code df<TAB>tokens joined by spaces}.
 *
 * @param frequencies n-gram key to the number of documents (images) containing it, each in [1, documents]
 * @param documents the number of images counted, ≥ 1
 */
public record DocumentFrequencies(Map<String, Integer> frequencies, int documents) {

    /** CIDEr's largest n-gram order. */
    public static final int ORDER = 4;

    private static final String HEADER = "#documents\t";

    public DocumentFrequencies {
        frequencies = Map.copyOf(frequencies);
        if (documents < 1) {
            throw new IllegalArgumentException("documents must be >= 1, but is: " + documents);
        }
        for (Map.Entry<String, Integer> e : frequencies.entrySet()) {
            if (e.getValue() < 1 || e.getValue() > documents) {
                throw new IllegalArgumentException("document frequency of '" + e.getKey() + "' must be in [1, "
                        + documents + "] (documents), but is: " + e.getValue());
            }
        }
    }

    /**
     * Counts, over images, the n-grams of each image's reference set (an n-gram counts once per image however many
     * references contain it), as coco-caption's {@code compute_doc_freq}.
     *
     * @throws IllegalArgumentException when there are no images or an image has no references
     */
    public static DocumentFrequencies fromReferences(List<List<List<String>>> referencesPerImage) {
        Objects.requireNonNull(referencesPerImage, "referencesPerImage");
        if (referencesPerImage.isEmpty()) {
            throw new IllegalArgumentException("referencesPerImage must hold at least 1 image, but holds: 0");
        }
        Map<String, Integer> df = new HashMap<>();
        for (int i = 0; i < referencesPerImage.size(); i++) {
            List<List<String>> refs = referencesPerImage.get(i);
            if (refs == null || refs.isEmpty()) {
                throw new IllegalArgumentException("referencesPerImage[" + i + "] must hold at least 1 reference, but "
                        + (refs == null ? "is: null" : "holds: 0"));
            }
            Set<String> seen = new HashSet<>();
            for (List<String> ref : refs) {
                seen.addAll(ngramCounts(ref).keySet());
            }
            for (String g : seen) {
                df.merge(g, 1, Integer::sum);
            }
        }
        return new DocumentFrequencies(df, referencesPerImage.size());
    }

    /** The document frequency of the n-gram with key {@code key}; 0 when unseen. */
    public int frequency(String key) {
        return frequencies.getOrDefault(key, 0);
    }

    /** ln(documents): CIDEr's {@code ref_len}. */
    public double logDocuments() {
        return Math.log(documents);
    }

    /** Writes the table to {@code file} (format in the class comment), n-grams sorted, replacing the file. */
    public void write(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER + documents);
            w.newLine();
            for (Map.Entry<String, Integer> e : new TreeMap<>(frequencies).entrySet()) {
                w.write(e.getValue() + "\t" + e.getKey());
                w.newLine();
            }
        }
    }

    /**
     * Reads a table written by {@link #write}.
     *
     * @throws IllegalArgumentException naming the file and line when the content is not such a table
     */
    public static DocumentFrequencies read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).startsWith(HEADER)) {
            throw new IllegalArgumentException("document-frequency file " + file + " must start with '" + HEADER.strip()
                    + "<TAB>N', but starts with: " + (lines.isEmpty() ? "nothing (empty file)" : "'" + lines.get(0) + "'"));
        }
        int documents = parseInt(file, 1, lines.get(0).substring(HEADER.length()));
        Map<String, Integer> df = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0 || tab == line.length() - 1) {
                throw new IllegalArgumentException("document-frequency file " + file + " line " + (i + 1)
                        + " must be 'df<TAB>n-gram', but is: '" + line + "'");
            }
            if (df.put(line.substring(tab + 1), parseInt(file, i + 1, line.substring(0, tab))) != null) {
                throw new IllegalArgumentException("document-frequency file " + file + " line " + (i + 1)
                        + " repeats the n-gram: '" + line.substring(tab + 1) + "'");
            }
        }
        try {
            return new DocumentFrequencies(df, documents);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("document-frequency file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The counts of every n-gram (n = 1..4) of {@code tokens}, keyed by the tokens joined with spaces. */
    static Map<String, Integer> ngramCounts(List<String> tokens) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= ORDER; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int parseInt(Path file, int line, String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("document-frequency file " + file + " line " + line
                    + " must hold an integer count, but holds: '" + s + "'");
        }
    }
}
