package dev.tempera.image.output;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How one image was made, written into its PNG so that the file alone says how to make it again: the common
 * "parameters" text (the AUTOMATIC1111 web UI's form, which image viewers and other tools read) and, beside it, the
 * same and more as JSON.
 *
 * <pre>
 * a red circle
 * Negative prompt: blurry
 * Steps: 30, Sampler: Euler a, CFG scale: 7.5, Seed: 0, Size: 64x64, Model: shapes-sd
 * </pre>
 *
 * @param prompt the prompt
 * @param negativePrompt the negative prompt ("" for none; the line is then left out, as the web UI does)
 * @param steps inference steps, ≥ 1
 * @param sampler the scheduler by its common name ("Euler a", "DPM++ 2M Karras", "PNDM")
 * @param cfgScale the guidance scale
 * @param seed the seed of this image's generator
 * @param width image width in pixels, ≥ 1
 * @param height image height in pixels, ≥ 1
 * @param model the model's name
 * @param extra further fields, appended as {@code Key: value} (insertion order) and put in the JSON
 */
public record GenerationInfo(String prompt, String negativePrompt, int steps, String sampler, double cfgScale,
                             long seed, int width, int height, String model, Map<String, String> extra) {

    public GenerationInfo {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(negativePrompt, "negativePrompt");
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(model, "model");
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, but is: " + steps);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("width and height must be >= 1, but are: " + width + "x" + height);
        }
        extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** The web UI's "parameters" text. */
    public String parameters() {
        StringBuilder b = new StringBuilder(prompt);
        if (!negativePrompt.isEmpty()) {
            b.append("\nNegative prompt: ").append(negativePrompt);
        }
        b.append("\nSteps: ").append(steps)
                .append(", Sampler: ").append(sampler)
                .append(", CFG scale: ").append(number(cfgScale))
                .append(", Seed: ").append(seed)
                .append(", Size: ").append(width).append('x').append(height)
                .append(", Model: ").append(model);
        extra.forEach((k, v) -> b.append(", ").append(k).append(": ").append(v));
        return b.toString();
    }

    /** Every field under a JSON name, for the JSON chunk. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt", prompt);
        m.put("negative_prompt", negativePrompt);
        m.put("steps", steps);
        m.put("sampler", sampler);
        m.put("guidance_scale", cfgScale);
        m.put("seed", seed);
        m.put("width", width);
        m.put("height", height);
        m.put("model", model);
        m.putAll(extra);
        return m;
    }

    /** 7.5 → "7.5", 7.0 → "7" (as the web UI prints its numbers). */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%s", v);
    }
}
