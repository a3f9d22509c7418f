package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerConfigTest {

    /** stable-diffusion-v1-5's scheduler/scheduler_config.json (written by diffusers 0.6.0). */
    static final String SD15_HUB = """
            {
              "_class_name": "PNDMScheduler",
              "_diffusers_version": "0.6.0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "num_train_timesteps": 1000,
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "trained_betas": null,
              "clip_sample": false
            }""";

    /** stable-diffusion-xl-base-1.0's scheduler/scheduler_config.json. */
    static final String SDXL_HUB = """
            {
              "_class_name": "EulerDiscreteScheduler",
              "_diffusers_version": "0.19.0.dev0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "clip_sample": false,
              "interpolation_type": "linear",
              "num_train_timesteps": 1000,
              "prediction_type": "epsilon",
              "sample_max_value": 1.0,
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "timestep_spacing": "leading",
              "trained_betas": null,
              "use_karras_sigmas": false
            }""";

    @Test
    void readsSd15AndFillsTheMissingKeysWithPndmDefaults() {
        SchedulerConfig c = SchedulerConfig.fromJson(SD15_HUB);
        assertThat(c.className()).isEqualTo("PNDMScheduler");
        assertThat(c.numTrainTimesteps()).isEqualTo(1000);
        assertThat(c.betaStart()).isEqualTo(0.00085);
        assertThat(c.betaEnd()).isEqualTo(0.012);
        assertThat(c.betaSchedule()).isEqualTo(BetaSchedule.SCALED_LINEAR);
        assertThat(c.stepsOffset()).isEqualTo(1);
        assertThat(c.skipPrkSteps()).isTrue();
        assertThat(c.clipSample()).isFalse();
        assertThat(c.trainedBetas()).isEmpty();
        // not in the file: PNDM's own defaults, and not explicit (so another scheduler made from it uses its own)
        assertThat(c.timestepSpacing()).isEqualTo(TimestepSpacing.LEADING);
        assertThat(c.predictionType()).isEqualTo(PredictionType.EPSILON);
        assertThat(c.explicitKeys()).containsExactly("_class_name", "beta_end", "beta_schedule", "beta_start",
                "clip_sample", "num_train_timesteps", "set_alpha_to_one", "skip_prk_steps", "steps_offset",
                "trained_betas");
    }

    @Test
    void readsSdxlAndIgnoresKeysNoPortedSchedulerHas() {
        SchedulerConfig c = SchedulerConfig.fromJson(SDXL_HUB); // sample_max_value is DDIM-thresholding only
        assertThat(c.className()).isEqualTo("EulerDiscreteScheduler");
        assertThat(c.timestepSpacing()).isEqualTo(TimestepSpacing.LEADING);
        assertThat(c.isExplicit("timestep_spacing")).isTrue();
        assertThat(c.interpolationType()).isEqualTo(InterpolationType.LINEAR);
        assertThat(c.useKarrasSigmas()).isFalse();
        assertThat(c.isExplicit("use_karras_sigmas")).isTrue();
        assertThat(c.explicitKeys()).doesNotContain("sample_max_value");
    }

    @Test
    void keysListedInUseDefaultValuesAreNotExplicit() {
        // what json.dumps(dict(pipe.scheduler.config)) gives for the SD 1.5 pipeline
        SchedulerConfig c = SchedulerConfig.fromJson("""
                {"_class_name": "PNDMScheduler", "timestep_spacing": "leading", "steps_offset": 1,
                 "_use_default_values": ["timestep_spacing", "prediction_type"]}""");
        assertThat(c.isExplicit("timestep_spacing")).isFalse();
        assertThat(c.isExplicit("steps_offset")).isTrue();
    }

    @Test
    void unknownClassKeepsNeutralDefaults() {
        SchedulerConfig c = SchedulerConfig.fromJson("{\"_class_name\": \"UniPCMultistepScheduler\"}");
        assertThat(c.className()).isEqualTo("UniPCMultistepScheduler");
        assertThat(c.timestepSpacing()).isEqualTo(TimestepSpacing.LINSPACE);
    }

    @Test
    void readsNonFiniteNumbersAsPythonWritesThem() {
        SchedulerConfig c = SchedulerConfig.fromJson("{\"lambda_min_clipped\": -Infinity, \"sigma_min\": null}");
        assertThat(c.lambdaMinClipped()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(c.sigmaMin()).isEmpty();
        assertThat(SchedulerConfig.fromJson("{\"lambda_min_clipped\": -5.1}").lambdaMinClipped()).isEqualTo(-5.1);
    }

    @Test
    void mapsTheAliasesDiffusersMaps() {
        SchedulerConfig c = SchedulerConfig.fromJson("{\"algorithm_type\": \"deis\", \"solver_type\": \"bh2\"}");
        assertThat(c.algorithmType()).isEqualTo(DpmAlgorithm.DPMSOLVER_PLUS_PLUS);
        assertThat(c.solverType()).isEqualTo(DpmSolverType.MIDPOINT);
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"timestep_spacing\": \"even\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestep_spacing must be one of [linspace, leading, trailing], but is: 'even'");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"beta_schedule\": \"cosine\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("beta_schedule must be one of [linear, scaled_linear, squaredcos_cap_v2], "
                        + "but is: 'cosine'");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"prediction_type\": \"eps\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prediction_type must be one of [epsilon, v_prediction, sample], but is: 'eps'");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"algorithm_type\": \"dpmsolver\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("algorithm_type must be one of [dpmsolver++, sde-dpmsolver++], but is: 'dpmsolver'");
    }

    @Test
    void wrongTypesAndRangesNameTheKeyAndTheValue() {
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"steps_offset\": \"1\"}"))
                .hasMessage("steps_offset must be an integer, but is: \"1\"");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"skip_prk_steps\": 1}"))
                .hasMessage("skip_prk_steps must be true or false, but is: 1");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"num_train_timesteps\": 0}"))
                .hasMessage("num_train_timesteps must be in [1, 1000000], but is: 0");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"beta_end\": 1.5}"))
                .hasMessage("beta_end must be in [0, 1), but is: 1.5");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"solver_order\": 4}"))
                .hasMessage("solver_order must be in [1, 3], but is: 4");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"steps_offset\": -1}"))
                .hasMessage("steps_offset must be in [0, num_train_timesteps = 1000), but is: -1");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("{\"trained_betas\": [0.1, 0.2]}"))
                .hasMessage("trained_betas must hold num_train_timesteps = 1000 values, but holds: 2");
        assertThatThrownBy(() -> SchedulerConfig.fromJson("[1, 2]"))
                .hasMessage("scheduler config must be a JSON object, but is: ARRAY");
    }

    @Test
    void readNamesTheFileInItsErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> SchedulerConfig.read(dir.resolve("missing.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduler config must be an existing file, but is: ")
                .hasMessageContaining("missing.json");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"beta_start\": ");
        assertThatThrownBy(() -> SchedulerConfig.read(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read " + broken + " as JSON");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), "{\"timestep_spacing\": \"even\"}");
        assertThatThrownBy(() -> SchedulerConfig.read(invalid))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(invalid + " holds an invalid scheduler config: "
                        + "timestep_spacing must be one of [linspace, leading, trailing], but is: 'even'");
        Path sd15 = Files.writeString(dir.resolve("scheduler_config.json"), SD15_HUB);
        assertThat(SchedulerConfig.read(sd15)).isEqualTo(SchedulerConfig.fromJson(SD15_HUB));
    }

    @Test
    void builderMarksWhatItSetsAndCopiesItsInputs() {
        List<Double> betas = new ArrayList<>(List.of(0.1, 0.2));
        SchedulerConfig c = SchedulerConfig.builder().numTrainTimesteps(2).trainedBetas(betas)
                .sigmaMin(OptionalDouble.of(0.03)).build();
        betas.add(0.3);
        assertThat(c.trainedBetas()).containsExactly(0.1, 0.2);
        assertThat(c.explicitKeys()).containsExactly("num_train_timesteps", "sigma_min", "trained_betas");
        assertThatThrownBy(() -> c.explicitKeys().add("beta_start"))
                .isInstanceOf(UnsupportedOperationException.class);
        SchedulerConfig changed = c.toBuilder().predictionType(PredictionType.V_PREDICTION).build();
        assertThat(changed.explicitKeys()).contains("prediction_type", "trained_betas");
        assertThat(c.predictionType()).isEqualTo(PredictionType.EPSILON);
    }
}
