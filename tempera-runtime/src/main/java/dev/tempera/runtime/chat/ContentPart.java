package dev.tempera.runtime.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One part of a message whose content is a list: text, an image or a video, in the order the model should see
 * them.
 *
 * <p>What reaches the chat template is what transformers' processors pass: {@code {"type": "text", "text": ...}} for
 * text, and only {@code {"type": "image"}} / {@code {"type": "video"}} for media. The {@link Image#reference()} and
 * {@link Video#reference()} stay on the Java side (the template only counts media and writes placeholder tokens such
 * as {@code <|image_pad|>}); the caller uses them to load the pixels, in the same order as the parts appear.
 *
 * <pre>{@code
 * ChatMessage.user(ContentPart.image("photos/cat.png"), ContentPart.text("What is this?"));
 * }</pre>
 */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image, ContentPart.Video {

    /** A text part. */
    static Text text(String text) {
        return new Text(text);
    }

    /** An image part; {@code reference} is opaque to the template (a path, a URL, an index into a batch…). */
    static Image image(String reference) {
        return new Image(reference);
    }

    /** A video part; {@code reference} is opaque to the template. */
    static Video video(String reference) {
        return new Video(reference);
    }

    /** The dictionary a chat template sees for this part, in transformers' key order. */
    Map<String, Object> toTemplateValue();

    /**
     * Text, passed to the template verbatim (no trimming; the template decides).
     *
     * @param text the text, possibly empty
     */
    record Text(String text) implements ContentPart {

        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public Map<String, Object> toTemplateValue() {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("type", "text");
            value.put("text", text);
            return value;
        }
    }

    /**
     * An image.
     *
     * @param reference what the caller uses to find the pixels; not blank; never shown to the template
     */
    record Image(String reference) implements ContentPart {

        public Image {
            requireReference(reference, "image");
        }

        @Override
        public Map<String, Object> toTemplateValue() {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("type", "image");
            return value;
        }
    }

    /**
     * A video.
     *
     * @param reference what the caller uses to find the frames; not blank; never shown to the template
     */
    record Video(String reference) implements ContentPart {

        public Video {
            requireReference(reference, "video");
        }

        @Override
        public Map<String, Object> toTemplateValue() {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("type", "video");
            return value;
        }
    }

    private static void requireReference(String reference, String kind) {
        Objects.requireNonNull(reference, kind + " reference");
        if (reference.isBlank()) {
            throw new IllegalArgumentException(kind + " reference must not be blank, but is: \"" + reference + "\"");
        }
    }
}
