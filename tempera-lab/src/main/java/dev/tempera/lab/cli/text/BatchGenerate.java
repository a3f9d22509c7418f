package dev.tempera.lab.cli.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.lab.cli.JsonlInput;
import dev.tempera.runtime.chat.ChatMessage;
import dev.tempera.runtime.chat.ChatTemplate;
import dev.tempera.runtime.chat.ContentPart;
import dev.tempera.runtime.image.ImageLimits;
import dev.tempera.runtime.image.ImageLoader;
import dev.tempera.runtime.image.RgbPixels;
import dev.tempera.sampling.SamplingParams;
import dev.tempera.text.Completion;
import dev.tempera.text.GenerationRequest;
import dev.tempera.text.GenerationResult;
import dev.tempera.text.LocalEngine;
import dev.tempera.text.Prompt;
import dev.tempera.text.StreamListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import picocli.CommandLine;

/**
 * {@code tempera generate --in prompts.jsonl --out outputs.jsonl}: many prompts through one model load.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li>{@code --out} is checked (an existing file only with {@code --force}; never the {@code --in} file) and every
 *       line is read and checked — JSON, {@code prompt}, image files, image count, sampling parameters (names,
 *       types, ranges) — so that a bad line fails before the model loads (exit 2, its line number named);
 *   <li>the model loads once; each line's parameters are merged again over the model's defaults (generation_config);
 *   <li>line by line: images decoded, the chat template rendered (system, images, prompt; unless {@code --raw}),
 *       prompt pass, decode; one output line — the input's fields unchanged, then {@link BatchLine#WRITTEN} — goes
 *       to a temporary file;
 *   <li>the temporary file is renamed to {@code --out}. Any failure removes it instead and names the line.
 * </ol>
 *
 * <p>Parameters of line {@code k} (0-based, blank lines not counted): the model's defaults ← the flags ← the line's
 * {@code params}. With {@code --seed S}, line {@code k} samples with seed {@code S + k} unless its {@code params}
 * set {@code seed}; so the same file and flags give the same outputs, and no two lines share a random stream. A
 * line must ask for one sequence ({@code n = 1}).
 *
 * <p>Lines run one after another on one engine (which is not thread-safe); the progress goes to standard error.
 */
final class BatchGenerate {

    private static final ObjectWriter LINE_WRITER = TextJson.MAPPER.writer()
            .with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private final Path in;
    private final Path out;
    private final boolean force;
    private final String system;
    private final boolean raw;
    private final SamplingOptions sampling;
    private final LongSupplier clock;

    /**
     * @param system the system message of lines without one ({@code null}: the template's default)
     * @param raw tokenise each prompt as it is, without the chat template
     * @param clock for the progress report ({@code System::nanoTime})
     */
    BatchGenerate(Path in, Path out, boolean force, String system, boolean raw, SamplingOptions sampling,
                  LongSupplier clock) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.force = force;
        this.system = system;
        this.raw = raw;
        this.sampling = Objects.requireNonNull(sampling, "sampling");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs the batch.
     *
     * @param progressBar draw a bar in place (stderr is a terminal) rather than a line per tenth
     * @return the exit code, 0
     * @throws IllegalArgumentException for a bad option or line (exit 2); the message names the line
     */
    int run(CommandLine.Model.CommandSpec spec, ModelOptions model, PrintWriter err, boolean progressBar) {
        if (JsonlInput.sameFile(in, out, "--out " + out)) {
            throw new IllegalArgumentException("--out must not be the --in file (" + out + "); write the outputs "
                    + "elsewhere");
        }
        List<BatchLine> lines = BatchInput.read(in);
        // Before the load the model's defaults are unknown: check against Tempera's, with room for any max_tokens so
        // that a line's min_tokens is not refused here for a limit the model's generation_config may raise.
        SamplingParams flagged = sampling.merge(SamplingParams.defaults().toBuilder().maxTokens(Integer.MAX_VALUE)
                .build(), Map.of());
        for (int k = 0; k < lines.size(); k++) {
            BatchLine line = lines.get(k);
            params(flagged, line, k);
            if (line.images().size() > model.maxImages) {
                throw new IllegalArgumentException(JsonlInput.where(in, line.number()) + "at most --max-images = "
                        + model.maxImages + " images per prompt, but the line has " + line.images().size());
            }
        }
        try (BatchOutputFile file = BatchOutputFile.create(out, force);
             LocalEngine engine = model.open(spec)) {
            for (BatchLine line : lines) {
                if (!line.images().isEmpty() && !engine.acceptsImages()) {
                    throw new IllegalArgumentException(JsonlInput.where(in, line.number()) + "has images, but "
                            + model.model + " is a text-only model (use a vision-language model, e.g. "
                            + "models/shapes-vl)");
                }
            }
            SamplingParams base = engine.generationConfig().defaultSampling();
            if (engine.generationConfig().maxNewTokens().isEmpty()) {
                base = base.toBuilder().maxTokens(256).build();
            }
            SamplingParams merged = sampling.merge(base, Map.of());
            ChatTemplate template = raw ? null : ChatTemplate.load(engine.dir());
            ImageLoader loader = new ImageLoader(ImageLimits.defaults().withMaxPixels(model.maxImagePixels));
            BatchProgress progress = new BatchProgress(err, lines.size(), progressBar, clock);
            try {
                for (int k = 0; k < lines.size(); k++) {
                    BatchLine line = lines.get(k);
                    ObjectNode result;
                    try {
                        result = generate(engine, template, loader, params(merged, line, k), line);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(JsonlInput.where(in, line.number()) + e.getMessage(), e);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException(JsonlInput.where(in, line.number()) + e, e);
                    }
                    file.writeLine(json(result));
                    progress.lineDone(result.get("tokens").asInt());
                }
            } finally {
                progress.stop();
            }
            file.commit();
            err.printf(Locale.ROOT, "[%d lines, %d tokens generated in %.1f s (%.0f tok/s) → %s]%n", lines.size(),
                    progress.tokens(), progress.seconds(), progress.tokens() / Math.max(1e-9, progress.seconds()),
                    out);
            err.flush();
        }
        return 0;
    }

    /**
     * The parameters of line {@code k}: {@code merged} (defaults ← the flags) ← {@code --seed S} as {@code S + k} ←
     * the line's {@code params}.
     *
     * @throws IllegalArgumentException naming the line, the parameter, its range and the value
     */
    private SamplingParams params(SamplingParams merged, BatchLine line, int k) {
        try {
            Map<String, Object> m = new LinkedHashMap<>(merged.toMap());
            if (sampling.seed != null) {
                long seed = sampling.seed + k;
                if (seed == -1) {
                    throw new IllegalArgumentException("--seed " + sampling.seed + " gives this line (prompt " + k
                            + " counting from 0) seed -1, which means no seed; use a --seed outside [-"
                            + (k + 1) + ", -2]");
                }
                m.put("seed", seed);
            }
            m.putAll(line.params());
            SamplingParams p = SamplingParams.fromMap(m);
            if (p.n() != 1) {
                throw new IllegalArgumentException("n must be 1 in a batch (one completion per line; repeat the line "
                        + "to sample it again), but is: " + p.n());
            }
            return p;
        } catch (IllegalArgumentException e) {
            String where = JsonlInput.where(in, line.number());
            throw new IllegalArgumentException(where + (line.params().isEmpty() ? "" : "params: ") + e.getMessage(),
                    e);
        }
    }

    private ObjectNode generate(LocalEngine engine, ChatTemplate template, ImageLoader loader, SamplingParams params,
                                BatchLine line) {
        List<RgbPixels> pictures = new ArrayList<>();
        for (Path image : line.images()) {
            pictures.add(loader.load(image));
        }
        String text = raw ? line.prompt() : render(template, line);
        Prompt p = engine.prepare(text, pictures);
        GenerationRequest request = sampling.request(params);
        GenerationResult r = engine.generate(p, request, StreamListener.NONE);
        Completion c = r.completions().get(0);
        ObjectNode o = line.fields().deepCopy();
        o.put("text", c.text());
        o.put("tokens", c.tokens().length);
        o.put("finish_reason", c.finishReason().id());
        if (c.seed().isPresent()) {
            o.put("seed", c.seed().getAsLong());
        } else {
            o.putNull("seed");
        }
        o.put("prompt_tokens", r.promptTokens());
        return o;
    }

    private String render(ChatTemplate template, BatchLine line) {
        List<ChatMessage> messages = new ArrayList<>();
        Optional<String> sys = line.system().or(() -> Optional.ofNullable(system));
        sys.ifPresent(s -> messages.add(ChatMessage.system(s)));
        if (line.images().isEmpty()) {
            messages.add(ChatMessage.user(line.prompt()));
        } else {
            List<ContentPart> parts = new ArrayList<>();
            for (Path image : line.images()) {
                parts.add(new ContentPart.Image(image.toString()));
            }
            parts.add(new ContentPart.Text(line.prompt()));
            messages.add(ChatMessage.parts(ChatMessage.Role.USER, parts));
        }
        return template.render(messages, true);
    }

    private static String json(ObjectNode o) {
        try {
            return LINE_WRITER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an output line as JSON", e);
        }
    }
}
