package dev.tempera.image.scheduler;

/** The sigma appended after the last step ({@code final_sigmas_type}; Euler and DPM++ only). */
public enum FinalSigmasType {
    /** 0: the last step lands on a clean sample. */
    ZERO("zero"),
    /** The training schedule's smallest sigma, sigma(t = 0). */
    SIGMA_MIN("sigma_min");

    private final String jsonName;

    FinalSigmasType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static FinalSigmasType fromJson(String name) {
        return JsonEnums.parse(values(), FinalSigmasType::jsonName, "final_sigmas_type", name);
    }
}
