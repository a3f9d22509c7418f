package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every scheduler promises callers, checked for each registry name on SD 1.5's (re-saved) config. */
class SchedulerContractTest {

    private static final SchedulerConfig CONFIG = SchedulerConfig.fromJson(SchedulerConfigTest.SD15_HUB)
            .toBuilder().timestepSpacing(TimestepSpacing.LEADING).build();
    private static final int LENGTH = 2 * 4 * 4 * 4;

    static Stream<String> names() {
        return Schedulers.names().stream();
    }

    private static Scheduler create(String name) {
        return Schedulers.create(name, CONFIG, name.equals("ddim") ? 0.5 : 0.0);
    }

    /** Gaussian-ish noise from a seeded java.util.Random, counting the draws. */
    private static final class CountingNoise implements NoiseSource {
        private final Random random = new Random(1);
        int draws;

        @Override
        public void fill(float[] out) {
            draws++;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) random.nextGaussian();
            }
        }
    }

    private static float[] random(long seed) {
        Random r = new Random(seed);
        float[] x = new float[LENGTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /** Runs the whole schedule with a latent-dependent fake model; returns the final latent. */
    private static float[] run(Scheduler s, int steps, NoiseSource noise, boolean inPlace) {
        s.setTimesteps(steps);
        float[] sample = random(5);
        float[] e = random(6);
        float[] input = new float[LENGTH];
        float[] modelOutput = new float[LENGTH];
        for (int i = 0; i < s.stepCount(); i++) {
            s.scaleModelInput(sample, i, input);
            for (int k = 0; k < LENGTH; k++) {
                modelOutput[k] = 0.1f * input[k] + e[k];
            }
            float[] out = inPlace ? sample : new float[LENGTH];
            s.step(modelOutput, i, sample, noise, out);
            sample = out;
        }
        return sample;
    }

    @ParameterizedTest
    @MethodSource("names")
    void rejectsStepCountsOutsideTheTrainingRange(String name) {
        Scheduler s = create(name);
        assertThatThrownBy(() -> s.setTimesteps(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numInferenceSteps must be in [1, num_train_timesteps = 1000], but is: 0");
        assertThatThrownBy(() -> s.setTimesteps(1001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("numInferenceSteps must be in [1, num_train_timesteps = 1000], but is: 1001");
    }

    @ParameterizedTest
    @MethodSource("names")
    void stepsNeedAScheduleAndRunInOrder(String name) {
        Scheduler s = create(name);
        float[] x = random(1);
        float[] out = new float[LENGTH];
        CountingNoise noise = new CountingNoise();
        assertThatThrownBy(() -> s.step(random(2), 0, x, noise, out))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call setTimesteps(n) first");
        s.setTimesteps(10);
        assertThatThrownBy(() -> s.step(random(2), s.stepCount(), x, noise, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stepIndex must be in [0, " + s.stepCount() + "), but is: " + s.stepCount());
        s.step(random(2), 0, x, noise, out);
        assertThatThrownBy(() -> s.step(random(2), 0, out, noise, out))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("steps must run in order; expected step 1, but got: 0");
        assertThatThrownBy(() -> s.step(random(2), 2, out, noise, out))
                .isInstanceOf(IllegalStateException.class);
        s.step(random(2), 1, out, noise, out);
        s.setTimesteps(10); // starts over; img2img may start part-way
        s.step(random(2), 3, x, noise, out);
    }

    @ParameterizedTest
    @MethodSource("names")
    void rejectsMismatchedArrays(String name) {
        Scheduler s = create(name);
        s.setTimesteps(10);
        float[] x = random(1);
        assertThatThrownBy(() -> s.step(new float[LENGTH - 1], 0, x, new CountingNoise(), new float[LENGTH]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelOutput, sample and out must have the same length, but have: "
                        + (LENGTH - 1) + ", " + LENGTH + ", " + LENGTH);
        float[] m = random(2);
        assertThatThrownBy(() -> s.step(m, 0, x, new CountingNoise(), m))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("out must not be the modelOutput array");
        assertThatThrownBy(() -> s.scaleModelInput(x, 0, new float[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("names")
    void stepReadsButNeverWritesItsInputs(String name) {
        Scheduler s = create(name);
        s.setTimesteps(10);
        float[] sample = random(1);
        float[] model = random(2);
        float[] sampleCopy = sample.clone();
        float[] modelCopy = model.clone();
        s.scaleModelInput(sample, 0, new float[LENGTH]);
        s.step(model, 0, sample, new CountingNoise(), new float[LENGTH]);
        assertThat(sample).containsExactly(sampleCopy);
        assertThat(model).containsExactly(modelCopy);
    }

    @ParameterizedTest
    @MethodSource("names")
    void inPlaceStepsGiveTheSameLatentsAsSeparateBuffers(String name) {
        float[] separate = run(create(name), 12, new CountingNoise(), false);
        float[] inPlace = run(create(name), 12, new CountingNoise(), true);
        assertThat(inPlace).containsExactly(separate);
        for (float v : separate) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void setTimestepsClearsTheMultistepState(String name) {
        Scheduler s = create(name);
        float[] first = run(s, 12, new CountingNoise(), true);
        float[] second = run(s, 12, new CountingNoise(), true); // same scheduler, same inputs, fresh noise source
        assertThat(second).containsExactly(first);
    }

    @ParameterizedTest
    @MethodSource("names")
    void drawsNoiseExactlyWhereDiffusersDoes(String name) {
        Scheduler s = create(name);
        CountingNoise noise = new CountingNoise();
        run(s, 12, noise, true);
        // euler_a and the SDE solver draw at every step, DDIM with eta > 0 too, LCM at all but the last
        int expected = switch (name) {
            case "euler_a", "dpmpp_2m_sde", "dpmpp_2m_sde_karras", "ddim" -> 12;
            case "lcm" -> 11;
            default -> 0;
        };
        assertThat(noise.draws).isEqualTo(expected);
        assertThat(s.usesNoise()).isEqualTo(expected > 0);
        if (expected > 0) {
            Scheduler again = create(name);
            again.setTimesteps(12);
            assertThatThrownBy(() -> again.step(random(2), 0, random(1), null, new float[LENGTH]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(name + " draws noise at this step: pass a NoiseSource, but it is null");
        } else {
            run(create(name), 12, null, true); // deterministic schedulers take no noise source
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void modelInputIsScaledOnlyByTheSigmaSchedulers(String name) {
        Scheduler s = create(name);
        s.setTimesteps(10);
        float[] x = random(1);
        float[] out = new float[LENGTH];
        s.scaleModelInput(x, 2, out);
        float[] sigmas = s.sigmas();
        if (name.startsWith("euler") || name.equals("lms")) {
            float d = (float) Math.sqrt(sigmas[2] * sigmas[2] + 1f);
            for (int i = 0; i < LENGTH; i++) {
                assertThat(out[i]).isEqualTo(x[i] / d);
            }
        } else {
            assertThat(out).containsExactly(x);
        }
        if (name.startsWith("euler") || name.equals("lms") || name.startsWith("dpmpp")) {
            assertThat(sigmas).hasSize(s.stepCount() + 1);
        } else {
            assertThat(sigmas).isEmpty();
            assertThat(s.initNoiseSigma()).isEqualTo(1f);
        }
    }

    @ParameterizedTest
    @MethodSource("names")
    void scheduleAccessorsReturnCopies(String name) {
        Scheduler s = create(name);
        s.setTimesteps(10);
        double[] t = s.timesteps();
        t[0] = -42;
        assertThat(s.timestep(0)).isNotEqualTo(-42);
        float[] sigmas = s.sigmas();
        if (sigmas.length > 0) {
            sigmas[0] = -42;
            assertThat(s.sigmas()[0]).isNotEqualTo(-42);
        }
        assertThat(s.numInferenceSteps()).isEqualTo(10);
        assertThat(s.name()).isEqualTo(name);
    }
}
