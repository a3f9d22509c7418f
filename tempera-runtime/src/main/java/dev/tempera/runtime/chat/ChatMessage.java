package dev.tempera.runtime.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One turn of a conversation, as a chat template sees it.
 *
 * <p>transformers lets a message's {@code content} be either a plain string or a list of typed parts, and templates
 * branch on the difference ({@code message['content'] is string}): Qwen2-VL writes a string as is but walks a list
 * part by part. So the two are kept apart here too:
 * <ul>
 *   <li>{@link #text(Role, String)} makes string content: the template sees
 *       {@code {"role": "user", "content": "Describe this."}};</li>
 *   <li>{@link #parts(Role, List)} makes list content, even with a single text part: the template sees
 *       {@code {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Describe this."}]}}.</li>
 * </ul>
 * Both render the same for some templates and differently for others; choose the one the model was trained with
 * (vision models: parts).
 *
 * <pre>{@code
 * List<ChatMessage> chat = List.of(
 *         ChatMessage.system("You are a careful describer of shapes."),
 *         ChatMessage.user(ContentPart.image("shapes/0001.png"), ContentPart.text("What shape is this?")));
 * }</pre>
 *
 * @param role who speaks
 * @param parts the content; for string content exactly one {@link ContentPart.Text}; copied, unmodifiable
 * @param stringContent whether the template sees {@code content} as a string (the single text part's text) rather
 *     than as a list of parts
 */
public record ChatMessage(Role role, List<ContentPart> parts, boolean stringContent) {

    /** Who speaks a message; {@link #wireName()} is what the template compares against. */
    public enum Role {
        SYSTEM("system"),
        USER("user"),
        ASSISTANT("assistant"),
        TOOL("tool");

        private final String wireName;

        Role(String wireName) {
            this.wireName = wireName;
        }

        /** The role as templates spell it ({@code "user"}, …). */
        public String wireName() {
            return wireName;
        }
    }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(parts, "parts");
        parts = List.copyOf(parts); // also rejects null parts
        if (stringContent && (parts.size() != 1 || !(parts.get(0) instanceof ContentPart.Text))) {
            throw new IllegalArgumentException("string content must be exactly 1 text part, but is: " + parts
                    + " (use ChatMessage.parts(...) for images, videos or several parts)");
        }
    }

    /** A message whose content the template sees as the string {@code text}. */
    public static ChatMessage text(Role role, String text) {
        return new ChatMessage(role, List.of(ContentPart.text(text)), true);
    }

    /** A message whose content the template sees as a list of parts (possibly empty). */
    public static ChatMessage parts(Role role, List<? extends ContentPart> parts) {
        Objects.requireNonNull(parts, "parts");
        return new ChatMessage(role, List.copyOf(parts), false);
    }

    /** A system message with string content. */
    public static ChatMessage system(String text) {
        return text(Role.SYSTEM, text);
    }

    /** A user message with string content. */
    public static ChatMessage user(String text) {
        return text(Role.USER, text);
    }

    /** A user message with list content, e.g. an image followed by a question. */
    public static ChatMessage user(ContentPart... parts) {
        return parts(Role.USER, Arrays.asList(parts));
    }

    /** An assistant message with string content. */
    public static ChatMessage assistant(String text) {
        return text(Role.ASSISTANT, text);
    }

    /** The text of string content; throws for list content, which has no single text. */
    public String text() {
        if (!stringContent) {
            throw new IllegalStateException("this message has list content, not string content: " + parts);
        }
        return ((ContentPart.Text) parts.get(0)).text();
    }

    /**
     * The dictionary the template sees: {@code {"role": ..., "content": ...}}, freshly built (templates may not
     * mutate it, but a fresh copy per render keeps one render from seeing another's state).
     */
    Map<String, Object> toTemplateValue() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("role", role.wireName());
        if (stringContent) {
            value.put("content", text());
        } else {
            List<Object> content = new ArrayList<>(parts.size());
            for (ContentPart part : parts) {
                content.add(part.toTemplateValue());
            }
            value.put("content", content);
        }
        return value;
    }
}
