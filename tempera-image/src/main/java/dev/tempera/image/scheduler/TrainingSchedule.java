package dev.tempera.image.scheduler;

import java.util.List;

/**
 * The training noise schedule every scheduler starts from: betas, then {@code alphas_cumprod} (alpha-bar), in
 * float32 as diffusers builds them with torch on the CPU.
 *
 * <p>Precision notes, each mirroring a torch CPU kernel:
 * <ul>
 *   <li>{@code torch.linspace(start, end, T, dtype=float32)}: {@code step = (end - start) / (T - 1)} in float; element
 *       {@code i < T/2} is {@code start + step * i}, the rest {@code end - step * (T - 1 - i)}. The x86 (AVX2/AVX-512)
 *       and ARM builds of PyTorch are compiled with FMA contraction, so each element is one fused multiply-add. Older
 *       torch builds (1.13, which made the goldens here) ran a vectorised loop instead, which rounds about a fifth of
 *       the betas one ulp differently; hence the tolerances in the golden tests.</li>
 *   <li>{@code torch.cumprod} on float32 accumulates in double and rounds each partial product to float.</li>
 *   <li>{@code squaredcos_cap_v2} is computed in double by Python and then stored as float32.</li>
 * </ul>
 */
final class TrainingSchedule {

    private TrainingSchedule() {
    }

    /** What a scheduler class does with {@code rescale_betas_zero_snr}. */
    enum ZeroSnr {
        /** The class has no such option (PNDM, LMS): the key is ignored, as diffusers ignores it. */
        IGNORED,
        /** Rescale, keeping the exact 0 at the end of alpha-bar (DDIM, LCM). */
        EXACT,
        /** Rescale, then set the last alpha-bar to 2^-24 so the last sigma stays finite (Euler, Euler a, DPM++). */
        PINNED
    }

    /** {@code alphas_cumprod} for {@code config}; with {@code rescale_betas_zero_snr} the betas are rescaled first. */
    static float[] alphasCumprod(SchedulerConfig config, ZeroSnr zeroSnr) {
        boolean rescale = config.rescaleBetasZeroSnr() && zeroSnr != ZeroSnr.IGNORED;
        float[] betas = betas(config);
        if (rescale) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        float[] alphas = new float[betas.length];
        for (int i = 0; i < betas.length; i++) {
            alphas[i] = 1f - betas[i];
        }
        float[] cumprod = cumprod(alphas);
        if (rescale && zeroSnr == ZeroSnr.PINNED) {
            cumprod[cumprod.length - 1] = 0x1p-24f;
        }
        return cumprod;
    }

    /** The betas of {@code config} (trained_betas when given). */
    static float[] betas(SchedulerConfig config) {
        int t = config.numTrainTimesteps();
        List<Double> trained = config.trainedBetas();
        if (!trained.isEmpty()) {
            float[] out = new float[t];
            for (int i = 0; i < t; i++) {
                out[i] = trained.get(i).floatValue();
            }
            return out;
        }
        return switch (config.betaSchedule()) {
            case LINEAR -> torchLinspace(config.betaStart(), config.betaEnd(), t);
            case SCALED_LINEAR -> {
                float[] root = torchLinspace(Math.sqrt(config.betaStart()), Math.sqrt(config.betaEnd()), t);
                for (int i = 0; i < t; i++) {
                    root[i] = root[i] * root[i];
                }
                yield root;
            }
            case SQUAREDCOS_CAP_V2 -> betasForAlphaBar(t);
        };
    }

    /** {@code torch.linspace(start, end, n, dtype=torch.float32)} on the CPU (see the class javadoc). */
    static float[] torchLinspace(double start, double end, int n) {
        float s = (float) start;
        float e = (float) end;
        float[] out = new float[n];
        if (n == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (float) (n - 1);
        int halfway = n / 2;
        for (int i = 0; i < n; i++) {
            out[i] = i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (n - 1 - i), e);
        }
        return out;
    }

    /** {@code torch.cumprod} of a float32 vector: double accumulator, each partial product rounded to float. */
    static float[] cumprod(float[] x) {
        float[] out = new float[x.length];
        double acc = 1.0;
        for (int i = 0; i < x.length; i++) {
            acc *= x[i];
            out[i] = (float) acc;
        }
        return out;
    }

    /** diffusers' {@code betas_for_alpha_bar} with the cosine transform and max_beta 0.999. */
    private static float[] betasForAlphaBar(int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            out[i] = (float) Math.min(1 - alphaBar(t2) / alphaBar(t1), 0.999);
        }
        return out;
    }

    private static double alphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /**
     * diffusers' {@code rescale_zero_terminal_snr} (Lin et al. 2023, algorithm 1), in float32 tensor arithmetic:
     * shift sqrt(alpha-bar) so the last one is 0, scale so the first one is unchanged, and turn it back into betas.
     */
    static float[] rescaleZeroTerminalSnr(float[] betas) {
        int n = betas.length;
        float[] alphas = new float[n];
        for (int i = 0; i < n; i++) {
            alphas[i] = 1f - betas[i];
        }
        float[] sqrtBar = cumprod(alphas);
        for (int i = 0; i < n; i++) {
            sqrtBar[i] = (float) Math.sqrt(sqrtBar[i]);
        }
        float first = sqrtBar[0];
        float last = sqrtBar[n - 1];
        float scale = first / (first - last);
        float[] bar = new float[n];
        for (int i = 0; i < n; i++) {
            float shifted = (sqrtBar[i] - last) * scale;
            bar[i] = shifted * shifted;
        }
        float[] out = new float[n];
        out[0] = 1f - bar[0];
        for (int i = 1; i < n; i++) {
            out[i] = 1f - bar[i] / bar[i - 1];
        }
        return out;
    }
}
