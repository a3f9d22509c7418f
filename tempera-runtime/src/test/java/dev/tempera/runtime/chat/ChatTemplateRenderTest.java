package dev.tempera.runtime.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tempera.runtime.SampleModels;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link ChatTemplate#render} passes to a template, and how a render fails. */
class ChatTemplateRenderTest {

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("hello"));

    private static ChatTemplate template(String source) {
        return ChatTemplate.of(source, "test template", Map.of());
    }

    @Test
    void raiseExceptionSurfacesWithTheTemplatesMessage() {
        ChatTemplate llama = ChatTemplate.load(ConformanceCases.resources().resolve("models/llama-style"));
        List<ChatMessage> twoUsers = List.of(ChatMessage.user("a"), ChatMessage.user("b"));

        ChatTemplateException e = catchThrowableOfType(ChatTemplateException.class,
                () -> llama.render(twoUsers, true, Map.of("date_string", "today")));

        assertThat(e.raisedMessage()).hasValue("Conversation roles must alternate user/assistant/user/assistant/...");
        assertThat(e.origin()).endsWith("tokenizer_config.json (chat_template \"default\")");
        assertThat(e.getMessage()).contains(e.origin()).contains("Conversation roles must alternate");
    }

    @Test
    void raiseExceptionWinsOverErrorsThatFollowIt() {
        ChatTemplate t = template("{{ raise_exception('stop: ' ~ messages[0].content) }}{{ 'x'.nosuch() }}");

        ChatTemplateException e = catchThrowableOfType(ChatTemplateException.class, () -> t.render(HELLO, false));

        assertThat(e.raisedMessage()).hasValue("stop: hello");
    }

    @Test
    void errorsJinjavaCollectsAreThrownInsteadOfReturningAHalfRenderedPrompt() {
        ChatTemplate t = template("before {{ messages[0].content.nosuch() }} after");

        assertThatThrownBy(() -> t.render(HELLO, false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("test template failed to render")
                .hasMessageContaining("'str' object has no attribute 'nosuch'");
    }

    @Test
    void renderErrorsNameTheSourceLineEvenAfterWhitespaceControlRemovedNewlines() {
        // lines 1-4 lose their newlines to trim_blocks and "-"; the error is on line 5 of the source
        ChatTemplate t = template("{% if true %}\n{% set a = 1 %}\n{%- if a %}\n{% endif %}\n{{ 'x'.nosuch() }}\n{% endif %}");

        assertThatThrownBy(() -> t.render(HELLO, false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("line 5: ");
    }

    @Test
    void badTojsonArgumentsFailTheRender() {
        ChatTemplate t = template("{{ messages | tojson(indent=1.5) }}");

        assertThatThrownBy(() -> t.render(HELLO, false))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("tojson indent must be an integer or a string, but is: 1.5");
    }

    @Test
    void undefinedVariablesAndMissingKeysRenderAsNothing() {
        ChatTemplate t = template("[{{ nothing }}][{{ messages[0].missing }}][{{ messages[0]['role'] }}]");

        assertThat(t.render(HELLO, false)).isEqualTo("[][][user]");
    }

    @Test
    void templateSyntaxInsideMessagesIsNeverEvaluated() {
        // Jinjava would re-render "{{ 7 * 7 }}" as 49 with its default nested interpretation
        ChatTemplate qwen = ChatTemplate.load(SampleModels.dir("shapes-vl"));
        List<ChatMessage> chat = List.of(ChatMessage.user("{{ 7 * 7 }} {% if true %}x{% endif %} {{ eos_token }}"));

        assertThat(qwen.render(chat, false)).contains("<|im_start|>user\n{{ 7 * 7 }} {% if true %}x{% endif %} "
                + "{{ eos_token }}<|im_end|>");
    }

    @Test
    void anEmptyConversationRendersOnlyTheGenerationPrompt() {
        assertThat(ChatTemplate.load(SampleModels.dir("shapes-vl")).render(List.of(), true))
                .isEqualTo("<|im_start|>assistant\n");
    }

    @Test
    void extraVariablesOverrideSpecialTokens() {
        ChatTemplate t = ChatTemplate.of("{{ eos_token }}", "test template", Map.of("eos_token", "</s>"));

        assertThat(t.render(HELLO, false)).isEqualTo("</s>");
        assertThat(t.render(HELLO, false, Map.of("eos_token", "<|eot|>"))).isEqualTo("<|eot|>");
    }

    @Test
    void addGenerationPromptAndVisionIdsReachTheTemplate() {
        ChatTemplate qwen = ChatTemplate.load(SampleModels.dir("shapes-vl"));
        List<ChatMessage> chat = List.of(ChatMessage.user(ContentPart.image("a.png"), ContentPart.image("b.png"),
                ContentPart.text("Compare.")));

        String rendered = qwen.render(chat, true, Map.of("add_vision_id", true));

        assertThat(rendered).isEqualTo("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nPicture 1: <|vision_start|><|image_pad|><|vision_end|>"
                + "Picture 2: <|vision_start|><|image_pad|><|vision_end|>Compare.<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void messagesAndAddGenerationPromptCannotBeSetAsExtraVariables() {
        ChatTemplate t = template("x");

        assertThatThrownBy(() -> t.render(HELLO, false, Map.of("messages", List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extraVariables must not set 'messages' (it is a render argument), but does");
        assertThatThrownBy(() -> t.render(HELLO, false, Map.of("add_generation_prompt", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'add_generation_prompt'");
    }

    @Test
    void extraVariablesMustBeJsonLikeAndTheErrorNamesWhere() {
        ChatTemplate t = template("x");
        Map<String, Object> tools = Map.of("tools", List.of(Map.of("when", LocalDate.of(2024, 1, 1))));

        assertThatThrownBy(() -> t.render(HELLO, false, tools))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("extraVariables.tools[0].when must be a string, number, boolean, null, list or map with "
                        + "string keys (what a Jinja template can hold), but is: java.time.LocalDate");
    }

    @Test
    void aRenderNeitherChangesTheCallersValuesNorLeaksIntoTheNextRender() {
        ChatTemplate t = template("{% do tools.append(3) %}{{ tools | length }}");
        List<Object> tools = new ArrayList<>(List.of(Map.of("name", "zoom")));

        assertThat(t.render(HELLO, false, Map.of("tools", tools))).isEqualTo("2");
        assertThat(t.render(HELLO, false, Map.of("tools", tools))).isEqualTo("2");
        assertThat(tools).hasSize(1);
    }

    @Test
    void strftimeNowReadsTheClockInTheClocksZone() {
        ChatTemplate t = template("{{ strftime_now('%d %b %Y %H:%M') }}");
        Instant instant = Instant.parse("2024-07-26T23:30:00Z");

        assertThat(t.withClock(Clock.fixed(instant, ZoneOffset.UTC)).render(HELLO, false))
                .isEqualTo("26 Jul 2024 23:30");
        // Python's datetime.now() is local time: in Shanghai (UTC+8) it is already the next morning
        assertThat(t.withClock(Clock.fixed(instant, ZoneId.of("Asia/Shanghai"))).render(HELLO, false))
                .isEqualTo("27 Jul 2024 07:30");
    }

    @Test
    void withClockKeepsTheTemplateAndChangesOnlyTheTime() {
        ChatTemplate original = ChatTemplate.load(ConformanceCases.resources().resolve("models/llama-style"));
        Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

        ChatTemplate fixed = original.withClock(clock);

        assertThat(fixed.clock()).isSameAs(clock);
        assertThat(fixed.source()).isEqualTo(original.source());
        assertThat(fixed.names()).isEqualTo(original.names());
        assertThat(fixed.render(HELLO, false)).contains("Today Date: 01 Jan 2030");
    }
}
