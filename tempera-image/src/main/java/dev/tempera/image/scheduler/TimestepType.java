package dev.tempera.image.scheduler;

/** What Euler hands the model as its timestep ({@code timestep_type}). */
public enum TimestepType {
    /** The training timestep (possibly fractional). */
    DISCRETE("discrete"),
    /**
     * {@code 0.25 * ln(sigma)}, the EDM convention, but only together with {@code prediction_type = v_prediction};
     * with the other prediction types diffusers falls back to discrete timesteps, and so does this port.
     */
    CONTINUOUS("continuous");

    private final String jsonName;

    TimestepType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static TimestepType fromJson(String name) {
        return JsonEnums.parse(values(), TimestepType::jsonName, "timestep_type", name);
    }
}
