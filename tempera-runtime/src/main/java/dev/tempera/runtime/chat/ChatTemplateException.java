package dev.tempera.runtime.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * A chat template could not be found, parsed or rendered. The message always names the template's origin (the file,
 * and the template's name inside it), so a failure can be traced to the model folder that caused it.
 *
 * <p>When the template itself gave up by calling {@code raise_exception(msg)} (a template's way to reject a
 * conversation, e.g. roles that do not alternate), {@link #raisedMessage()} holds {@code msg} exactly as the template
 * wrote it; that is the caller's mistake to fix in the conversation, not a broken template.
 */
public final class ChatTemplateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final String raisedMessage;

    ChatTemplateException(String origin, String message) {
        this(origin, message, null, null);
    }

    ChatTemplateException(String origin, String message, Throwable cause) {
        this(origin, message, null, cause);
    }

    private ChatTemplateException(String origin, String message, String raisedMessage, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.raisedMessage = raisedMessage;
    }

    /** The template called {@code raise_exception(raisedMessage)}. */
    static ChatTemplateException raised(String origin, String raisedMessage) {
        return new ChatTemplateException(origin,
                "chat template " + origin + " rejected the conversation: " + raisedMessage, raisedMessage, null);
    }

    /** Where the template came from, e.g. {@code /models/x/tokenizer_config.json (chat_template)}. */
    public String origin() {
        return origin;
    }

    /** The message the template passed to {@code raise_exception}, if that is what failed. */
    public Optional<String> raisedMessage() {
        return Optional.ofNullable(raisedMessage);
    }
}
