package dev.tempera.image.scheduler;

import java.util.Arrays;

/**
 * PNDM (SD 1.x's default; with {@code skip_prk_steps = true}, as SD ships it, this is PLMS), a port of diffusers'
 * {@code PNDMScheduler}.
 *
 * <p>Timesteps: the base grid of {@link TimestepGrid#pndm}. With {@code skip_prk_steps} the PLMS list is that grid
 * descending with its second timestep repeated, so n steps take n + 1 model calls (951, 901, 901, 851, ... for 20).
 * Without it, 12 Runge-Kutta (PRK) calls on the last four grid points and their midpoints come first (n must be at
 * least 4), then PLMS on the rest.
 *
 * <p>Step, float32, counted by calls (not by timestep): PLMS combines the last raw model outputs with the
 * Adams-Bashforth weights (1; then (3, -1)/2; (23, -16, 5)/12; (55, -59, 37, -9)/24), the second call averaging with
 * the first and restarting from the first call's sample; PRK accumulates 1/6, 1/3, 1/3, 1/6 of four outputs. The
 * update is {@code prev = sqrt(a_prev / a_t) sample - (a_prev - a_t) e / (a_t sqrt(b_prev) + sqrt(a_t b_t a_prev))}
 * (v-prediction is converted to eps first).
 */
final class PndmScheduler extends AbstractScheduler {

    private final float[] alphasCumprod;
    private final float finalAlphaCumprod;
    private long[] prkTimesteps = new long[0];
    private final float[][] ets = new float[4][];
    private int etsCount;
    private int counter;
    private boolean hasCurSample;
    private float[] curSample = new float[0];
    private float[] curModelOutput = new float[0];

    PndmScheduler(String name, SchedulerConfig config) {
        super(name, config);
        if (config.predictionType() == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("prediction_type must be epsilon or v_prediction for " + name
                    + ", but is: 'sample'");
        }
        alphasCumprod = TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.IGNORED);
        finalAlphaCumprod = config.setAlphaToOne() ? 1f : alphasCumprod[0];
    }

    @Override
    void computeTimesteps(int n) {
        long[] base = TimestepGrid.pndm(config, n);
        long[] plms;
        if (config.skipPrkSteps()) {
            prkTimesteps = new long[0];
            // concat(base[:-1], base[-2:-1], base[-1:]) reversed
            plms = new long[base.length + (base.length >= 2 ? 1 : 0)];
            int j = 0;
            for (int i = 0; i < base.length - 1; i++) {
                plms[j++] = base[i];
            }
            if (base.length >= 2) {
                plms[j++] = base[base.length - 2];
            }
            plms[j] = base[base.length - 1];
            reverse(plms);
        } else {
            if (base.length < 4) {
                throw new IllegalArgumentException("numInferenceSteps must be >= 4 for " + name()
                        + " with skip_prk_steps false (its Runge-Kutta warm-up takes the last 4 timesteps), but is: "
                        + n);
            }
            long half = trainSteps / n / 2;
            long[] pairs = new long[8]; // base[-4:].repeat(2) + tile([0, half], 4)
            for (int i = 0; i < 4; i++) {
                pairs[2 * i] = base[base.length - 4 + i];
                pairs[2 * i + 1] = base[base.length - 4 + i] + half;
            }
            long[] doubled = new long[14]; // pairs[:-1].repeat(2)
            for (int i = 0; i < 7; i++) {
                doubled[2 * i] = pairs[i];
                doubled[2 * i + 1] = pairs[i];
            }
            prkTimesteps = new long[12]; // [1:-1], reversed
            for (int i = 0; i < 12; i++) {
                prkTimesteps[i] = doubled[12 - i];
            }
            plms = new long[base.length - 3];
            for (int i = 0; i < plms.length; i++) {
                plms[i] = base[base.length - 4 - i];
            }
        }
        long[] all = new long[prkTimesteps.length + plms.length];
        System.arraycopy(prkTimesteps, 0, all, 0, prkTimesteps.length);
        System.arraycopy(plms, 0, all, prkTimesteps.length, plms.length);
        timesteps = widen(inTrainingRange(all, n));
    }

    private static void reverse(long[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    void resetState() {
        etsCount = 0;
        counter = 0;
        hasCurSample = false;
        Arrays.fill(curModelOutput, 0f);
    }

    @Override
    void allocate(int length) {
        for (int i = 0; i < ets.length; i++) {
            ets[i] = new float[length];
        }
        curSample = new float[length];
        curModelOutput = new float[length];
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        int t = (int) timesteps[i];
        if (counter < prkTimesteps.length && !config.skipPrkSteps()) {
            stepPrk(modelOutput, t, sample, out);
        } else {
            stepPlms(modelOutput, t, sample, out);
        }
        counter++;
    }

    private void stepPrk(float[] modelOutput, int t, float[] sample, float[] out) {
        int diffToPrev = counter % 2 == 1 ? 0 : trainSteps / numInferenceSteps / 2;
        int prevT = t - diffToPrev;
        int timestep = (int) prkTimesteps[counter / 4 * 4];
        float sixth = (float) (1.0 / 6);
        float third = (float) (1.0 / 3);
        int phase = counter % 4;
        float[] e = modelOutput;
        if (phase == 0) {
            for (int k = 0; k < sample.length; k++) {
                curModelOutput[k] += sixth * modelOutput[k];
            }
            pushEts(modelOutput);
            System.arraycopy(sample, 0, curSample, 0, sample.length);
            hasCurSample = true;
        } else if (phase == 1 || phase == 2) {
            for (int k = 0; k < sample.length; k++) {
                curModelOutput[k] += third * modelOutput[k];
            }
        } else {
            // model_output = cur_model_output + 1/6 * model_output; cur_model_output = 0
            for (int k = 0; k < sample.length; k++) {
                float combined = curModelOutput[k] + sixth * modelOutput[k];
                curModelOutput[k] = combined;
            }
            e = curModelOutput;
        }
        prevSample(hasCurSample ? curSample : sample, timestep, prevT, e, out);
        if (phase == 3) {
            Arrays.fill(curModelOutput, 0f);
        }
    }

    private void stepPlms(float[] modelOutput, int t, float[] sample, float[] out) {
        if (!config.skipPrkSteps() && etsCount < 3) {
            throw new IllegalStateException(name() + ": PLMS steps need the 12 Runge-Kutta steps first");
        }
        int stride = trainSteps / numInferenceSteps;
        int timestep = t;
        int prevT = t - stride;
        if (counter != 1) {
            pushEts(modelOutput);
        } else {
            prevT = t;
            timestep = t + stride;
        }
        float[] e1 = etsCount >= 1 ? ets[etsCount - 1] : null;
        float[] e2 = etsCount >= 2 ? ets[etsCount - 2] : null;
        float[] e3 = etsCount >= 3 ? ets[etsCount - 3] : null;
        float[] e4 = etsCount >= 4 ? ets[etsCount - 4] : null;
        float[] x = sample;
        boolean averageWithFirst = etsCount == 1 && counter == 1;
        if (etsCount == 1 && counter == 0) {
            System.arraycopy(sample, 0, curSample, 0, sample.length);
            hasCurSample = true;
        } else if (averageWithFirst) {
            x = curSample; // restart from the first call's sample
        }
        int n = sample.length;
        // The combined model output goes into curModelOutput (PRK's accumulator, unused by PLMS).
        float[] e = curModelOutput;
        float aTwentyFourth = (float) (1.0 / 24);
        for (int k = 0; k < n; k++) {
            if (etsCount == 1 && counter == 0) {
                e[k] = modelOutput[k];
            } else if (averageWithFirst) {
                e[k] = (modelOutput[k] + e1[k]) / 2f;
            } else if (etsCount == 2) {
                e[k] = (3f * e1[k] - e2[k]) / 2f;
            } else if (etsCount == 3) {
                e[k] = (23f * e1[k] - 16f * e2[k] + 5f * e3[k]) / 12f;
            } else {
                e[k] = aTwentyFourth * (55f * e1[k] - 59f * e2[k] + 37f * e3[k] - 9f * e4[k]);
            }
        }
        prevSample(x, timestep, prevT, e, out);
        if (averageWithFirst) {
            hasCurSample = false;
        }
    }

    /** ets = ets[-3:] + [modelOutput], kept in place (the oldest buffer is reused). */
    private void pushEts(float[] modelOutput) {
        if (etsCount == 4) {
            float[] oldest = ets[0];
            System.arraycopy(ets, 1, ets, 0, 3);
            ets[3] = oldest;
            etsCount = 3;
        }
        System.arraycopy(modelOutput, 0, ets[etsCount], 0, modelOutput.length);
        etsCount++;
    }

    /** diffusers' _get_prev_sample (formula (9) of the PNDM paper). */
    private void prevSample(float[] sample, int t, int prevT, float[] e, float[] out) {
        float aT = alphasCumprod[t];
        float aPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
        float bT = 1f - aT;
        float bPrev = 1f - aPrev;
        boolean v = config.predictionType() == PredictionType.V_PREDICTION;
        float sqrtA = (float) Math.sqrt(aT);
        float sqrtB = (float) Math.sqrt(bT);
        float sampleCoeff = (float) Math.sqrt(aPrev / aT);
        float denom = aT * (float) Math.sqrt(bPrev) + (float) Math.sqrt(aT * bT * aPrev);
        float diff = aPrev - aT;
        for (int k = 0; k < out.length; k++) {
            float s = sample[k];
            float m = v ? sqrtA * e[k] + sqrtB * s : e[k];
            out[k] = sampleCoeff * s - diff * m / denom;
        }
    }
}
