package dev.tempera.runtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a model folder's chat template the way transformers does, and the special tokens that go with it.
 *
 * <p>Precedence, first file present wins:
 * <ol>
 *   <li>{@code chat_template.jinja}: the template as a file (newer exports);</li>
 *   <li>{@code chat_template.json}: {@code {"chat_template": "..."}} (processors, e.g. Qwen2.5-VL);</li>
 *   <li>{@code tokenizer_config.json}, key {@code chat_template}: a string, or a list of
 *       {@code {"name": ..., "template": ...}} (e.g. {@code default} and {@code tool_use}).</li>
 * </ol>
 * The special tokens always come from {@code tokenizer_config.json} when it exists, whichever file held the template:
 * transformers passes {@code tokenizer.special_tokens_map} to every render. Each of {@code bos_token},
 * {@code eos_token}, {@code unk_token}, {@code sep_token}, {@code pad_token}, {@code cls_token}, {@code mask_token}
 * may be a string or an {@code {"content": ...}} object; null or empty ones are left out (so the template sees them
 * undefined), and {@code additional_special_tokens}, when non-empty, is passed as a list of strings.
 */
final class ChatTemplateFiles {

    static final String JINJA = "chat_template.jinja";
    static final String JSON = "chat_template.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private static final List<String> SPECIAL_TOKENS = List.of(
            "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");
    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    /**
     * One template as found in a file.
     *
     * @param name its name in a list of named templates, or {@code null} for a file's only template
     * @param text the Jinja source
     * @param origin file and key, for messages
     */
    record Found(String name, String text, String origin) {}

    /**
     * What a model folder holds.
     *
     * @param templates one unnamed template, or the named ones in file order
     * @param specialTokens the special-token variables, in transformers' order
     */
    record Contents(List<Found> templates, Map<String, Object> specialTokens) {}

    private ChatTemplateFiles() {}

    /**
     * Reads {@code modelDir}.
     *
     * @throws IllegalArgumentException when {@code modelDir} is not a directory
     * @throws ChatTemplateException when no file holds a template, or a file cannot be read or parsed
     */
    static Contents read(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("modelDir must be an existing directory, but is: "
                    + modelDir.toAbsolutePath());
        }
        Path jinja = modelDir.resolve(JINJA);
        Path json = modelDir.resolve(JSON);
        Path config = modelDir.resolve(TOKENIZER_CONFIG);
        JsonNode configJson = Files.isRegularFile(config) ? parse(config) : null;
        Map<String, Object> tokens = configJson == null ? Map.of() : specialTokens(configJson);

        List<Found> templates;
        if (Files.isRegularFile(jinja)) {
            templates = List.of(new Found(null, readString(jinja), jinja.toString()));
        } else if (Files.isRegularFile(json)) {
            JsonNode value = parse(json).get("chat_template");
            if (value == null) {
                throw new ChatTemplateException(json.toString(), json + " has no \"chat_template\" key");
            }
            templates = templates(value, json);
        } else if (configJson != null && configJson.hasNonNull("chat_template")) {
            templates = templates(configJson.get("chat_template"), config);
        } else {
            throw new ChatTemplateException(modelDir.toString(), "no chat template in " + modelDir.toAbsolutePath()
                    + ": looked for " + JINJA + ", " + JSON + " (key \"chat_template\") and " + TOKENIZER_CONFIG
                    + " (key \"chat_template\")" + (configJson != null ? "; " + TOKENIZER_CONFIG
                    + " exists but has no chat_template" : ""));
        }
        return new Contents(templates, tokens);
    }

    /** A {@code chat_template} value: a string, or a list of named templates. */
    private static List<Found> templates(JsonNode value, Path file) {
        String key = file + " (chat_template";
        if (value.isTextual()) {
            return List.of(new Found(null, value.asText(), key + ")"));
        }
        if (value.isArray() && value.size() > 0) {
            List<Found> named = new ArrayList<>();
            for (JsonNode item : value) {
                JsonNode name = item.get("name");
                JsonNode template = item.get("template");
                if (name == null || !name.isTextual() || template == null || !template.isTextual()) {
                    throw new ChatTemplateException(file.toString(), file + ": every item of the chat_template list "
                            + "must be {\"name\": string, \"template\": string}, but one is: " + item);
                }
                named.add(new Found(name.asText(), template.asText(), key + " \"" + name.asText() + "\")"));
            }
            return List.copyOf(named);
        }
        throw new ChatTemplateException(file.toString(), file + ": chat_template must be a string or a non-empty list "
                + "of {\"name\", \"template\"} objects, but is: " + abbreviate(value.toString()));
    }

    private static Map<String, Object> specialTokens(JsonNode config) {
        Map<String, Object> tokens = new LinkedHashMap<>();
        for (String key : SPECIAL_TOKENS) {
            String value = tokenContent(config.get(key));
            if (value != null && !value.isEmpty()) {
                tokens.put(key, value);
            }
        }
        JsonNode extra = config.get("additional_special_tokens");
        if (extra != null && extra.isArray() && extra.size() > 0) {
            List<String> list = new ArrayList<>();
            for (JsonNode token : extra) {
                String value = tokenContent(token);
                if (value != null) {
                    list.add(value);
                }
            }
            tokens.put("additional_special_tokens", List.copyOf(list));
        }
        return Collections.unmodifiableMap(tokens);
    }

    /** A token given as {@code "<s>"} or as {@code {"content": "<s>", ...}}; null when absent or null. */
    private static String tokenContent(JsonNode token) {
        if (token == null || token.isNull()) {
            return null;
        }
        if (token.isTextual()) {
            return token.asText();
        }
        JsonNode content = token.get("content");
        return content != null && content.isTextual() ? content.asText() : null;
    }

    private static JsonNode parse(Path file) {
        try {
            return JSON_MAPPER.readTree(readString(file));
        } catch (IOException e) {
            throw new ChatTemplateException(file.toString(), "cannot parse " + file + " as JSON: " + e.getMessage(), e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChatTemplateException(file.toString(), "cannot read " + file + ": " + e, e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
