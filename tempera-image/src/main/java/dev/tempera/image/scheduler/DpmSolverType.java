package dev.tempera.image.scheduler;

/**
 * The second-order update of DPM-Solver ({@code solver_type}). {@code logrho}, {@code bh1} and {@code bh2} (the DEIS
 * and UniPC names) are read as {@link #MIDPOINT}, as diffusers does.
 */
public enum DpmSolverType {
    /** The midpoint form (diffusers' default, what "DPM++ 2M" means). */
    MIDPOINT("midpoint"),
    /** The Heun form. */
    HEUN("heun");

    private final String jsonName;

    DpmSolverType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static DpmSolverType fromJson(String name) {
        if ("logrho".equals(name) || "bh1".equals(name) || "bh2".equals(name)) {
            return MIDPOINT;
        }
        return JsonEnums.parse(values(), DpmSolverType::jsonName, "solver_type", name);
    }
}
