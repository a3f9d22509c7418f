package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.lab.cli.Terminal;
import dev.tempera.runtime.chat.ChatMessage;
import dev.tempera.runtime.chat.ChatTemplate;
import dev.tempera.runtime.chat.ContentPart;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.Completion;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.LocalEngine;
import dev.tempera.text.Prompt;
import dev.tempera.text.StreamListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tempera generate}: one prompt through a local model on ONNX Runtime, Tempera's sampler choosing every token.
 *
 * <p>Steps: the model folder is opened (or resolved from the Hugging Face cache); the prompt becomes a user message
 * (after {@code --system}, with {@code --image}s before the text) rendered by the model's chat template, unless
 * {@code --raw}; it is tokenised and run once; {@code --n} sequences are decoded from that one prefill. With
 * {@code --in}/{@code --out} every line of a JSON Lines file goes through one model load ({@link BatchGenerate}).
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Generate text with a local model (decoder LM or vision-language model) on ONNX Runtime.",
        description = {"Runs one prompt through a local model; Tempera's sampler picks every token.",
            "Defaults come from the model's generation_config.json (greedy unless it sets do_sample); flags override.",
            "Statistics (tokens, timings, seeds) go to standard error; the text to standard output.",
            "Batch mode (--in FILE --out FILE): every line of a JSON Lines file through one model load; see --in."},
        footer = {"", "Examples:",
            "  tempera generate --model models/shapes-lm --prompt \"Describe a scene with red star, gray triangle.\"",
            "  tempera generate --model models/shapes-lm --prompt \"描述一个有红色的星形的场景。\" --temperature 1.2 "
                + "--top-p 0.9 --n 4 --seed 0",
            "  tempera generate --model models/shapes-vl --image x.png --prompt \"Describe this image.\" --stream",
            "  tempera generate --model onnx-community/Qwen2.5-0.5B-Instruct --dtype q4f16 --prompt \"Hi\" --json",
            "  tempera generate --model models/shapes-vl --in prompts.jsonl --out outputs.jsonl --temperature 1.2 "
                + "--top-p 0.9 --seed 1000",
            "", "A line of prompts.jsonl (images relative to its folder; params override the flags; other fields are"
                + " copied to the output):",
            "  {\"prompt\": \"Describe this image.\", \"images\": [\"images/000027.png\"], \"group\": \"vl-en\", "
                + "\"params\": {\"seed\": 7}}"})
public final class GenerateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1", order = 2)
    Source source;

    /** What to generate from: one prompt, or a file of prompts. */
    static final class Source {
        @Option(names = "--prompt", required = true, paramLabel = "TEXT", order = 2,
                description = "The user's message ('-' reads it from standard input).")
        String prompt;

        @Option(names = "--in", required = true, paramLabel = "FILE", order = 7,
                description = {"Batch mode: a JSON Lines file, one prompt per line: \"prompt\" (required), "
                    + "\"system\", \"images\" (paths relative to the file's folder, or absolute), \"params\" "
                    + "(sampling parameters under their JSON names, e.g. {\"temperature\": 1.2}, overriding the "
                    + "flags); any other field is copied to the output line. The model loads once. Each output "
                    + "line = the input's fields + text, tokens, finish_reason, seed, prompt_tokens. With --seed S, "
                    + "line k (from 0) uses seed S + k unless its params set one. Every line is checked before the "
                    + "model loads; a bad line stops the run with its line number and leaves --out untouched."})
        Path in;
    }

    @Option(names = "--out", paramLabel = "FILE", order = 8,
            description = "Batch mode: where the outputs go (JSON Lines), written to a temporary file beside it and "
                    + "renamed when every line is done.")
    Path outFile;

    @Option(names = "--force", order = 9, description = "Batch mode: replace --out if it exists (else it is an error).")
    boolean force;

    @Option(names = "--system", paramLabel = "TEXT", order = 3,
            description = "A system message (the template's default system prompt applies without one; with --in, "
                    + "for lines without \"system\").")
    String system;

    @Option(names = "--image", paramLabel = "FILE", order = 4,
            description = "An image for a vision-language model (repeatable; PNG, JPEG, BMP, GIF).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--raw", order = 5, description = "Tokenise the prompt as it is, without the chat template.")
    boolean raw;

    @Option(names = "--n", defaultValue = "1", paramLabel = "N", order = 6,
            description = "Sequences to sample from the one prompt pass.")
    int n;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--stream", order = 90,
            description = "Print text as it is generated (with --json: one JSON line per piece, then the result).")
    boolean stream;

    @Option(names = "--json", order = 99, description = "Print one JSON object with text, tokens, params, seeds, timings.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (source.in != null) {
            return batch(err);
        }
        if (outFile != null || force) {
            throw new CommandLine.ParameterException(spec.commandLine(), (outFile != null ? "--out" : "--force")
                    + " belongs to batch mode: give --in FILE of prompts (or print to standard output with --prompt)");
        }
        String prompt = source.prompt;
        String user = prompt.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : prompt;
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--n must be >= 1, but is: " + n);
        }
        List<RgbPixels> pictures = model.images(spec, images);
        try (LocalEngine engine = model.open(spec)) {
            SamplingParams base = engine.generationConfig().defaultSampling();
            if (engine.generationConfig().maxNewTokens().isEmpty()) {
                base = base.toBuilder().maxTokens(256).build();
            }
            SamplingParams params = sampling.merge(base, Map.of("n", n));
            String text = raw ? user : render(engine, user, pictures.size());
            if (raw && !pictures.isEmpty() && !text.contains(LocalEngine.IMAGE_PAD)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--raw with --image: the prompt must hold "
                        + "one " + LocalEngine.IMAGE_PAD + " per image");
            }
            Prompt p = engine.prepare(text, pictures);
            GenerationRequest request = sampling.request(params);
            StreamListener listener = listener(out, params.n());
            GenerationResult r = engine.generate(p, request, listener);
            if (json) {
                ObjectNode o = TextJson.object();
                o.put("model", model.model);
                o.put("prompt_text", p.text());
                o.set("prompt", TextJson.prompt(p, true));
                o.set("params", TextJson.params(params));
                o.putPOJO("stop", sampling.stop);
                o.setAll(TextJson.result(r));
                out.println(TextJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            } else {
                if (!stream) {
                    for (Completion c : r.completions()) {
                        if (params.n() > 1) {
                            out.println(header(c));
                        }
                        out.println(c.text());
                    }
                }
                summary(err, p, r);
            }
            out.flush();
            err.flush();
        }
        return 0;
    }

    private int batch(PrintWriter err) {
        List<String> clash = new ArrayList<>();
        if (!images.isEmpty()) {
            clash.add("--image (give \"images\" on each line)");
        }
        if (stream) {
            clash.add("--stream");
        }
        if (json) {
            clash.add("--json (the output file is JSON Lines)");
        }
        if (n != 1) {
            clash.add("--n (one completion per line; repeat a line to sample it again)");
        }
        if (!clash.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--in cannot be combined with "
                    + String.join(", ", clash));
        }
        if (outFile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--in needs --out FILE (where the outputs go)");
        }
        return new BatchGenerate(source.in, outFile, force, system, raw, sampling, System::nanoTime)
                .run(spec, model, err, Terminal.stderrIsTerminal());
    }

    private String render(LocalEngine engine, String user, int pictures) {
        ChatTemplate template = ChatTemplate.load(engine.dir());
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        if (pictures == 0) {
            messages.add(ChatMessage.user(user));
        } else {
            List<ContentPart> parts = new ArrayList<>();
            for (int i = 0; i < pictures; i++) {
                parts.add(new ContentPart.Image(images.get(i).toString()));
            }
            parts.add(new ContentPart.Text(user));
            messages.add(ChatMessage.parts(ChatMessage.Role.USER, parts));
        }
        return template.render(messages, true);
    }

    private StreamListener listener(PrintWriter out, int sequences) {
        if (!stream) {
            return StreamListener.NONE;
        }
        return new StreamListener() {
            private int started = -1;

            @Override
            public void onText(int index, String delta) {
                if (json) {
                    ObjectNode o = TextJson.object().put("event", "delta").put("index", index).put("text", delta);
                    out.println(o.toString());
                } else {
                    if (sequences > 1 && index != started) {
                        started = index;
                        out.println("── sequence " + (index + 1) + " of " + sequences + " ──");
                    }
                    out.print(delta);
                }
                out.flush();
            }

            @Override
            public void onFinish(int index, Completion c) {
                if (!json) {
                    out.println();
                    out.flush();
                }
            }
        };
    }

    private static String header(Completion c) {
        return "── sequence " + (c.index() + 1) + (c.seed().isPresent() ? " (seed " + c.seed().getAsLong() + ")" : "")
                + " ──";
    }

    static void summary(PrintWriter err, Prompt p, GenerationResult r) {
        int generated = 0;
        StringBuilder reasons = new StringBuilder();
        for (Completion c : r.completions()) {
            generated += c.tokens().length;
            if (reasons.length() > 0) {
                reasons.append(", ");
            }
            reasons.append(c.finishReason().id());
            if (!c.stopReason().isEmpty()) {
                reasons.append(" (").append(c.stopReason()).append(')');
            }
            c.seed().ifPresent(s -> reasons.append(" seed ").append(s));
        }
        err.printf("[%d prompt tokens%s; %d generated; %s; prefill %.1f ms (%.0f tok/s), decode %.1f ms (%.0f tok/s)]%n",
                p.ids().length, p.images() > 0 ? ", " + p.images() + " image(s)" : "", generated, reasons,
                r.prefillNanos() / 1e6, r.prefillTokensPerSecond(), r.decodeNanos() / 1e6, r.decodeTokensPerSecond());
    }
}
