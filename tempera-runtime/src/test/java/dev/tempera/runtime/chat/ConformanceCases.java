package dev.tempera.runtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempera.runtime.SampleModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance fixtures under {@code src/test/resources/chat/} (see the README there): the templates and
 * conversations of {@code cases.json}, and what the two independent renderers made of them.
 */
final class ConformanceCases {

    static final ObjectMapper JSON = new ObjectMapper();

    private ConformanceCases() {}

    /** {@code src/test/resources/chat} as copied to the test classpath. */
    static Path resources() {
        URL url = ConformanceCases.class.getResource("/chat/cases.json");
        if (url == null) {
            throw new IllegalStateException("chat/cases.json is not on the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String name) {
        try {
            return JSON.readTree(resources().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode cases() {
        return read("cases.json");
    }

    /** The fixed time strftime_now reads in every oracle ("now", a naive local time), as a UTC clock. */
    static Clock clock() {
        LocalDateTime now = LocalDateTime.parse(cases().get("now").asText());
        return Clock.fixed(now.toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    }

    /** The model folder of a template entry of cases.json. */
    static Path folder(JsonNode template) {
        String folder = template.get("folder").asText();
        if ("repository".equals(template.get("root").asText())) {
            return SampleModels.dir(folder.substring(folder.indexOf('/') + 1));
        }
        return resources().getParent().resolve(folder);
    }

    /** Messages in transformers' JSON form as {@link ChatMessage}s (images get made-up references). */
    static List<ChatMessage> messages(JsonNode json) {
        List<ChatMessage> out = new ArrayList<>();
        int images = 0;
        for (JsonNode m : json) {
            ChatMessage.Role role = ChatMessage.Role.valueOf(m.get("role").asText().toUpperCase());
            JsonNode content = m.get("content");
            if (content.isTextual()) {
                out.add(ChatMessage.text(role, content.asText()));
                continue;
            }
            List<ContentPart> parts = new ArrayList<>();
            for (JsonNode part : content) {
                switch (part.get("type").asText()) {
                    case "image" -> parts.add(ContentPart.image("image-" + images++ + ".png"));
                    case "video" -> parts.add(ContentPart.video("video.mp4"));
                    case "text" -> parts.add(ContentPart.text(part.get("text").asText()));
                    default -> throw new IllegalArgumentException("unknown part " + part);
                }
            }
            out.add(ChatMessage.parts(role, parts));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(JsonNode json) {
        return json == null ? Map.of() : JSON.convertValue(json, Map.class);
    }
}
