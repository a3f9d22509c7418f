package dev.tempera.image.scheduler;

/**
 * Linear multistep (LMS), a port of diffusers' {@code LMSDiscreteScheduler} with its default order 4.
 *
 * <p>Timesteps, sigmas, initial noise and input scaling are Euler's ({@link TimestepGrid#euler}, interpolated sigmas,
 * optionally Karras between the last and first of them, then a final 0).
 *
 * <p>Step, float32: x0 as Euler's, {@code d = (sample - x0) / sigma} appended to the last four derivatives; with
 * {@code order = min(step + 1, 4)} the coefficients {@link LmsCoefficients} of the step's Lagrange basis, and
 * {@code prev = sample + sum_j c_j * d_(latest - j)} over the derivatives actually kept (a schedule entered part-way
 * has fewer than {@code order} of them, and diffusers then uses only the first coefficients, as here).
 */
final class LmsDiscreteScheduler extends SigmaScheduler {

    private static final int ORDER = 4;

    private final float[] trainingSigmas;
    private final float[] logSigmas;
    private final float[][] derivatives = new float[ORDER][];
    private int derivativeCount;
    private final float[] coefficients = new float[ORDER];

    LmsDiscreteScheduler(String name, SchedulerConfig config) {
        super(name, config);
        rejectUnported(config, name);
        trainingSigmas = SigmaSchedule.trainingSigmas(
                TrainingSchedule.alphasCumprod(config, TrainingSchedule.ZeroSnr.IGNORED));
        logSigmas = SigmaSchedule.logSigmas(trainingSigmas);
    }

    @Override
    void computeTimesteps(int n) {
        double[] ts = widen(TimestepGrid.euler(config, n));
        double[] sig = SigmaSchedule.interp(ts, trainingSigmas);
        if (config.useKarrasSigmas()) {
            sig = SigmaSchedule.karras(sig[sig.length - 1], sig[0], n);
            ts = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = (float) SigmaSchedule.sigmaToT(sig[i], logSigmas);
            }
        }
        sigmas = new float[sig.length + 1];
        for (int i = 0; i < sig.length; i++) {
            sigmas[i] = (float) sig[i];
        }
        timesteps = ts;
    }

    @Override
    void resetState() {
        derivativeCount = 0;
    }

    @Override
    void allocate(int length) {
        for (int i = 0; i < ORDER; i++) {
            derivatives[i] = new float[length];
        }
    }

    @Override
    void doStep(float[] modelOutput, int i, float[] sample, NoiseSource noise, float[] out) {
        float sigma = sigmas[i];
        if (derivativeCount == ORDER) {
            float[] oldest = derivatives[0];
            System.arraycopy(derivatives, 1, derivatives, 0, ORDER - 1);
            derivatives[ORDER - 1] = oldest;
            derivativeCount--;
        }
        float[] d = derivatives[derivativeCount++];
        PredictionType prediction = config.predictionType();
        float vScale = -sigma / (float) Math.sqrt(sigma * sigma + 1f);
        float vDiv = sigma * sigma + 1f;
        for (int k = 0; k < sample.length; k++) {
            float s = sample[k];
            float m = modelOutput[k];
            float x0 = switch (prediction) {
                case EPSILON -> s - sigma * m;
                case V_PREDICTION -> m * vScale + s / vDiv;
                case SAMPLE -> m;
            };
            d[k] = (s - x0) / sigma;
        }
        int order = Math.min(i + 1, ORDER);
        int terms = Math.min(order, derivativeCount);
        for (int j = 0; j < terms; j++) {
            coefficients[j] = (float) LmsCoefficients.coefficient(sigmas, order, i, j);
        }
        for (int k = 0; k < sample.length; k++) {
            float sum = coefficients[0] * derivatives[derivativeCount - 1][k];
            for (int j = 1; j < terms; j++) {
                sum += coefficients[j] * derivatives[derivativeCount - 1 - j][k];
            }
            out[k] = sample[k] + sum;
        }
    }
}
