package dev.tempera.image.scheduler;

/**
 * How the inference timesteps are picked from the training range ({@code timestep_spacing}; table 2 of "Common
 * Diffusion Noise Schedules and Sample Steps are Flawed"). Each scheduler family rounds a little differently; the
 * javadoc of each scheduler says how.
 *
 * <p>The trap: SD 1.5's scheduler_config.json on the Hub has no {@code timestep_spacing} key, so a scheduler made from
 * it gets its own class default ({@link #LINSPACE} for Euler, Euler ancestral, LMS and DPM++; {@link #LEADING} for
 * DDIM, PNDM and LCM). A config re-saved by diffusers (for example by an ONNX export) spells out {@code "leading"} and
 * every scheduler made from it inherits that.
 */
public enum TimestepSpacing {
    /** Evenly spaced from 0 to T-1, both ends included. */
    LINSPACE("linspace"),
    /** Multiples of T // n starting at 0, plus {@code steps_offset}. */
    LEADING("leading"),
    /** T - 1 down in steps of T / n, rounded. */
    TRAILING("trailing");

    private final String jsonName;

    TimestepSpacing(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static TimestepSpacing fromJson(String name) {
        return JsonEnums.parse(values(), TimestepSpacing::jsonName, "timestep_spacing", name);
    }
}
