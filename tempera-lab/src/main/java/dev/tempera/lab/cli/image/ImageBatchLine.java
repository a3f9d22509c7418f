package dev.tempera.lab.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.SdxlOptions;
import dev.tempera.image.scheduler.Schedulers;
import dev.tempera.lab.cli.JsonlInput;
import dev.tempera.runtime.image.ImageSize;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One prompt of a {@code tempera image --in} file: a JSON object on one line, read and checked before the model loads.
 *
 * <pre>{@code
 * {"prompt": "a red circle"}
 * {"prompt": "a blue square", "negative_prompt": "blurry", "seeds": "0-3", "guidance": [1, 7.5], "id": "square"}
 * {"prompt": "a green star", "steps": 20, "scheduler": "ddim", "eta": 0.5, "size": "64x48", "seeds": [7, 42]}
 * }</pre>
 *
 * <p>Keys ({@link #KEYS}; any other is an error, so that a misspelt {@code "negative_prompt"} is not silently
 * ignored): {@code prompt} (required), {@code negative_prompt}, {@code prompt_2}, {@code negative_prompt_2} (strings),
 * {@code seeds} (a list of integers, a string like {@code "0-3"} or {@code "0,7,42"}, or one integer),
 * {@code guidance} (a number or a list), {@code steps} (an integer), {@code scheduler} (a registry name),
 * {@code size} ({@code "WxH"}), {@code eta} (a number) and {@code id} (names the line's output folder). A key that is
 * absent, or {@code null}, takes the command line's value ({@link #over}).
 *
 * @param number the 1-based line number in the file (blank lines count)
 * @param id the line's id, when it has one
 * @param prompt the prompt
 * @param negativePrompt the negative prompt, when the line sets one
 * @param prompt2 SDXL's second prompt, when set
 * @param negativePrompt2 SDXL's second negative prompt, when set
 * @param seeds the seeds, when set (at least one)
 * @param guidance the guidance scales, when set (at least one, each finite and {@code >= 0})
 * @param steps the steps, when set ({@code >= 1})
 * @param scheduler a known scheduler name, when set
 * @param size the image size, when set (multiples of 8)
 * @param eta DDIM's eta, when set (finite, {@code >= 0})
 */
record ImageBatchLine(int number, Optional<String> id, String prompt, Optional<String> negativePrompt,
                      Optional<String> prompt2, Optional<String> negativePrompt2, Optional<List<Long>> seeds,
                      Optional<List<Double>> guidance, OptionalInt steps, Optional<String> scheduler,
                      Optional<ImageSize> size, OptionalDouble eta) {

    /** The keys a line may have. */
    static final List<String> KEYS = List.of("prompt", "negative_prompt", "prompt_2", "negative_prompt_2", "seeds",
            "guidance", "steps", "scheduler", "size", "eta", "id");

    /** diffusers' and the web UI's names for what a line calls otherwise: the hint for an unknown key. */
    private static final Map<String, String> ALIASES = Map.of(
            "guidance_scale", "guidance", "cfg_scale", "guidance", "num_inference_steps", "steps", "seed", "seeds",
            "negative", "negative_prompt", "width", "size", "height", "size", "sampler", "scheduler");

    /** What an id may be: it becomes a folder name, on any file system. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    ImageBatchLine {
        if (number < 1) {
            throw new IllegalArgumentException("number must be >= 1, but is: " + number);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        Objects.requireNonNull(prompt2, "prompt2");
        Objects.requireNonNull(negativePrompt2, "negativePrompt2");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(eta, "eta");
        id.ifPresent(v -> {
            if (!ID.matcher(v).matches()) {
                throw new IllegalArgumentException("id must match " + ID + ", but is: " + v);
            }
        });
        seeds = seeds.map(List::copyOf);
        seeds.ifPresent(s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("seeds must hold at least one seed, but is empty");
            }
        });
        guidance = guidance.map(List::copyOf);
        guidance.ifPresent(g -> {
            if (g.isEmpty()) {
                throw new IllegalArgumentException("guidance must hold at least one scale, but is empty");
            }
            for (double x : g) {
                if (!(x >= 0) || Double.isInfinite(x)) {
                    throw new IllegalArgumentException("guidance scales must be finite and >= 0, but are: " + g);
                }
            }
        });
        if (steps.isPresent() && steps.getAsInt() < 1) {
            throw new IllegalArgumentException("steps must be >= 1, but is: " + steps.getAsInt());
        }
        scheduler.ifPresent(s -> {
            if (!Schedulers.names().contains(s)) {
                throw new IllegalArgumentException("Unknown scheduler '" + s + "'; known: " + Schedulers.names());
            }
        });
        if (eta.isPresent() && (!(eta.getAsDouble() >= 0) || Double.isInfinite(eta.getAsDouble()))) {
            throw new IllegalArgumentException("eta must be finite and >= 0, but is: " + eta.getAsDouble());
        }
    }

    /** The line's output folder under {@code --out}: its id, else {@code line-0007} (the line number, 4 digits). */
    String folderName() {
        return id.orElse(String.format(Locale.ROOT, "line-%04d", number));
    }

    /**
     * Parses one non-blank line.
     *
     * @throws IllegalArgumentException saying what is wrong (the caller adds the file and line number): not JSON, not
     *     an object, an unknown key, a missing or non-string prompt, or a value of the wrong type or out of range;
     *     the message names the key, what it may be and the value
     */
    static ImageBatchLine parse(int number, String json, ObjectMapper mapper) {
        ObjectNode fields = JsonlInput.object(json, mapper, ImageBatchInput.EXAMPLE);
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                String hint = ALIASES.containsKey(key) ? " (did you mean \"" + ALIASES.get(key) + "\"?)" : "";
                throw new IllegalArgumentException("unknown key \"" + key + "\"" + hint + "; a line may have: " + KEYS);
            }
        }
        JsonNode p = fields.get("prompt");
        if (p == null || p.isNull()) {
            throw new IllegalArgumentException("\"prompt\" is required (a string), but the line has none");
        }
        return new ImageBatchLine(number, id(fields.get("id")), text("prompt", p).orElseThrow(),
                text("negative_prompt", fields.get("negative_prompt")), text("prompt_2", fields.get("prompt_2")),
                text("negative_prompt_2", fields.get("negative_prompt_2")), seeds(fields.get("seeds")),
                guidance(fields.get("guidance")), steps(fields.get("steps")), scheduler(fields.get("scheduler")),
                size(fields.get("size")), eta(fields.get("eta")));
    }

    /**
     * This line's job: its keys over {@code flags} (the command line's values; its prompt is not used), with
     * {@code latents} (the {@code --latents} file, which must fit the line's seeds and size).
     *
     * @throws IllegalArgumentException when the merged values do not go together (latents of another shape)
     */
    ImageJob over(ImageJob flags, Optional<LatentsFile> latents) {
        ImageRequest f = flags.request();
        List<Long> s = seeds.orElse(f.seeds());
        List<Double> g = guidance.orElse(flags.guidance());
        int w = size.map(ImageSize::width).orElse(f.width());
        int h = size.map(ImageSize::height).orElse(f.height());
        ImageRequest r = new ImageRequest(prompt, negativePrompt.orElse(f.negativePrompt()), w, h,
                steps.orElse(f.steps()), g.get(0), f.guidanceRescale(), s, scheduler.or(f::scheduler),
                eta.orElse(f.eta()), Optional.empty(), f.clipSkip()).withImagesPerPrompt(f.imagesPerPrompt());
        if (latents.isPresent()) {
            r = r.withLatents(latents.get().forImages(r.images(), w, h, "seeds " + s, "size " + w + "x" + h));
        }
        SdxlOptions x = flags.xl();
        SdxlOptions xl = new SdxlOptions(prompt2.or(x::prompt2), negativePrompt2.or(x::negativePrompt2),
                x.originalSize(), x.cropsCoordsTopLeft(), x.targetSize());
        return new ImageJob(r, g, xl, latents.map(LatentsFile::label));
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull();
    }

    private static Optional<String> text(String key, JsonNode v) {
        if (absent(v)) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string, but is: " + v);
        }
        return Optional.of(v.asText());
    }

    private static Optional<String> id(JsonNode v) {
        if (absent(v)) {
            return Optional.empty();
        }
        String s = v.isTextual() ? v.asText() : v.canConvertToLong() && v.isIntegralNumber() ? v.asText() : null;
        if (s == null || !ID.matcher(s).matches()) {
            throw new IllegalArgumentException("\"id\" must be 1 to 100 letters, digits, '.', '_' or '-', starting "
                    + "with a letter or digit (it names the line's folder under --out), but is: " + v);
        }
        return Optional.of(s);
    }

    private static Optional<List<Long>> seeds(JsonNode v) {
        if (absent(v)) {
            return Optional.empty();
        }
        String form = "\"seeds\" must be a list of integers ([0, 7, 42]), a string of seeds and ranges (\"0-3\", "
                + "\"0,7,42\") or one integer";
        if (v.isTextual()) {
            return Optional.of(ImageArgs.seeds("\"seeds\"", v.asText()));
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Optional.of(List.of(v.asLong()));
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(form + ", but is: " + v);
        }
        if (v.isEmpty()) {
            throw new IllegalArgumentException("\"seeds\" must hold at least one seed (one image each), but is: []");
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode x : v) {
            if (!x.isIntegralNumber() || !x.canConvertToLong()) {
                throw new IllegalArgumentException(form + ", but is: " + v + " (" + x + " is not a 64-bit integer)");
            }
            out.add(x.asLong());
        }
        return Optional.of(out);
    }

    private static Optional<List<Double>> guidance(JsonNode v) {
        if (absent(v)) {
            return Optional.empty();
        }
        String form = "\"guidance\" must be a number >= 0 or a list of them (1 or less turns guidance off)";
        List<JsonNode> values = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(values::add);
            if (values.isEmpty()) {
                throw new IllegalArgumentException(form + ", but is: []");
            }
        } else {
            values.add(v);
        }
        List<Double> out = new ArrayList<>();
        for (JsonNode x : values) {
            if (!x.isNumber() || !(x.asDouble() >= 0) || Double.isInfinite(x.asDouble())) {
                throw new IllegalArgumentException(form + ", but is: " + v);
            }
            out.add(x.asDouble());
        }
        return Optional.of(out);
    }

    private static OptionalInt steps(JsonNode v) {
        if (absent(v)) {
            return OptionalInt.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw new IllegalArgumentException("\"steps\" must be an integer >= 1, but is: " + v);
        }
        return OptionalInt.of(v.asInt());
    }

    private static Optional<String> scheduler(JsonNode v) {
        Optional<String> s = text("scheduler", v);
        if (s.isPresent() && !Schedulers.names().contains(s.get())) {
            throw new IllegalArgumentException("\"scheduler\" must be one of " + Schedulers.names() + ", but is: " + v);
        }
        return s;
    }

    private static Optional<ImageSize> size(JsonNode v) {
        Optional<String> s = text("size", v);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        String form = "\"size\" must be \"WIDTHxHEIGHT\", both positive multiples of " + ImageRequest.VAE_FACTOR
                + " (e.g. \"512x512\")";
        int[] wh;
        try {
            wh = ImageArgs.size("\"size\"", s.get());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(form + ", but is: " + v);
        }
        int f = ImageRequest.VAE_FACTOR;
        if (wh[0] < f || wh[1] < f || wh[0] % f != 0 || wh[1] % f != 0) {
            throw new IllegalArgumentException(form + ", but is: " + v);
        }
        return Optional.of(new ImageSize(wh[1], wh[0]));
    }

    private static OptionalDouble eta(JsonNode v) {
        if (absent(v)) {
            return OptionalDouble.empty();
        }
        if (!v.isNumber() || !(v.asDouble() >= 0) || Double.isInfinite(v.asDouble())) {
            throw new IllegalArgumentException("\"eta\" must be a finite number >= 0 (0 = deterministic DDIM), but is: "
                    + v);
        }
        return OptionalDouble.of(v.asDouble());
    }
}
