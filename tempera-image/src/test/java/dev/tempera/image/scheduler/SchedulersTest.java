package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SchedulersTest {

    private static final SchedulerConfig SD15 = SchedulerConfig.fromJson(SchedulerConfigTest.SD15_HUB);
    private static final SchedulerConfig SDXL = SchedulerConfig.fromJson(SchedulerConfigTest.SDXL_HUB);

    @Test
    void namesAreSorted() {
        assertThat(Schedulers.names()).containsExactly("ddim", "dpmpp_2m", "dpmpp_2m_karras", "dpmpp_2m_sde",
                "dpmpp_2m_sde_karras", "euler", "euler_a", "lcm", "lms", "pndm");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Schedulers.create("dpm", SD15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown scheduler 'dpm'; known: [ddim, dpmpp_2m, dpmpp_2m_karras, dpmpp_2m_sde, "
                        + "dpmpp_2m_sde_karras, euler, euler_a, lcm, lms, pndm]");
    }

    @Test
    void fromConfigBuildsTheClassTheModelShips() {
        assertThat(Schedulers.fromConfig(SD15).name()).isEqualTo("pndm");
        assertThat(Schedulers.fromConfig(SDXL).name()).isEqualTo("euler");
        SchedulerConfig unipc = SchedulerConfig.fromJson("{\"_class_name\": \"UniPCMultistepScheduler\"}");
        assertThatThrownBy(() -> Schedulers.fromConfig(unipc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unknown scheduler class 'UniPCMultistepScheduler' in _class_name; known: "
                        + "[DDIMScheduler, DPMSolverMultistepScheduler, EulerAncestralDiscreteScheduler, "
                        + "EulerDiscreteScheduler, LCMScheduler, LMSDiscreteScheduler, PNDMScheduler]");
        assertThatThrownBy(() -> Schedulers.fromConfig(SchedulerConfig.builder().build()))
                .hasMessageStartingWith("scheduler config has no _class_name");
    }

    /**
     * The from_config trap: SD 1.5's Hub file has no timestep_spacing, so Euler made from it uses Euler's own
     * default (linspace: 999 first, init sigma = sigma_max), while a re-saved copy (every key spelled out, as an
     * optimum ONNX export writes it) makes Euler inherit PNDM's leading spacing (951 first, init sigma
     * sqrt(sigma_max^2 + 1)). Values from diffusers (see schedules.json).
     */
    @Test
    void aSchedulerMadeFromAConfigTakesItsOwnDefaultsForKeysTheFileLacks() {
        Scheduler fromHub = Schedulers.create("euler", SD15);
        fromHub.setTimesteps(20);
        assertThat(fromHub.config().timestepSpacing()).isEqualTo(TimestepSpacing.LINSPACE);
        assertThat(fromHub.timestep(0)).isEqualTo(999.0);
        assertThat(fromHub.timestep(1)).isEqualTo((double) 946.42108f);
        assertThat(fromHub.initNoiseSigma()).isCloseTo(14.614642f, within(2e-5f));

        SchedulerConfig resaved = SD15.toBuilder().timestepSpacing(TimestepSpacing.LEADING).build();
        Scheduler fromResaved = Schedulers.create("euler", resaved);
        fromResaved.setTimesteps(20);
        assertThat(fromResaved.timestep(0)).isEqualTo(951.0);
        assertThat(fromResaved.timestep(19)).isEqualTo(1.0);
        assertThat(fromResaved.initNoiseSigma()).isCloseTo(11.07358f, within(2e-5f));

        // DDIM's own default is leading, so it gets 951 from either file; steps_offset 1 is explicit in both
        Scheduler ddim = Schedulers.create("ddim", SD15);
        ddim.setTimesteps(20);
        assertThat(ddim.timestep(0)).isEqualTo(951.0);
        // clip_sample false is inherited although PNDM itself has no such option; DDIM's default would be true
        assertThat(ddim.config().clipSample()).isFalse();
        assertThat(ddim.config().className()).isEqualTo("DDIMScheduler");
    }

    @Test
    void registryOverridesWinOverTheConfig() {
        SchedulerConfig karrasShipped = SDXL.toBuilder().useKarrasSigmas(true).build();
        assertThat(Schedulers.create("dpmpp_2m", karrasShipped).config().useKarrasSigmas()).isFalse();
        Scheduler karras = Schedulers.create("dpmpp_2m_karras", SDXL);
        assertThat(karras.config().useKarrasSigmas()).isTrue();
        assertThat(karras.config().algorithmType()).isEqualTo(DpmAlgorithm.DPMSOLVER_PLUS_PLUS);
        Scheduler sde = Schedulers.create("dpmpp_2m_sde", SDXL);
        assertThat(sde.config().algorithmType()).isEqualTo(DpmAlgorithm.SDE_DPMSOLVER_PLUS_PLUS);
        assertThat(sde.usesNoise()).isTrue();
        assertThat(karras.usesNoise()).isFalse();
    }

    @Test
    void etaIsDdimsAndNonNegative() {
        assertThat(Schedulers.create("ddim", SD15).usesNoise()).isFalse();
        assertThat(Schedulers.create("ddim", SD15, 0.5).usesNoise()).isTrue();
        assertThatThrownBy(() -> Schedulers.create("ddim", SD15, -0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eta must be finite and >= 0, but is: -0.1");
        assertThatThrownBy(() -> Schedulers.create("euler", SD15, 0.3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eta must be 0 for scheduler 'euler' (only ddim has eta), but is: 0.3");
        assertThat(Schedulers.fromConfig(SD15.toBuilder().className("DDIMScheduler").build(), 1.0).usesNoise())
                .isTrue();
    }

    @Test
    void onlyDdimTakesEtaAsInDiffusersStepSignatures() {
        // diffusers: "eta" in inspect.signature(scheduler.step).parameters holds for DDIMScheduler only
        for (String name : Schedulers.names()) {
            assertThat(Schedulers.takesEta(name)).as(name).isEqualTo(name.equals("ddim"));
        }
        assertThat(Schedulers.takesEta("no-such-scheduler")).isFalse();
    }

    @Test
    void optionsThatAreNotPortedAreRefusedNotIgnored() {
        assertThatThrownBy(() -> Schedulers.create("ddim", SD15.toBuilder().thresholding(true).build()))
                .hasMessage("thresholding must be false for ddim (dynamic thresholding, for pixel-space models, is "
                        + "not ported), but is: true");
        assertThatThrownBy(() -> Schedulers.create("euler", SD15.toBuilder().useExponentialSigmas(true).build()))
                .hasMessage("use_exponential_sigmas must be false for euler (not ported), but is: true");
        assertThatThrownBy(() -> Schedulers.create("dpmpp_2m", SD15.toBuilder().varianceType("learned_range").build()))
                .hasMessage("variance_type must be null for dpmpp_2m (learned variance is not ported), but is: "
                        + "'learned_range'");
        assertThatThrownBy(() -> Schedulers.create("euler_a",
                SD15.toBuilder().predictionType(PredictionType.SAMPLE).build()))
                .hasMessageStartingWith("prediction_type must be epsilon or v_prediction for euler_a");
    }
}
