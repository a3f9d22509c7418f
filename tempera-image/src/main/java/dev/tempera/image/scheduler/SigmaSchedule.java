package dev.tempera.image.scheduler;

/**
 * The sigma side of the k-diffusion schedulers (Euler, Euler ancestral, LMS, DPM++): training sigmas, their
 * interpolation at the chosen timesteps, the Karras schedule and its inverse. Training sigmas are float32 (torch);
 * interpolation and Karras run in float64 (numpy) and are rounded to float32 once, when the schedule is stored.
 */
final class SigmaSchedule {

    private SigmaSchedule() {
    }

    /** {@code ((1 - alphas_cumprod) / alphas_cumprod) ** 0.5} in float32, ascending with t. */
    static float[] trainingSigmas(float[] alphasCumprod) {
        float[] out = new float[alphasCumprod.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.sqrt((1f - alphasCumprod[i]) / alphasCumprod[i]);
        }
        return out;
    }

    /** {@code np.log} of the float32 training sigmas, kept in float32 as numpy does. */
    static float[] logSigmas(float[] sigmas) {
        float[] out = new float[sigmas.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(sigmas[i]);
        }
        return out;
    }

    /** {@code np.interp(x, arange(len(fp)), fp)} in float64. */
    static double[] interp(double[] x, float[] fp) {
        double[] out = new double[x.length];
        int last = fp.length - 1;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            if (v <= 0) {
                out[i] = fp[0];
            } else if (v >= last) {
                out[i] = fp[last];
            } else {
                int j = (int) Math.floor(v);
                if (j == v) {
                    out[i] = fp[j];
                } else {
                    double slope = ((double) fp[j + 1] - fp[j]) / 1.0;
                    out[i] = slope * (v - j) + fp[j];
                }
            }
        }
        return out;
    }

    /**
     * The Karras et al. (2022) schedule with rho = 7 from {@code sigmaMax} down to {@code sigmaMin}, n values, as
     * k-diffusion's {@code get_sigmas_karras} (and diffusers' {@code _convert_to_karras}) compute it in float64.
     */
    static double[] karras(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double[] ramp = NumpyRanges.linspace(0, 1, n, true);
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /**
     * diffusers' {@code _sigma_to_t}: the (fractional) timestep whose training sigma is {@code sigma}, by linear
     * interpolation in log sigma between the two neighbouring training timesteps, clamped to the training range.
     * The search compares in float64, as numpy 2 does ({@code np.float64 - float32 array} is float64 there; numpy 1
     * compared in float32, so a sigma within float32 rounding of a training sigma can land one interval apart: with
     * the truncation of {@code squaredcos_cap_v2} that is 998 instead of 999 for the first Karras step).
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        int high = low + 1;
        float lo = logSigmas[low];
        float hi = logSigmas[high];
        double w = (lo - logSigma) / (double) (lo - hi); // numpy: float32 - float32 stays float32
        w = Math.max(0, Math.min(1, w));
        return (1 - w) * low + w * high;
    }

    /**
     * Euler's {@code log_linear} interpolation: {@code torch.linspace(log(sigma_max), log(sigma_min), n + 1).exp()} in
     * float32.
     */
    static double[] logLinear(float[] trainingSigmas, int n) {
        float logMax = (float) Math.log(trainingSigmas[trainingSigmas.length - 1]);
        float logMin = (float) Math.log(trainingSigmas[0]);
        float[] lin = TrainingSchedule.torchLinspace(logMax, logMin, n + 1);
        double[] out = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            out[i] = (float) Math.exp(lin[i]);
        }
        return out;
    }

    /**
     * The initial noise standard deviation of the sigma-based schedulers: {@code max(sigmas)}, or
     * {@code sqrt(max^2 + 1)} under {@code leading} spacing (diffusers' {@code init_noise_sigma}), in float32.
     */
    static float initNoiseSigma(float[] sigmas, TimestepSpacing spacing) {
        float max = Float.NEGATIVE_INFINITY;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        if (spacing == TimestepSpacing.LEADING) {
            return (float) Math.sqrt(max * max + 1f);
        }
        return max;
    }

    /** {@code sample / sqrt(sigma^2 + 1)}, the model input of the sigma-based schedulers; {@code out} may be sample. */
    static void scale(float[] sample, float sigma, float[] out) {
        float d = (float) Math.sqrt(sigma * sigma + 1f);
        for (int k = 0; k < sample.length; k++) {
            out[k] = sample[k] / d;
        }
    }
}
