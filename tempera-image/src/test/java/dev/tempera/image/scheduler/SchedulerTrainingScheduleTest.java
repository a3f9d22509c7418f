package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTrainingScheduleTest {

    private static final JsonNode GOLDEN = Goldens.load("schedules.json");

    private static float[] golden(String config) {
        return Goldens.floats(GOLDEN.get("alphas_cumprod").get(config));
    }

    private static SchedulerConfig config(String name) {
        return Goldens.config(GOLDEN, name);
    }

    @Test
    void alphasCumprodIsWithinAFewUlpsOfTorchForEveryBetaSchedule() {
        // sd15: scaled_linear; linear_ddim: linear 1e-4..0.02. Betas one ulp apart (see below) move alpha-bar by
        // well under 1e-6 relative.
        for (String name : List.of("sd15", "linear_ddim")) {
            float[] actual = TrainingSchedule.alphasCumprod(config(name), TrainingSchedule.ZeroSnr.EXACT);
            assertThat(Goldens.worst(actual, golden(name), 0, 1e-6)).as(name).isLessThanOrEqualTo(1);
        }
        // zero terminal SNR subtracts sqrt(alpha-bar(T-1)) from every sqrt(alpha-bar): near the end the values are
        // small differences, so the same ulps are large relative errors there: allow 5e-9 absolute (values in [0, 1])
        float[] zsnr = TrainingSchedule.alphasCumprod(config("zsnr_ddim"), TrainingSchedule.ZeroSnr.EXACT);
        assertThat(Goldens.worst(zsnr, golden("zsnr_ddim"), 5e-9, 1e-6)).as("zsnr_ddim").isLessThanOrEqualTo(1);
    }

    @Test
    void cosineScheduleIsBitExact() {
        // squaredcos_cap_v2 has no torch.linspace in it: Python doubles rounded to float32, then cumprod
        float[] actual = TrainingSchedule.alphasCumprod(config("cosine_dpm"), TrainingSchedule.ZeroSnr.PINNED);
        assertThat(actual).containsExactly(golden("cosine_dpm"));
    }

    /**
     * The goldens' torch 1.13 filled linspace with a vectorised loop (8 lanes, lane j = base + j * step, base an FMA);
     * current torch rounds each element as one FMA, as {@link TrainingSchedule#torchLinspace} does. Feeding the 1.13
     * betas through this port's cumprod and zero-SNR rescale reproduces the goldens bit for bit, so the linspace
     * rounding is the only source of the difference the golden tests tolerate.
     */
    @Test
    void torch113LinspaceRoundingReproducesTheGoldensExactly() {
        SchedulerConfig sd15 = config("sd15");
        float[] betas = torch113Linspace(Math.sqrt(sd15.betaStart()), Math.sqrt(sd15.betaEnd()), 1000);
        for (int i = 0; i < betas.length; i++) {
            betas[i] = betas[i] * betas[i];
        }
        assertThat(cumprodOfOneMinus(betas)).containsExactly(golden("sd15"));
        assertThat(cumprodOfOneMinus(TrainingSchedule.rescaleZeroTerminalSnr(betas)))
                .containsExactly(golden("zsnr_ddim"));
        assertThat(cumprodOfOneMinus(torch113Linspace(0.0001, 0.02, 1000))).containsExactly(golden("linear_ddim"));

        float[] current = torch113Linspace(Math.sqrt(0.00085), Math.sqrt(0.012), 1000);
        float[] port = TrainingSchedule.torchLinspace(Math.sqrt(0.00085), Math.sqrt(0.012), 1000);
        int differing = 0;
        for (int i = 0; i < port.length; i++) {
            assertThat(Math.abs(port[i] - current[i])).isLessThanOrEqualTo(Math.ulp(current[i]));
            differing += port[i] != current[i] ? 1 : 0;
        }
        assertThat(differing).as("betas (square roots) one ulp apart").isBetween(1, 400);
    }

    private static float[] cumprodOfOneMinus(float[] betas) {
        float[] alphas = new float[betas.length];
        for (int i = 0; i < betas.length; i++) {
            alphas[i] = 1f - betas[i];
        }
        return TrainingSchedule.cumprod(alphas);
    }

    /** torch 1.13's AVX2 linspace: pairs of 8-lane vectors from an FMA base, a scalar FMA tail. */
    private static float[] torch113Linspace(double start, double end, int n) {
        float s = (float) start;
        float e = (float) end;
        float step = (e - s) / (float) (n - 1);
        int halfway = n / 2;
        float[] out = new float[n];
        int i = 0;
        for (; i <= n - 16; i += 16) {
            for (int c = i; c < i + 16; c += 8) {
                float base = c < halfway ? Math.fma(step, (float) c, s) : Math.fma(-step, (float) (n - 1 - c), e);
                for (int j = 0; j < 8; j++) {
                    out[c + j] = base + (float) j * step;
                }
            }
        }
        for (; i < n; i++) {
            out[i] = i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (n - 1 - i), e);
        }
        return out;
    }

    @Test
    void linspaceHitsBothEndsExactlyAndSplitsAtTheMiddle() {
        // 0.1 and 0.7 are not exact in binary; torch still returns float(start) and float(end) at the ends
        float[] v = TrainingSchedule.torchLinspace(0.1, 0.7, 7);
        assertThat(v[0]).isEqualTo(0.1f);
        assertThat(v[6]).isEqualTo(0.7f);
        float step = (0.7f - 0.1f) / 6f;
        assertThat(v[2]).isEqualTo(Math.fma(step, 2f, 0.1f)); // first half counts up from start
        assertThat(v[4]).isEqualTo(Math.fma(-step, 2f, 0.7f)); // second half counts down from end
        assertThat(TrainingSchedule.torchLinspace(0.3, 0.9, 1)).containsExactly(0.3f);
    }

    @Test
    void cumprodAccumulatesInDouble() {
        // 1000 factors of 0.999: a float accumulator drifts; torch (and this port) round a double product each time
        float[] x = new float[1000];
        Arrays.fill(x, 0.999f);
        float[] c = TrainingSchedule.cumprod(x);
        double exact = Math.pow(0.999f, 1000);
        assertThat(c[999]).isEqualTo((float) exact);
    }

    @Test
    void zeroSnrEndsAtZeroAlphaBarOrAtTwoToTheMinus24WhenPinned() {
        SchedulerConfig zsnr = config("zsnr_ddim");
        assertThat(TrainingSchedule.alphasCumprod(zsnr, TrainingSchedule.ZeroSnr.EXACT)[999]).isZero();
        assertThat(TrainingSchedule.alphasCumprod(zsnr, TrainingSchedule.ZeroSnr.PINNED)[999]).isEqualTo(0x1p-24f);
        // PNDM and LMS have no such option: diffusers ignores the key, so alpha-bar keeps its plain value
        assertThat(TrainingSchedule.alphasCumprod(zsnr, TrainingSchedule.ZeroSnr.IGNORED))
                .containsExactly(TrainingSchedule.alphasCumprod(config("sd15"), TrainingSchedule.ZeroSnr.EXACT));
    }

    @Test
    void trainedBetasReplaceTheSchedule() {
        List<Double> betas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            betas.add(0.1 * (i + 1));
        }
        SchedulerConfig c = SchedulerConfig.builder().numTrainTimesteps(4).trainedBetas(betas)
                .betaSchedule(BetaSchedule.SCALED_LINEAR).build();
        float[] ac = TrainingSchedule.alphasCumprod(c, TrainingSchedule.ZeroSnr.EXACT);
        assertThat(ac).containsExactly(0.9f, (float) (0.9f * (double) 0.8f),
                (float) (0.9f * (double) 0.8f * 0.7f), (float) (0.9f * (double) 0.8f * 0.7f * 0.6f));
    }
}
