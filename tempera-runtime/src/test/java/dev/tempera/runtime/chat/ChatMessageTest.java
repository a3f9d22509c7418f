package dev.tempera.runtime.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The structures a template sees for a message, and the checks on building one. */
class ChatMessageTest {

    @Test
    void stringContentReachesTheTemplateAsAString() {
        Map<String, Object> value = ChatMessage.user("Describe a blue square.").toTemplateValue();

        assertThat(value).containsExactly(Map.entry("role", "user"), Map.entry("content", "Describe a blue square."));
    }

    @Test
    void partsReachTheTemplateAsTransformersDictsWithoutTheMediaReferences() {
        ChatMessage message = ChatMessage.user(ContentPart.image("/data/cat.png"), ContentPart.video("clip.mp4"),
                ContentPart.text("What is this?"));

        Map<String, Object> value = message.toTemplateValue();

        Map<String, Object> text = new LinkedHashMap<>();
        text.put("type", "text");
        text.put("text", "What is this?");
        assertThat(value).containsExactly(Map.entry("role", "user"), Map.entry("content", List.of(
                Map.of("type", "image"), Map.of("type", "video"), text)));
        assertThat(value.toString()).doesNotContain("cat.png").doesNotContain("clip.mp4");
    }

    @Test
    void aSingleTextPartIsStillListContent() {
        ChatMessage message = ChatMessage.parts(ChatMessage.Role.USER, List.of(ContentPart.text("hi")));

        assertThat(message.stringContent()).isFalse();
        assertThat(message.toTemplateValue().get("content")).isInstanceOf(List.class);
    }

    @Test
    void rolesUseTheirTemplateSpelling() {
        assertThat(ChatMessage.text(ChatMessage.Role.TOOL, "42").toTemplateValue()).containsEntry("role", "tool");
        assertThat(ChatMessage.system("s").role().wireName()).isEqualTo("system");
        assertThat(ChatMessage.assistant("a").role().wireName()).isEqualTo("assistant");
    }

    @Test
    void stringContentMustBeOneTextPart() {
        List<ContentPart> parts = List.of(ContentPart.image("a.png"));

        assertThatThrownBy(() -> new ChatMessage(ChatMessage.Role.USER, parts, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("string content must be exactly 1 text part, but is: [Image[reference=a.png]]");
    }

    @Test
    void mediaReferencesMustNotBeBlank() {
        assertThatThrownBy(() -> ContentPart.image(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image reference must not be blank, but is: \" \"");
        assertThatThrownBy(() -> ContentPart.video(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("video reference must not be blank, but is: \"\"");
    }

    @Test
    void thePartsAreCopiedSoTheCallersListCanChange() {
        List<ContentPart> parts = new ArrayList<>(List.of(ContentPart.text("a")));
        ChatMessage message = ChatMessage.parts(ChatMessage.Role.USER, parts);

        parts.add(ContentPart.text("b"));

        assertThat(message.parts()).hasSize(1);
        assertThatThrownBy(() -> message.parts().add(ContentPart.text("c")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void eachTemplateValueIsAFreshCopy() {
        ChatMessage message = ChatMessage.user(ContentPart.text("a"));
        Map<String, Object> first = message.toTemplateValue();

        first.put("role", "assistant");

        assertThat(message.toTemplateValue()).containsEntry("role", "user");
    }

    @Test
    void textIsOnlyDefinedForStringContent() {
        assertThat(ChatMessage.user("x").text()).isEqualTo("x");
        assertThatThrownBy(() -> ChatMessage.user(ContentPart.text("x")).text())
                .isInstanceOf(IllegalStateException.class);
    }
}
