package dev.tempera.image.scheduler;

/**
 * What the denoising model predicts ({@code prediction_type}). SD 1.x and SDXL predict the noise; SD 2.x 768 models
 * predict v. A wrong value here does not fail: it silently produces garbage images, so take it from the model's own
 * scheduler_config.json.
 */
public enum PredictionType {
    /** The added noise. */
    EPSILON("epsilon"),
    /** v = sqrt(alpha_bar) * noise - sqrt(1 - alpha_bar) * x0 (Imagen Video, section 2.4). */
    V_PREDICTION("v_prediction"),
    /** The clean sample x0 itself. Euler ancestral does not support it (as in diffusers). */
    SAMPLE("sample");

    private final String jsonName;

    PredictionType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in scheduler_config.json. */
    public String jsonName() {
        return jsonName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static PredictionType fromJson(String name) {
        return JsonEnums.parse(values(), PredictionType::jsonName, "prediction_type", name);
    }
}
