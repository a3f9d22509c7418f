package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Hand-checkable timestep anchors; the golden tests cover the rest. */
class SchedulerTimestepGridTest {

    private static SchedulerConfig config(TimestepSpacing spacing) {
        return SchedulerConfig.builder().timestepSpacing(spacing).stepsOffset(1).build();
    }

    @Test
    void numpyArangeCanComeOutOneLonger() {
        // 1000 / (1000 / 61) is 61.00000000000001 in doubles, so ceil gives 62: the reason trailing n = 61 has 62 steps
        assertThat(NumpyRanges.arange(1000, 0, -1000.0 / 61)).hasSize(62);
        assertThat(NumpyRanges.arange(1000, 0, -1000.0 / 20)).hasSize(20);
        assertThat(NumpyRanges.arange(1000, 0, -1000.0 / 7)).startsWith(1000.0, 1000 - 1000.0 / 7);
    }

    @Test
    void numpyLinspaceAndRound() {
        assertThat(NumpyRanges.linspace(0, 999, 3, true)).containsExactly(0, 499.5, 999);
        assertThat(NumpyRanges.linspace(0, 50, 4, false)).containsExactly(0, 12.5, 25, 37.5);
        assertThat(NumpyRanges.linspace(0, 999, 1, true)).containsExactly(0);
        assertThat(NumpyRanges.round(499.5)).isEqualTo(500); // half to even
        assertThat(NumpyRanges.round(12.5)).isEqualTo(12);
    }

    @Test
    void eachFamilyRoundsAndOffsetsItsOwnWay() {
        // Euler linspace keeps fractions; leading adds steps_offset; trailing counts down from T - 1
        assertThat(TimestepGrid.euler(config(TimestepSpacing.LINSPACE), 3)).containsExactly(999f, 499.5f, 0f);
        assertThat(TimestepGrid.euler(config(TimestepSpacing.LEADING), 4)).containsExactly(751f, 501f, 251f, 1f);
        assertThat(TimestepGrid.euler(config(TimestepSpacing.TRAILING), 4)).containsExactly(999f, 749f, 499f, 249f);
        // DDIM rounds linspace half to even
        assertThat(TimestepGrid.ddim(config(TimestepSpacing.LINSPACE), 3)).containsExactly(999, 500, 0);
        // DPM++ spaces n + 1 points and drops the last: leading 20 -> 941, 894, ... (T // 21 = 47)
        long[] dpm = TimestepGrid.dpm(config(TimestepSpacing.LEADING), 20, 1000);
        assertThat(dpm).hasSize(20).startsWith(941, 894, 847).endsWith(48);
        assertThat(TimestepGrid.dpm(config(TimestepSpacing.LINSPACE), 20, 1000)).startsWith(999, 949).endsWith(50);
        // PNDM's base grid is ascending
        assertThat(TimestepGrid.pndm(config(TimestepSpacing.LEADING), 4)).containsExactly(1, 251, 501, 751);
    }

    @Test
    void plmsRepeatsTheSecondTimestep() {
        SchedulerConfig sd15 = config(TimestepSpacing.LEADING).toBuilder().skipPrkSteps(true).build();
        Scheduler pndm = Schedulers.create("pndm", sd15);
        pndm.setTimesteps(4);
        assertThat(pndm.timesteps()).containsExactly(751, 501, 501, 251, 1);
        pndm.setTimesteps(1);
        assertThat(pndm.timesteps()).containsExactly(1);
    }

    @Test
    void prkWarmUpNeedsFourSteps() {
        Scheduler prk = Schedulers.create("pndm",
                config(TimestepSpacing.LEADING).toBuilder().skipPrkSteps(false).build());
        prk.setTimesteps(4);
        // grid 1, 251, 501, 751; the four points and their midpoints (+ T // n // 2 = 125) without the top one
        // (876), inner points twice, descending: 12 Runge-Kutta calls; then PLMS on grid[:-3] = [1]
        assertThat(prk.timesteps()).containsExactly(751, 626, 626, 501, 501, 376, 376, 251, 251, 126, 126, 1, 1);
        assertThatThrownBy(() -> prk.setTimesteps(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("numInferenceSteps must be >= 4 for pndm with skip_prk_steps false");
    }

    @Test
    void lcmPicksFromTheDistillationScheduleAndIgnoresSpacing() {
        Scheduler lcm = Schedulers.create("lcm", config(TimestepSpacing.TRAILING));
        lcm.setTimesteps(4);
        // k = 1000 // 50 = 20: the schedule is 19, 39, ..., 999; indices floor(linspace(0, 50, 4, endpoint=False))
        // = 0, 12, 25, 37 into it reversed
        assertThat(lcm.timesteps()).containsExactly(999, 759, 499, 259);
        assertThatThrownBy(() -> lcm.setTimesteps(51))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("numInferenceSteps must be <= original_inference_steps = 50 for lcm");
    }

    @Test
    void integerTimestepsOutsideTheTrainingRangeAreRefused() {
        // leading with n = T puts the last timestep at 999 + steps_offset = 1000
        Scheduler ddim = Schedulers.create("ddim", config(TimestepSpacing.LEADING));
        assertThatThrownBy(() -> ddim.setTimesteps(1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numInferenceSteps = 1000 with timestep_spacing 'leading' and steps_offset 1 gives "
                        + "timestep 1000, outside the training range [0, 999]");
    }
}
