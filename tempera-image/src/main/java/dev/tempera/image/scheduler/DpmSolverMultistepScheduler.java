package dev.tempera.image.scheduler;

/**
 * DPM-Solver++ multistep ("DPM++ 2M", "DPM++ 2M Karras", "DPM++ 2M SDE"), a port of diffusers'
 * {@code DPMSolverMultistepScheduler} for {@code algorithm_type} dpmsolver++ and sde-dpmsolver++, solver orders 1 to
 * 3, midpoint and Heun second-order updates.
 *
 * <p>Timesteps: {@link TimestepGrid#dpm} with sigmas interpolated at them; with {@code use_karras_sigmas}, n Karras
 * sigmas over the whole training range (sigma(0) to sigma(T-1), or {@code sigma_min}/{@code sigma_max}) and the
 * timesteps recovered from them and rounded (truncated for {@code squaredcos_cap_v2}, as diffusers does). A final 0
 * or sigma(0) follows ({@code final_sigmas_type}). The initial noise sigma is 1 and the model input is not scaled.
 *
 * <p>Step, in float32 with alpha(s) = 1 / sqrt(s^2 + 1), sigma(s) = s * alpha(s), lambda = ln alpha - ln sigma: the
 * model output becomes x0 (epsilon: {@code (sample - sigma eps) / alpha}; v: {@code alpha sample - sigma v}), kept in
 * a ring of {@code solver_order} buffers. The first step, the last one (always with final sigma 0, or in schedules
 * shorter than 15 with {@code lower_order_final}) and {@code solver_order = 1} are first order:
 * {@code x = (sigma_t / sigma_s) sample - alpha_t (e^-h - 1) x0}, h = lambda_t - lambda_s; later steps use the previous
 * x0s (second order: {@code D1 = (m0 - m1) / r0}, r0 = h_prev / h). The SDE variant draws noise at every step.
 */
final class DpmSolverMultistepScheduler extends AbstractScheduler {

    private final float[] trainingSigmas;
    private final float[] logSigmas;
    private final float[] lambdas;
    private float[] sigmas = new float[0];
    private float[][] modelOutputs = new float[0][];
    private int lowerOrderNums;

    DpmSolverMultistepScheduler(String name, SchedulerConfig config) {
        super(name, config);
        rejectThresholding(config, name);
        rejectUnported(config, name);
        reject(config.useLuLambdas(), "use_lu_lambdas", name);
        reject(config.useFlowSigmas(), "use_flow_sigmas", name);
        if (!config.varianceType().isEmpty()) {
            throw new IllegalArgumentException("variance_type must be null for " + name
                    + " (learned variance is not ported), but is: '" + config.varianceType() + "'");
        }
        float[] alphasCumprod = TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.PINNED);
        trainingSigmas = SigmaSchedule.trainingSigmas(alphasCumprod);
        logSigmas = SigmaSchedule.logSigmas(trainingSigmas);
        lambdas = new float[alphasCumprod.length];
        for (int i = 0; i < lambdas.length; i++) {
            float alpha = (float) Math.sqrt(alphasCumprod[i]);
            float sigma = (float) Math.sqrt(1f - alphasCumprod[i]);
            lambdas[i] = (float) Math.log(alpha) - (float) Math.log(sigma);
        }
    }

    @Override
    void computeTimesteps(int n) {
        long[] ts;
        double[] sig;
        if (config.useKarrasSigmas()) {
            double min = config.sigmaMin().orElse(trainingSigmas[0]);
            double max = config.sigmaMax().orElse(trainingSigmas[trainingSigmas.length - 1]);
            sig = SigmaSchedule.karras(min, max, n);
            ts = new long[n];
            boolean truncate = config.betaSchedule() == BetaSchedule.SQUAREDCOS_CAP_V2;
            for (int i = 0; i < n; i++) {
                double t = SigmaSchedule.sigmaToT(sig[i], logSigmas);
                ts[i] = (long) (truncate ? t : NumpyRanges.round(t));
            }
        } else {
            ts = TimestepGrid.dpm(config, n, lastTimestep()); // may hold -1 (trailing, n = 61): only sigmas index
            sig = SigmaSchedule.interp(widen(ts), trainingSigmas);
        }
        sigmas = new float[sig.length + 1];
        for (int i = 0; i < sig.length; i++) {
            sigmas[i] = (float) sig[i];
        }
        sigmas[sig.length] = config.finalSigmasType() == FinalSigmasType.SIGMA_MIN ? trainingSigmas[0] : 0f;
        timesteps = widen(ts);
    }

    /** T minus the number of top timesteps whose log-SNR is below lambda_min_clipped (torch.searchsorted, left). */
    private int lastTimestep() {
        double clip = config.lambdaMinClipped();
        int n = lambdas.length;
        int idx = n;
        for (int i = 0; i < n; i++) {
            if (lambdas[n - 1 - i] >= clip) {
                idx = i;
                break;
            }
        }
        return trainSteps - idx;
    }

    @Override
    void resetState() {
        lowerOrderNums = 0;
    }

    @Override
    void allocate(int length) {
        modelOutputs = new float[config.solverOrder()][length];
    }

    @Override
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public boolean usesNoise() {
        return config.algorithmType() == DpmAlgorithm.SDE_DPMSOLVER_PLUS_PLUS;
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        int len = timesteps.length;
        int order = config.solverOrder();
        boolean lowerOrderFinal = i == len - 1 && (config.eulerAtFinal()
                || (config.lowerOrderFinal() && len < 15) || config.finalSigmasType() == FinalSigmasType.ZERO);
        boolean lowerOrderSecond = i == len - 2 && config.lowerOrderFinal() && len < 15;

        float[] x0 = modelOutputs[0];
        System.arraycopy(modelOutputs, 1, modelOutputs, 0, order - 1);
        modelOutputs[order - 1] = x0;
        toDataPrediction(modelOutput, sample, sigmas[i], x0);

        float[] n = usesNoise() ? drawNoise(noise) : null;
        if (order == 1 || lowerOrderNums < 1 || lowerOrderFinal) {
            firstOrder(i, sample, n, out);
        } else if (order == 2 || lowerOrderNums < 2 || lowerOrderSecond) {
            secondOrder(i, sample, n, out);
        } else {
            thirdOrder(i, sample, n, out);
        }
        lowerOrderNums = Math.min(lowerOrderNums + 1, order);
    }

    /** diffusers' convert_model_output for the "++" algorithms: the model output as a predicted x0. */
    private void toDataPrediction(float[] modelOutput, float[] sample, float sigma, float[] x0) {
        float alpha = alpha(sigma);
        float sig = sigma * alpha;
        PredictionType prediction = config.predictionType();
        for (int k = 0; k < x0.length; k++) {
            float m = modelOutput[k];
            x0[k] = switch (prediction) {
                case EPSILON -> (sample[k] - sig * m) / alpha;
                case SAMPLE -> m;
                case V_PREDICTION -> alpha * sample[k] - sig * m;
            };
        }
    }

    private void firstOrder(int i, float[] sample, float[] noise, float[] out) {
        float alphaT = alpha(sigmas[i + 1]);
        float sigmaT = sigmas[i + 1] * alphaT;
        float alphaS = alpha(sigmas[i]);
        float sigmaS = sigmas[i] * alphaS;
        float h = lambda(alphaT, sigmaT) - lambda(alphaS, sigmaS);
        float[] x0 = modelOutputs[modelOutputs.length - 1];
        if (noise == null) {
            float c1 = sigmaT / sigmaS;
            float c2 = alphaT * (exp(-h) - 1f);
            for (int k = 0; k < out.length; k++) {
                out[k] = c1 * sample[k] - c2 * x0[k];
            }
        } else {
            float e2 = exp(-2f * h);
            float c1 = sigmaT / sigmaS * exp(-h);
            float c2 = alphaT * (1f - e2);
            float cn = sigmaT * (float) Math.sqrt(1f - e2);
            for (int k = 0; k < out.length; k++) {
                out[k] = c1 * sample[k] + c2 * x0[k] + cn * noise[k];
            }
        }
    }

    private void secondOrder(int i, float[] sample, float[] noise, float[] out) {
        float alphaT = alpha(sigmas[i + 1]);
        float sigmaT = sigmas[i + 1] * alphaT;
        float alphaS0 = alpha(sigmas[i]);
        float sigmaS0 = sigmas[i] * alphaS0;
        float alphaS1 = alpha(sigmas[i - 1]);
        float sigmaS1 = sigmas[i - 1] * alphaS1;
        float lambdaT = lambda(alphaT, sigmaT);
        float lambdaS0 = lambda(alphaS0, sigmaS0);
        float lambdaS1 = lambda(alphaS1, sigmaS1);
        float[] m0 = modelOutputs[modelOutputs.length - 1];
        float[] m1 = modelOutputs[modelOutputs.length - 2];
        float h = lambdaT - lambdaS0;
        float r0 = (lambdaS0 - lambdaS1) / h;
        float d1Scale = 1f / r0;
        boolean heun = config.solverType() == DpmSolverType.HEUN;
        if (noise == null) {
            float c1 = sigmaT / sigmaS0;
            float c2 = alphaT * (exp(-h) - 1f);
            if (heun) {
                float c3 = alphaT * ((exp(-h) - 1f) / h + 1f);
                for (int k = 0; k < out.length; k++) {
                    float d1 = d1Scale * (m0[k] - m1[k]);
                    out[k] = c1 * sample[k] - c2 * m0[k] + c3 * d1;
                }
            } else {
                float c3 = 0.5f * c2;
                for (int k = 0; k < out.length; k++) {
                    float d1 = d1Scale * (m0[k] - m1[k]);
                    out[k] = c1 * sample[k] - c2 * m0[k] - c3 * d1;
                }
            }
        } else {
            float e2 = exp(-2f * h);
            float c1 = sigmaT / sigmaS0 * exp(-h);
            float c2 = alphaT * (1f - e2);
            float c3 = heun ? alphaT * ((1f - e2) / (-2f * h) + 1f) : 0.5f * c2;
            float cn = sigmaT * (float) Math.sqrt(1f - e2);
            for (int k = 0; k < out.length; k++) {
                float d1 = d1Scale * (m0[k] - m1[k]);
                out[k] = c1 * sample[k] + c2 * m0[k] + c3 * d1 + cn * noise[k];
            }
        }
    }

    private void thirdOrder(int i, float[] sample, float[] noise, float[] out) {
        float alphaT = alpha(sigmas[i + 1]);
        float sigmaT = sigmas[i + 1] * alphaT;
        float alphaS0 = alpha(sigmas[i]);
        float sigmaS0 = sigmas[i] * alphaS0;
        float alphaS1 = alpha(sigmas[i - 1]);
        float sigmaS1 = sigmas[i - 1] * alphaS1;
        float alphaS2 = alpha(sigmas[i - 2]);
        float sigmaS2 = sigmas[i - 2] * alphaS2;
        float lambdaT = lambda(alphaT, sigmaT);
        float lambdaS0 = lambda(alphaS0, sigmaS0);
        float lambdaS1 = lambda(alphaS1, sigmaS1);
        float lambdaS2 = lambda(alphaS2, sigmaS2);
        float[] m0 = modelOutputs[modelOutputs.length - 1];
        float[] m1 = modelOutputs[modelOutputs.length - 2];
        float[] m2 = modelOutputs[modelOutputs.length - 3];
        float h = lambdaT - lambdaS0;
        float r0 = (lambdaS0 - lambdaS1) / h;
        float r1 = (lambdaS1 - lambdaS2) / h;
        float d10Scale = 1f / r0;
        float d11Scale = 1f / r1;
        float d1Mix = r0 / (r0 + r1);
        float d2Scale = 1f / (r0 + r1);
        float c1;
        float c2;
        float c3;
        float c4;
        float cn = 0f;
        if (noise == null) {
            float e = exp(-h);
            c1 = sigmaT / sigmaS0;
            c2 = alphaT * (e - 1f);
            c3 = alphaT * ((e - 1f) / h + 1f);
            c4 = alphaT * ((e - 1f + h) / (h * h) - 0.5f);
        } else {
            float e2 = exp(-2f * h);
            float twoH = 2f * h;
            c1 = sigmaT / sigmaS0 * exp(-h);
            c2 = alphaT * (1f - e2);
            c3 = alphaT * ((1f - e2) / (-2f * h) + 1f);
            c4 = alphaT * ((1f - e2 - twoH) / (twoH * twoH) - 0.5f);
            cn = sigmaT * (float) Math.sqrt(1f - e2);
        }
        for (int k = 0; k < out.length; k++) {
            float d10 = d10Scale * (m0[k] - m1[k]);
            float d11 = d11Scale * (m1[k] - m2[k]);
            float d1 = d10 + d1Mix * (d10 - d11);
            float d2 = d2Scale * (d10 - d11);
            if (noise == null) {
                out[k] = c1 * sample[k] - c2 * m0[k] + c3 * d1 - c4 * d2;
            } else {
                out[k] = c1 * sample[k] + c2 * m0[k] + c3 * d1 + c4 * d2 + cn * noise[k];
            }
        }
    }

    private static float alpha(float sigma) {
        return 1f / (float) Math.sqrt(sigma * sigma + 1f);
    }

    private static float lambda(float alpha, float sigma) {
        return (float) Math.log(alpha) - (float) Math.log(sigma);
    }

    private static float exp(float x) {
        return (float) Math.exp(x);
    }
}
