package dev.tempera.image.scheduler;

/**
 * How the training noise schedule's betas are laid out over {@code num_train_timesteps} ({@code beta_schedule}).
 * SD 1.x, SD 2.x and SDXL all use {@link #SCALED_LINEAR}.
 */
public enum BetaSchedule {
    /** {@code torch.linspace(beta_start, beta_end, T)} in float32. */
    LINEAR("linear"),
    /** {@code torch.linspace(sqrt(beta_start), sqrt(beta_end), T) ** 2} in float32. */
    SCALED_LINEAR("scaled_linear"),
    /** The cosine schedule of improved DDPM (capped at 0.999); ignores beta_start and beta_end. */
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

    private final String jsonName;

    BetaSchedule(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static BetaSchedule fromJson(String name) {
        return JsonEnums.parse(values(), BetaSchedule::jsonName, "beta_schedule", name);
    }
}
