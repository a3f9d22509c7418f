package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tempera describe}: the seed's experiment — a vision-language model describes an image under several named
 * sampling configurations, shown side by side.
 *
 * <p>Steps: the configurations file is read and every entry merged with the flags and checked (exit 2 before the
 * model loads); the image is read; the conversation (system message, user message with the image and the prompt) is
 * rendered by the model's chat template and run once (vision encoder and prefill); every configuration decodes from
 * that one prefill. Descriptions are stripped of surrounding whitespace, as the seed's {@code .strip()} does.
 */
@Command(
        name = "describe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Describe an image under several sampling configurations and show the descriptions side by side.",
        description = {"The seed's multimodal experiment: one image, one prompt, several named sampling configurations"
                + " (examples/seed-configs.yaml holds the seed's four). The prompt pass runs once; each configuration"
                + " decodes from it. Flags given here override every configuration."},
        footer = {"", "Examples:",
            "  tempera describe --model models/shapes-vl --image x.png --prompt \"描述这张图片中的场景和细节\" "
                + "--configs examples/seed-configs.yaml --seed 0",
            "  tempera describe --model models/shapes-vl --image x.png --prompt \"Describe this image.\" "
                + "--configs examples/seed-configs.yaml --max-tokens 64 --json"})
public final class DescribeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = "--image", required = true, paramLabel = "FILE", order = 2,
            description = "The image (repeatable for several images in one message; PNG, JPEG, BMP, GIF).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", order = 3,
            description = "What to ask about the image, e.g. \"描述这张图片中的场景和细节\".")
    String prompt;

    @Option(names = "--configs", required = true, paramLabel = "FILE", order = 4,
            description = "YAML file of named sampling configurations (see examples/seed-configs.yaml).")
    Path configs;

    @Option(names = "--system", defaultValue = "You are a helpful assistant.", paramLabel = "TEXT", order = 5,
            description = "The system message (default: ${DEFAULT-VALUE}).")
    String system;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--width", paramLabel = "COLUMNS", order = 80,
            description = "Terminal width for the side-by-side table (default: $COLUMNS, else 120).")
    Integer width;

    @Option(names = "--json", order = 99,
            description = "Print one JSON object: every configuration's params, seed, text, tokens and timings.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<SamplingConfigs.Entry> entries = SamplingConfigs.read(configs);
        List<RgbPixels> pictures = model.images(spec, images);
        try (LocalEngine engine = model.open(spec)) {
            if (!engine.acceptsImages()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--model: " + model.model
                        + " is a text-only model; describe needs a vision-language model (e.g. models/shapes-vl)");
            }
            SamplingParams base = engine.generationConfig().defaultSampling().toBuilder().maxTokens(256).build();
            List<GenerationRequest> requests = new ArrayList<>();
            List<SamplingParams> params = new ArrayList<>();
            for (SamplingConfigs.Entry e : entries) {
                SamplingParams p;
                try {
                    p = sampling.merge(base, e.params());
                } catch (IllegalArgumentException ex) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--configs: entry '" + e.name()
                            + "' of " + configs + ": " + ex.getMessage());
                }
                params.add(p);
                requests.add(sampling.request(p));
            }
            List<ContentPart> parts = new ArrayList<>();
            for (Path image : images) {
                parts.add(new ContentPart.Image(image.toString()));
            }
            parts.add(new ContentPart.Text(prompt));
            List<ChatMessage> messages = List.of(ChatMessage.system(system),
                    ChatMessage.parts(ChatMessage.Role.USER, parts));
            String text = ChatTemplate.load(engine.dir()).render(messages, true);
            Prompt p = engine.prepare(text, pictures);
            List<GenerationResult> results = engine.generateEach(p, requests, StreamListener.NONE);
            if (json) {
                ObjectNode o = TextJson.object();
                o.put("model", model.model);
                ArrayNode imgs = o.putArray("images");
                images.forEach(i -> imgs.add(i.toString()));
                o.put("prompt", prompt);
                o.put("system", system);
                o.put("prompt_text", p.text());
                o.set("prompt_tokens", TextJson.prompt(p, false));
                o.put("prefill_ms", results.get(0).prefillNanos() / 1e6);
                ArrayNode arr = o.putArray("configs");
                for (int i = 0; i < entries.size(); i++) {
                    ObjectNode c = arr.addObject();
                    c.put("name", entries.get(i).name());
                    c.set("params", TextJson.params(params.get(i)));
                    Completion first = results.get(i).completions().get(0);
                    c.put("description", first.text().strip());
                    c.setAll(TextJson.result(results.get(i)));
                }
                out.println(TextJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o));
            } else {
                table(out, entries, params, results);
                GenerateCommand.summary(err, p, merged(results));
            }
            out.flush();
            err.flush();
        }
        return 0;
    }

    private void table(PrintWriter out, List<SamplingConfigs.Entry> entries, List<SamplingParams> params,
                       List<GenerationResult> results) {
        List<String> headers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Completion c = results.get(i).completions().get(0);
            String seed = c.seed().isPresent() && params.get(i).seed().isEmpty()
                    ? ", seed " + c.seed().getAsLong() + " (drawn)" : "";
            headers.add(entries.get(i).name() + "\n" + params.get(i).describe() + seed + "\n" + c.tokens().length
                    + " tokens, " + c.finishReason().id());
            StringBuilder t = new StringBuilder();
            for (Completion x : results.get(i).completions()) {
                if (t.length() > 0) {
                    t.append("\n\n");
                }
                t.append(x.text().strip());
            }
            texts.add(t.toString());
        }
        int w = width != null ? width : terminalWidth();
        List<String> lines = SideBySide.layout(headers, texts, w, 24);
        if (lines == null) {
            for (int i = 0; i < entries.size(); i++) {
                out.println("── " + headers.get(i).replace("\n", " · ") + " ──");
                out.println(texts.get(i));
                out.println();
            }
        } else {
            lines.forEach(out::println);
        }
    }

    private static int terminalWidth() {
        String columns = System.getenv("COLUMNS");
        try {
            return columns == null ? 120 : Math.max(40, Integer.parseInt(columns.trim()));
        } catch (NumberFormatException e) {
            return 120;
        }
    }

    private static GenerationResult merged(List<GenerationResult> results) {
        List<Completion> all = new ArrayList<>();
        long decode = 0;
        long session = 0;
        for (GenerationResult r : results) {
            all.addAll(r.completions());
            decode += r.decodeNanos();
            session += r.decodeSessionNanos();
        }
        return new GenerationResult(results.get(0).promptTokens(), all, results.get(0).prefillNanos(), decode, session);
    }
}
