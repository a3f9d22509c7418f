package dev.tempera.runtime.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template: turns a conversation into the exact prompt text the model was trained on, as
 * transformers' {@code apply_chat_template(messages, tokenize=False, add_generation_prompt=...)} does, rendered by
 * Jinjava set up like transformers' Jinja2 environment ({@link TransformersEnvironment}).
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.load(Path.of("models/shapes-vl"));
 * String prompt = template.render(List.of(
 *         ChatMessage.user(ContentPart.image("shape.png"), ContentPart.text("What shape is this?"))), true);
 * // <|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|>...
 * }</pre>
 *
 * <p>What callers trip on:
 * <ul>
 *   <li><b>Which file.</b> {@link #load(Path)} follows transformers' precedence: {@code chat_template.jinja}, then
 *       {@code chat_template.json}, then {@code tokenizer_config.json}'s {@code chat_template}. A list of named
 *       templates there needs {@code "default"}, or a name ({@link #load(Path, String)}); when no name was given and
 *       the extra variables hold non-null {@code tools}, a {@code "tool_use"} template is used instead of
 *       {@code "default"}, as transformers does.</li>
 *   <li><b>What the template sees.</b> {@code messages} ({@link ChatMessage#toTemplateValue()}),
 *       {@code add_generation_prompt}, the special tokens of {@code tokenizer_config.json} ({@code bos_token},
 *       {@code eos_token}…, see {@link #specialTokens()}), then the extra variables, which override special tokens of
 *       the same name. {@code tools}, {@code documents}, {@code add_vision_id}, {@code date_string} are just extra
 *       variables: absent means undefined. (transformers passes {@code tools=None} and {@code documents=None}; a
 *       template can only tell the difference with {@code tools is defined}.)</li>
 *   <li><b>Failures.</b> A template that does not parse fails in {@code load}, naming the file and line. A template
 *       that calls {@code raise_exception(msg)} makes {@link #render} throw a {@link ChatTemplateException} whose
 *       {@link ChatTemplateException#raisedMessage()} is {@code msg}. Any other error Jinjava reports while rendering
 *       (it collects errors instead of stopping) is thrown too, never left in a half-rendered prompt. Undefined
 *       variables are not errors: they print as nothing, as in Jinja.</li>
 *   <li><b>Time.</b> {@code strftime_now} reads the clock given to {@link #withClock(Clock)}, in that clock's zone
 *       (default: the system clock and zone, like Python's {@code datetime.now()}).</li>
 *   <li><b>Threads.</b> Immutable; {@link #render} may be called from several threads, which take turns (a render
 *       is short next to the model call it precedes).</li>
 *   <li><b>Known differences from Jinja2</b> (none occurs in the templates tested against Python):
 *       {@code {{ none }}} prints nothing instead of {@code None}; the sandbox is not immutable
 *       ({@code list.append} works on the render's own copies instead of raising); three constructs are refused at
 *       load rather than rendered differently: slices with a step ({@code messages[::-1]}), loop filters
 *       ({@code for x in xs if cond}) and transformers' {@code {% generation %}} tag.</li>
 * </ul>
 */
public final class ChatTemplate {

    /** The variable names a caller may not set through the extra variables. */
    private static final List<String> RESERVED = List.of("messages", "add_generation_prompt");

    /** One parsed template: its Jinja source and the same with whitespace control applied, for Jinjava. */
    private record Compiled(String name, String origin, String source, String jinjava) {}

    private final Map<String, Compiled> named;
    private final Compiled fixed;
    private final Map<String, Object> specialTokens;
    private final Clock clock;
    private final Jinjava jinjava;

    private ChatTemplate(Map<String, Compiled> named, Compiled fixed, Map<String, Object> specialTokens, Clock clock) {
        this.named = named;
        this.fixed = fixed;
        this.specialTokens = specialTokens;
        this.clock = clock;
        this.jinjava = TransformersEnvironment.create(clock);
    }

    /**
     * Loads the chat template of a model folder (see the precedence above).
     *
     * @throws IllegalArgumentException when {@code modelDir} is not a directory
     * @throws ChatTemplateException when the folder has no template (the message names the folder and the three
     *     files looked for), a list of named templates has no {@code "default"}, or a template does not parse
     */
    public static ChatTemplate load(Path modelDir) {
        return load(modelDir, null);
    }

    /**
     * Loads the template called {@code name} from a list of named templates in a model folder.
     *
     * @param name the template's name, or {@code null} for the default one
     * @throws ChatTemplateException when there is no such name (the message lists the names), the folder's template
     *     is a single unnamed one, or as {@link #load(Path)}
     */
    public static ChatTemplate load(Path modelDir, String name) {
        Objects.requireNonNull(modelDir, "modelDir");
        ChatTemplateFiles.Contents contents = ChatTemplateFiles.read(modelDir);
        List<ChatTemplateFiles.Found> found = contents.templates();
        Clock clock = Clock.systemDefaultZone();
        if (found.size() == 1 && found.get(0).name() == null) {
            ChatTemplateFiles.Found only = found.get(0);
            if (name != null) {
                throw new ChatTemplateException(only.origin(), "chat template " + only.origin()
                        + " is a single unnamed template, so there is no template named '" + name + "'");
            }
            return new ChatTemplate(Map.of(), compile(null, only.text(), only.origin()), contents.specialTokens(),
                    clock);
        }
        Map<String, Compiled> named = new LinkedHashMap<>();
        for (ChatTemplateFiles.Found f : found) {
            named.put(f.name(), compile(f.name(), f.text(), f.origin()));
        }
        String wanted = name != null ? name : "default";
        if (!named.containsKey(wanted)) {
            throw new ChatTemplateException(found.get(0).origin(), (name == null
                    ? "chat templates in " + modelDir.toAbsolutePath() + " have no \"default\"; pass one of the names"
                    : "no chat template named '" + name + "' in " + modelDir.toAbsolutePath())
                    + "; known: " + new ArrayList<>(named.keySet()));
        }
        return new ChatTemplate(Collections.unmodifiableMap(named), name != null ? named.get(name) : null,
                contents.specialTokens(), clock);
    }

    /**
     * A template from a string (a template kept elsewhere than in a model folder).
     *
     * @param template the Jinja source
     * @param origin what to call it in messages
     * @param specialTokens the special-token variables ({@code bos_token}…); values are strings or lists of strings
     * @throws ChatTemplateException when the template does not parse
     */
    public static ChatTemplate of(String template, String origin, Map<String, ?> specialTokens) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(specialTokens, "specialTokens");
        @SuppressWarnings("unchecked")
        Map<String, Object> tokens = (Map<String, Object>) TemplateValues.copy(specialTokens, "specialTokens");
        return new ChatTemplate(Map.of(), compile(null, template, origin), Collections.unmodifiableMap(tokens),
                Clock.systemDefaultZone());
    }

    /** The same template reading {@code strftime_now}'s time from {@code clock}, in the clock's zone. */
    public ChatTemplate withClock(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new ChatTemplate(named, fixed, specialTokens, clock);
    }

    /** Renders without extra variables. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation into prompt text.
     *
     * @param messages the conversation, oldest first (may be empty; many templates then write only a header)
     * @param addGenerationPrompt end with the header that asks the model for the next assistant turn
     * @param extraVariables more template variables ({@code tools}, {@code add_vision_id}, {@code date_string}…):
     *     strings, numbers, booleans, nulls, lists and string-keyed maps, copied deeply; they override special tokens
     * @throws IllegalArgumentException when an extra variable is named {@code messages} or
     *     {@code add_generation_prompt}, or holds another type
     * @throws ChatTemplateException when the template raises or reports an error
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extraVariables) {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(extraVariables, "extraVariables");
        for (String reserved : RESERVED) {
            if (extraVariables.containsKey(reserved)) {
                throw new IllegalArgumentException("extraVariables must not set '" + reserved
                        + "' (it is a render argument), but does");
            }
        }
        List<Object> messageValues = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            messageValues.add(Objects.requireNonNull(messages.get(i), "messages[" + i + "]").toTemplateValue());
        }
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : specialTokens.entrySet()) {
            bindings.put(e.getKey(), TemplateValues.copy(e.getValue(), e.getKey()));
        }
        for (Map.Entry<String, ?> e : extraVariables.entrySet()) {
            bindings.put(e.getKey(), TemplateValues.copy(e.getValue(), "extraVariables." + e.getKey()));
        }
        bindings.put("messages", messageValues);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        Compiled template = select(extraVariables.get("tools") != null);
        RenderResult result;
        synchronized (jinjava) {
            result = jinjava.renderForResult(template.jinjava(), bindings);
        }
        check(template, result.getErrors());
        return result.getOutput();
    }

    /** transformers' choice among named templates: the one asked for, else tool_use with tools, else default. */
    private Compiled select(boolean hasTools) {
        if (fixed != null) {
            return fixed;
        }
        if (hasTools && named.containsKey("tool_use")) {
            return named.get("tool_use");
        }
        return named.get("default");
    }

    private static void check(Compiled template, List<TemplateError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        for (TemplateError e : errors) {
            for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                if (t instanceof TemplateFunctions.Raised) {
                    throw ChatTemplateException.raised(template.origin(), t.getMessage());
                }
            }
        }
        StringBuilder message = new StringBuilder("chat template " + template.origin() + " failed to render: ");
        for (int i = 0; i < errors.size(); i++) {
            TemplateError e = errors.get(i);
            message.append(i == 0 ? "" : "; ").append("line ").append(e.getLineno()).append(": ").append(e.getMessage());
        }
        throw new ChatTemplateException(template.origin(), message.toString());
    }

    private static Compiled compile(String name, String source, String origin) {
        String processed = JinjaWhitespace.apply(source, origin);
        List<String> problems = TransformersEnvironment.syntaxErrors(TransformersEnvironment.create(Clock.systemUTC()),
                processed);
        if (!problems.isEmpty()) {
            throw new ChatTemplateException(origin, "chat template " + origin + " has a syntax error: "
                    + String.join("; ", problems));
        }
        return new Compiled(name, origin, source, processed);
    }

    /** The Jinja source of the template used when no tools are passed (the named one, or "default"). */
    public String source() {
        return select(false).source();
    }

    /** Where that template came from: the file, and the key and name inside it. */
    public String origin() {
        return select(false).origin();
    }

    /** The names of the templates in a list of named templates; empty for a single template. */
    public List<String> names() {
        return List.copyOf(named.keySet());
    }

    /** The special-token variables every render gets, e.g. {@code {eos_token=<|im_end|>, pad_token=<|endoftext|>}}. */
    public Map<String, Object> specialTokens() {
        return specialTokens;
    }

    /** The clock {@code strftime_now} reads. */
    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + origin() + (named.isEmpty() ? "" : ", names=" + names()) + "]";
    }
}
