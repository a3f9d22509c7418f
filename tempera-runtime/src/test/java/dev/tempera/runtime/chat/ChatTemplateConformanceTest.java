package dev.tempera.runtime.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template of {@code chat/cases.json} with every conversation, and every Jinja snippet, rendered by
 * {@link ChatTemplate} and compared byte for byte with Python Jinja2 set up as transformers sets it up
 * ({@code chat/expected-python.json}, written by {@code tools/conformance/chat/render_expected.py}).
 */
class ChatTemplateConformanceTest {

    static Stream<Arguments> templateCases() {
        JsonNode spec = ConformanceCases.cases();
        JsonNode expected = ConformanceCases.read("expected-python.json").get("cases");
        List<Arguments> out = new ArrayList<>();
        for (JsonNode template : spec.get("templates")) {
            for (JsonNode c : spec.get("cases")) {
                String key = template.get("id").asText() + "/" + c.get("id").asText();
                out.add(Arguments.of(key, template, c, expected.get(key)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("templateCases")
    void rendersTemplateCaseLikeTransformers(String key, JsonNode template, JsonNode c, JsonNode expected) {
        String name = template.hasNonNull("name") ? template.get("name").asText() : null;
        ChatTemplate chat = ChatTemplate.load(ConformanceCases.folder(template), name)
                .withClock(ConformanceCases.clock());
        List<ChatMessage> messages = ConformanceCases.messages(c.get("messages"));
        boolean prompt = c.get("add_generation_prompt").asBoolean();
        Map<String, Object> variables = ConformanceCases.variables(c.get("variables"));
        assertExpected(() -> chat.render(messages, prompt, variables), expected);
    }

    static Stream<Arguments> snippets() {
        JsonNode expected = ConformanceCases.read("expected-python.json").get("snippets");
        List<Arguments> out = new ArrayList<>();
        for (JsonNode s : ConformanceCases.cases().get("snippets")) {
            out.add(Arguments.of(s.get("id").asText(), s.get("template").asText(), expected.get(s.get("id").asText())));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void rendersSnippetLikeJinja2(String id, String template, JsonNode expected) {
        ChatTemplate chat = ChatTemplate.of(template, "snippet " + id, Map.of()).withClock(ConformanceCases.clock());
        List<ChatMessage> messages = ConformanceCases.messages(ConformanceCases.cases().get("snippet_messages"));
        assertExpected(() -> chat.render(messages, false), expected);
    }

    private static void assertExpected(java.util.function.Supplier<String> render, JsonNode expected) {
        assertThat(expected).as("an expected result exists (regenerate the fixtures?)").isNotNull();
        if (expected.has("text")) {
            assertThat(render.get()).isEqualTo(expected.get("text").asText());
        } else {
            ChatTemplateException e = catchThrowableOfType(ChatTemplateException.class, render::get);
            assertThat(e).as("render fails like Python").isNotNull();
            assertThat(e.raisedMessage()).contains(expected.get("error").asText());
        }
    }
}
