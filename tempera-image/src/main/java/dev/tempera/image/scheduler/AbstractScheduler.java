package dev.tempera.image.scheduler;

import java.util.Arrays;

/**
 * What every scheduler shares: the schedule bookkeeping, the step-order and buffer checks, and the noise buffer.
 * Subclasses fill {@link #timesteps} in {@link #computeTimesteps} and do the arithmetic in {@link #doStep}.
 */
abstract class AbstractScheduler implements Scheduler {

    private final String name;
    final SchedulerConfig config;
    final int trainSteps;
    int numInferenceSteps;
    double[] timesteps = new double[0];
    private int nextStep = -1;
    private int bufferLength = -1;
    private float[] noiseBuffer = new float[0];

    AbstractScheduler(String name, SchedulerConfig config) {
        this.name = name;
        this.config = config;
        this.trainSteps = config.numTrainTimesteps();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final SchedulerConfig config() {
        return config;
    }

    @Override
    public final void setTimesteps(int numInferenceSteps) {
        if (numInferenceSteps < 1 || numInferenceSteps > trainSteps) {
            throw new IllegalArgumentException("numInferenceSteps must be in [1, num_train_timesteps = " + trainSteps
                    + "], but is: " + numInferenceSteps);
        }
        computeTimesteps(numInferenceSteps);
        this.numInferenceSteps = numInferenceSteps;
        nextStep = -1;
        resetState();
    }

    /** Fills {@link #timesteps} (and the subclass's schedule) for {@code n} steps; may reject {@code n}. */
    abstract void computeTimesteps(int n);

    /** Clears the multistep state for a new schedule. */
    void resetState() {
    }

    /** Makes the state buffers for samples of {@code length} floats (only called when the length changes). */
    void allocate(int length) {
    }

    @Override
    public final int numInferenceSteps() {
        return numInferenceSteps;
    }

    @Override
    public final int stepCount() {
        return timesteps.length;
    }

    @Override
    public final double[] timesteps() {
        return timesteps.clone();
    }

    @Override
    public final double timestep(int stepIndex) {
        checkIndex(stepIndex);
        return timesteps[stepIndex];
    }

    @Override
    public float[] sigmas() {
        return new float[0];
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public boolean usesNoise() {
        return false;
    }

    @Override
    public void scaleModelInput(float[] sample, int stepIndex, float[] out) {
        checkIndex(stepIndex);
        checkSameLength(sample, out);
        if (out != sample) {
            System.arraycopy(sample, 0, out, 0, sample.length);
        }
    }

    @Override
    public final void step(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise, float[] out) {
        checkIndex(stepIndex);
        if (nextStep >= 0 && stepIndex != nextStep) {
            throw new IllegalStateException(name + ": steps must run in order; expected step " + nextStep
                    + ", but got: " + stepIndex + " (call setTimesteps to start a new schedule)");
        }
        if (modelOutput == null || sample == null || out == null) {
            throw new IllegalArgumentException("modelOutput, sample and out must not be null");
        }
        if (modelOutput.length != sample.length || out.length != sample.length) {
            throw new IllegalArgumentException("modelOutput, sample and out must have the same length, but have: "
                    + modelOutput.length + ", " + sample.length + ", " + out.length);
        }
        if (modelOutput == out) {
            throw new IllegalArgumentException("out must not be the modelOutput array");
        }
        if (bufferLength != sample.length) {
            if (nextStep >= 0) {
                throw new IllegalArgumentException(name + ": the sample length changed in mid-schedule from "
                        + bufferLength + " to " + sample.length + " (call setTimesteps to start a new schedule)");
            }
            bufferLength = sample.length;
            noiseBuffer = usesNoise() ? new float[sample.length] : new float[0];
            allocate(sample.length);
        }
        doStep(modelOutput, stepIndex, sample, noise, out);
        nextStep = stepIndex + 1;
    }

    /** The step arithmetic; arrays are checked and the buffers are sized. */
    abstract void doStep(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise, float[] out);

    /** Draws one {@code randn_tensor(model_output.shape)} into the scheduler's noise buffer and returns it. */
    final float[] drawNoise(NoiseSource noise) {
        if (noise == null) {
            throw new IllegalArgumentException(name + " draws noise at this step: pass a NoiseSource, but it is null");
        }
        noise.fill(noiseBuffer);
        return noiseBuffer;
    }

    final void checkScheduled() {
        if (timesteps.length == 0) {
            throw new IllegalStateException(name + ": call setTimesteps(n) first");
        }
    }

    final void checkIndex(int stepIndex) {
        checkScheduled();
        if (stepIndex < 0 || stepIndex >= timesteps.length) {
            throw new IllegalArgumentException("stepIndex must be in [0, " + timesteps.length + "), but is: "
                    + stepIndex);
        }
    }

    static void checkSameLength(float[] sample, float[] out) {
        if (sample == null || out == null) {
            throw new IllegalArgumentException("sample and out must not be null");
        }
        if (sample.length != out.length) {
            throw new IllegalArgumentException("sample and out must have the same length, but have: "
                    + sample.length + ", " + out.length);
        }
    }

    /** {@code (float) values}, as the float32 schedules are stored. */
    static double[] widen(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static double[] widen(long[] values) {
        return Arrays.stream(values).asDoubleStream().toArray();
    }

    static void rejectUnported(SchedulerConfig c, String name) {
        reject(c.useExponentialSigmas(), "use_exponential_sigmas", name);
        reject(c.useBetaSigmas(), "use_beta_sigmas", name);
    }

    /** Rejects integer timesteps that would index past alpha-bar (e.g. n = T with steps_offset 1). */
    final long[] inTrainingRange(long[] ts, int n) {
        for (long t : ts) {
            if (t < 0 || t >= trainSteps) {
                throw new IllegalArgumentException("numInferenceSteps = " + n + " with timestep_spacing '"
                        + config.timestepSpacing().jsonName() + "' and steps_offset " + config.stepsOffset()
                        + " gives timestep " + t + ", outside the training range [0, " + (trainSteps - 1) + "]");
            }
        }
        return ts;
    }

    /** For the classes that have diffusers' {@code thresholding} option (DDIM, DPM++, LCM). */
    static void rejectThresholding(SchedulerConfig c, String name) {
        if (c.thresholding()) {
            throw new IllegalArgumentException("thresholding must be false for " + name
                    + " (dynamic thresholding, for pixel-space models, is not ported), but is: true");
        }
    }

    static void reject(boolean flag, String key, String name) {
        if (flag) {
            throw new IllegalArgumentException(key + " must be false for " + name + " (not ported), but is: true");
        }
    }
}
