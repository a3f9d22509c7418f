package dev.tempera.image.scheduler;

/**
 * DPM-Solver variant ({@code algorithm_type}). Only the "++" (data-prediction) forms are ported; diffusers has
 * deprecated the noise-prediction forms {@code dpmsolver} and {@code sde-dpmsolver}. {@code "deis"} is read as
 * {@link #DPMSOLVER_PLUS_PLUS}, as diffusers does when a DEIS config is reused.
 */
public enum DpmAlgorithm {
    /** DPM-Solver++ ("DPM++ 2M"): deterministic. */
    DPMSOLVER_PLUS_PLUS("dpmsolver++"),
    /** SDE-DPM-Solver++ ("DPM++ 2M SDE"): draws fresh noise at every step. */
    SDE_DPMSOLVER_PLUS_PLUS("sde-dpmsolver++");

    private final String jsonName;

    DpmAlgorithm(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static DpmAlgorithm fromJson(String name) {
        if ("deis".equals(name)) {
            return DPMSOLVER_PLUS_PLUS;
        }
        return JsonEnums.parse(values(), DpmAlgorithm::jsonName, "algorithm_type", name);
    }
}
