package dev.tempera.image.scheduler;

/** How Euler turns the chosen timesteps into sigmas ({@code interpolation_type}). */
public enum InterpolationType {
    /** {@code np.interp} of the training sigmas at the (possibly fractional) timesteps. */
    LINEAR("linear"),
    /**
     * n + 1 sigmas evenly spaced in log space between the smallest and the largest training sigma, whatever the
     * timesteps are (as diffusers does; the schedule then has one sigma more than it has steps).
     */
    LOG_LINEAR("log_linear");

    private final String jsonName;

    InterpolationType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static InterpolationType fromJson(String name) {
        return JsonEnums.parse(values(), InterpolationType::jsonName, "interpolation_type", name);
    }
}
