package dev.tempera.runtime.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.runtime.SampleModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link ChatTemplate#load} finds a template, which one it picks, and how it fails. */
class ChatTemplateLoadingTest {

    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("hello"));

    @TempDir
    Path dir;

    private void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text);
    }

    private static String json(String s) {
        return PythonJson.dumps(s, PythonJson.Options.DEFAULT);
    }

    @Test
    void chatTemplateJinjaWinsOverChatTemplateJsonAndTokenizerConfig() throws IOException {
        write("chat_template.jinja", "from jinja {{ messages[0].content }}");
        write("chat_template.json", "{\"chat_template\": \"from json\"}");
        write("tokenizer_config.json", "{\"chat_template\": \"from config\"}");

        ChatTemplate template = ChatTemplate.load(dir);

        assertThat(template.render(HELLO, false)).isEqualTo("from jinja hello");
        assertThat(template.origin()).isEqualTo(dir.resolve("chat_template.jinja").toString());
    }

    @Test
    void chatTemplateJsonWinsOverTokenizerConfig() throws IOException {
        write("chat_template.json", "{\"chat_template\": \"from json\"}");
        write("tokenizer_config.json", "{\"chat_template\": \"from config\"}");

        ChatTemplate template = ChatTemplate.load(dir);

        assertThat(template.render(HELLO, false)).isEqualTo("from json");
        assertThat(template.origin()).startsWith(dir.resolve("chat_template.json").toString());
    }

    @Test
    void tokenizerConfigTemplateIsUsedWhenNoTemplateFileExists() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": \"from config\"}");

        assertThat(ChatTemplate.load(dir).render(HELLO, false)).isEqualTo("from config");
    }

    @Test
    void qwen25VlFixtureTakesChatTemplateJsonAndSkipsTheRaisingTokenizerConfigTemplate() {
        // the fixture's tokenizer_config.json template raises; rendering at all proves chat_template.json was used
        ChatTemplate template = ChatTemplate.load(ConformanceCases.resources().resolve("models/qwen2.5-vl"));

        assertThat(template.origin()).endsWith("chat_template.json (chat_template)");
        assertThat(template.render(HELLO, true)).endsWith("<|im_start|>assistant\n");
    }

    @Test
    void qwen25VlTemplateTextIsTheQwen2VlTemplateShippedWithShapesVl() {
        // Qwen ships the same VL template for Qwen2-VL and Qwen2.5-VL (see chat/README.md)
        ChatTemplate qwen25 = ChatTemplate.load(ConformanceCases.resources().resolve("models/qwen2.5-vl"));
        ChatTemplate shapesVl = ChatTemplate.load(SampleModels.dir("shapes-vl"));

        assertThat(qwen25.source()).isEqualTo(shapesVl.source());
    }

    @Test
    void namedTemplatesDefaultToTheOneCalledDefault() {
        ChatTemplate template = ChatTemplate.load(ConformanceCases.resources().resolve("models/llama-style"));

        assertThat(template.names()).containsExactly("default", "tool_use");
        assertThat(template.origin()).endsWith("tokenizer_config.json (chat_template \"default\")");
        assertThat(template.render(HELLO, false, Map.of("date_string", "x"))).startsWith(
                "<|begin_of_text|><|start_header_id|>system<|end_header_id|>");
    }

    @Test
    void aNamedTemplateCanBeChosen() {
        ChatTemplate template = ChatTemplate.load(ConformanceCases.resources().resolve("models/llama-style"),
                "tool_use");

        assertThat(template.origin()).endsWith("(chat_template \"tool_use\")");
        assertThat(template.render(HELLO, false)).startsWith("<|begin_of_text|>\n<|start_header_id|>user");
    }

    @Test
    void toolsSelectTheToolUseTemplateWhenNoNameWasGiven() {
        ChatTemplate template = ChatTemplate.load(ConformanceCases.resources().resolve("models/llama-style"));
        List<Object> tools = List.of(Map.of("type", "function", "function", Map.of("name", "zoom")));

        String withTools = template.render(HELLO, false, Map.of("tools", tools));

        assertThat(withTools).contains("You may call these functions:").contains("\"name\": \"zoom\"");
    }

    @Test
    void anUnknownTemplateNameFailsListingTheNames() {
        Path folder = ConformanceCases.resources().resolve("models/llama-style");

        assertThatThrownBy(() -> ChatTemplate.load(folder, "chatml"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("no chat template named 'chatml'")
                .hasMessageContaining("known: [default, tool_use]");
    }

    @Test
    void namedTemplatesWithoutDefaultFailWhenNoNameIsGiven() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": [{\"name\": \"rag\", \"template\": \"a\"}, "
                + "{\"name\": \"tool_use\", \"template\": \"b\"}]}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("have no \"default\"")
                .hasMessageContaining("known: [rag, tool_use]");
        assertThat(ChatTemplate.load(dir, "rag").render(HELLO, false)).isEqualTo("a");
    }

    @Test
    void aNameForASingleTemplateFails() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": \"only\"}");

        assertThatThrownBy(() -> ChatTemplate.load(dir, "default"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("single unnamed template");
    }

    @Test
    void aFolderWithoutTemplateNamesTheFolderAndTheThreeFiles() throws IOException {
        write("config.json", "{}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("chat_template.jinja")
                .hasMessageContaining("chat_template.json")
                .hasMessageContaining("tokenizer_config.json");
    }

    @Test
    void aTokenizerConfigWithoutTemplateIsSaidSo() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("tokenizer_config.json exists but has no chat_template");
    }

    @Test
    void aMissingFolderIsTheCallersMistake() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> ChatTemplate.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelDir must be an existing directory, but is: " + missing.toAbsolutePath());
    }

    @Test
    void anUnclosedBlockFailsAtLoadNamingTheFile() throws IOException {
        write("chat_template.jinja", "{% for message in messages %}{{ message.content }}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(dir.resolve("chat_template.jinja").toString())
                .hasMessageContaining("syntax error")
                .hasMessageContaining("endfor");
    }

    @Test
    void unbalancedBracketsFailAtLoadWithTheLine() throws IOException {
        write("chat_template.jinja", "line one\n{{ message['content' }}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining(dir.resolve("chat_template.jinja").toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("unexpected '}', expected ']'");
    }

    @Test
    void aBrokenExpressionFailsAtLoadNotAtRender() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": " + json("{% if messages %}{{ 1 + }}{% endif %}") + "}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("tokenizer_config.json (chat_template)")
                .hasMessageContaining("cannot parse '1 +'");
    }

    @Test
    void aBrokenIfConditionFailsAtLoad() throws IOException {
        write("chat_template.jinja", "{% if messages[0]['role'] == %}x{% endif %}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("cannot parse");
    }

    @Test
    void anUnknownTagFailsAtLoad() throws IOException {
        write("chat_template.jinja", "{% frobnicate %}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("frobnicate");
    }

    @Test
    void loadErrorsNameTheSourceLineEvenAfterWhitespaceControlRemovedNewlines() throws IOException {
        write("chat_template.jinja", "{# a comment\nover two lines #}\n{% if true -%}\n\n   {{ 'a' }}\n{% endif %}\n"
                + "{% frobnicate %}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("line 7: ")
                .hasMessageContaining("frobnicate");
    }

    @Test
    void loopFiltersFailAtLoadBecauseJinjavaWouldSilentlySkipTheLoop() throws IOException {
        write("chat_template.jinja", "{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("loop filters");
    }

    @Test
    void aConditionalExpressionAsTheIterableIsNotMistakenForALoopFilter() throws IOException {
        write("chat_template.jinja", "{% for m in (messages if messages else []) %}{{ m.content }}{% endfor %}");

        assertThat(ChatTemplate.load(dir).render(HELLO, false)).isEqualTo("hello");
    }

    @Test
    void anUnclosedCommentFailsAtLoad() throws IOException {
        write("chat_template.jinja", "a {# never closed");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("Missing end of comment tag");
    }

    @Test
    void specialTokensAreReadAsStringsOrContentObjectsAndNullOnesAreLeftOut() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": \"{{ bos_token }}|{{ eos_token }}|{{ unk_token }}|"
                + "{{ additional_special_tokens | join(',') }}\", \"bos_token\": {\"__type\": \"AddedToken\", "
                + "\"content\": \"<s>\", \"lstrip\": false}, \"eos_token\": \"</s>\", \"unk_token\": null, "
                + "\"additional_special_tokens\": [\"<a>\", {\"content\": \"<b>\"}]}");

        ChatTemplate template = ChatTemplate.load(dir);

        assertThat(template.specialTokens()).containsExactly(Map.entry("bos_token", "<s>"),
                Map.entry("eos_token", "</s>"), Map.entry("additional_special_tokens", List.of("<a>", "<b>")));
        assertThat(template.render(HELLO, false)).isEqualTo("<s>|</s>||<a>,<b>");
    }

    @Test
    void specialTokensComeFromTokenizerConfigWhateverFileHeldTheTemplate() throws IOException {
        write("chat_template.jinja", "{{ eos_token }}");
        write("tokenizer_config.json", "{\"eos_token\": \"<|im_end|>\"}");

        assertThat(ChatTemplate.load(dir).render(HELLO, false)).isEqualTo("<|im_end|>");
    }

    @Test
    void shapesVlPassesItsEosAndPadTokensButNoBos() {
        // shapes-vl's tokenizer_config.json: bos_token null, eos <|im_end|>, pad <|endoftext|>, 13 additional tokens
        Map<String, Object> tokens = ChatTemplate.load(SampleModels.dir("shapes-vl")).specialTokens();

        assertThat(tokens).containsEntry("eos_token", "<|im_end|>").containsEntry("pad_token", "<|endoftext|>")
                .doesNotContainKey("bos_token").doesNotContainKey("unk_token");
        assertThat(tokens.get("additional_special_tokens")).asList().hasSize(13).contains("<|image_pad|>");
    }

    @Test
    void aChatTemplateJsonWithoutTheKeyFails() throws IOException {
        write("chat_template.json", "{\"template\": \"x\"}");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("chat_template.json has no \"chat_template\" key");
    }

    @Test
    void invalidJsonFailsNamingTheFile() throws IOException {
        write("tokenizer_config.json", "{\"chat_template\": ");

        assertThatThrownBy(() -> ChatTemplate.load(dir))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("cannot parse " + dir.resolve("tokenizer_config.json") + " as JSON");
    }
}
