package dev.tempera.runtime.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CLIP tokenizer from the files transformers writes ({@code vocab.json}, {@code merges.txt},
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}) or from a {@code tokenizer.json}.
 */
final class ClipTokenizerFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClipTokenizerFiles() {}

    static ClipTokenizer load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("tokenizer folder must be an existing directory, but is: "
                    + (dir == null ? "null" : dir.toAbsolutePath()));
        }
        Path vocabFile = dir.resolve("vocab.json");
        Path mergesFile = dir.resolve("merges.txt");
        Path tokenizerJson = dir.resolve("tokenizer.json");
        Map<String, Integer> vocab;
        List<String> merges;
        Path source;
        if (Files.isRegularFile(vocabFile) && Files.isRegularFile(mergesFile)) {
            vocab = readVocab(vocabFile);
            merges = readMerges(mergesFile);
            source = vocabFile;
        } else if (Files.isRegularFile(tokenizerJson)) {
            JsonNode root = readJson(tokenizerJson);
            JsonNode model = root.path("model");
            if (!"BPE".equals(model.path("type").asText()) || !model.path("vocab").isObject()) {
                throw new IllegalStateException(tokenizerJson + " does not hold a BPE model (model.type is '"
                        + model.path("type").asText() + "'), so it is not a CLIP tokenizer");
            }
            vocab = new LinkedHashMap<>();
            model.path("vocab").fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));
            for (JsonNode added : root.path("added_tokens")) {
                vocab.putIfAbsent(added.path("content").asText(), added.path("id").asInt());
            }
            merges = new ArrayList<>();
            for (JsonNode m : model.path("merges")) {
                // "a b" in older files, ["a", "b"] in newer ones
                merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
            }
            source = tokenizerJson;
        } else {
            throw new IllegalArgumentException("tokenizer folder " + dir.toAbsolutePath()
                    + " must hold vocab.json + merges.txt or tokenizer.json, but holds none of them");
        }
        ClipTokenizerConfig config = readConfig(dir);
        try {
            return ClipTokenizer.of(vocab, merges, config);
        } catch (IllegalArgumentException e) {
            // the files, not the caller, are wrong
            throw new IllegalStateException("the tokenizer in " + source + " is inconsistent: " + e.getMessage(), e);
        }
    }

    /** tokenizer_config.json, then special_tokens_map.json over it (transformers' order), then CLIP's defaults. */
    static ClipTokenizerConfig readConfig(Path dir) {
        ClipTokenizerConfig defaults = ClipTokenizerConfig.clipDefaults();
        String bos = defaults.bosToken();
        String eos = defaults.eosToken();
        String unk = defaults.unkToken();
        String pad = defaults.padToken();
        int maxLength = defaults.modelMaxLength();
        for (String name : List.of("tokenizer_config.json", "special_tokens_map.json")) {
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode root = readJson(file);
            bos = token(root, "bos_token", bos, file);
            eos = token(root, "eos_token", eos, file);
            unk = token(root, "unk_token", unk, file);
            pad = token(root, "pad_token", pad, file);
            JsonNode max = root.get("model_max_length");
            if (max != null && max.isNumber()) {
                double v = max.asDouble();
                // transformers writes 1e30 for "no limit": keep CLIP's 77 then
                if (v >= 1 && v <= ClipTokenizerConfig.MAX_CONTEXT_LENGTH) {
                    maxLength = (int) v;
                }
            }
        }
        try {
            return new ClipTokenizerConfig(bos, eos, unk, pad, maxLength);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the tokenizer config in " + dir + " is invalid: " + e.getMessage(), e);
        }
    }

    /** A special token given as a string or as an AddedToken object {@code {"content": …}}; null keeps {@code current}. */
    private static String token(JsonNode root, String key, String current, Path file) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return current;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isObject() && v.path("content").isTextual()) {
            return v.path("content").asText();
        }
        throw new IllegalStateException(file + ": " + key + " must be a string or an object with \"content\", but is: " + v);
    }

    private static Map<String, Integer> readVocab(Path file) {
        JsonNode root = readJson(file);
        if (!root.isObject()) {
            throw new IllegalStateException(file + " must be a JSON object from token to id, but is: " + root.getNodeType());
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new IllegalStateException(file + ": the id of '" + e.getKey() + "' must be an integer, but is: "
                        + e.getValue());
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        return vocab;
    }

    /** Merge lines in rank order; a first line starting with {@code #version} is a header; blank lines are skipped. */
    private static List<String> readMerges(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> merges = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.startsWith("#version"))) {
                continue;
            }
            merges.add(line);
        }
        return merges;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + " as JSON: " + e.getMessage(), e);
        }
    }
}
