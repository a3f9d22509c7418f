package dev.tempera.image.scheduler;

/**
 * Picks the inference timesteps from the training range, one method per scheduler family, each a transcription of
 * that family's {@code set_timesteps} (they differ in rounding and in where {@code steps_offset} applies).
 * T is {@code num_train_timesteps}, n the number of inference steps; results are in the order the steps run
 * (descending), except {@link #pndm}.
 */
final class TimestepGrid {

    private TimestepGrid() {
    }

    /**
     * Euler, Euler ancestral and LMS: float32 timesteps.
     * linspace: {@code linspace(0, T-1, n)} (fractional); leading: {@code round(i * (T // n)) + steps_offset};
     * trailing: {@code round(arange(T, 0, -T/n)) - 1}.
     */
    static float[] euler(SchedulerConfig config, int n) {
        int t = config.numTrainTimesteps();
        float[] out;
        switch (config.timestepSpacing()) {
            case LINSPACE -> {
                double[] lin = NumpyRanges.linspace(0, t - 1, n, true);
                out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) lin[n - 1 - i];
                }
            }
            case LEADING -> {
                int ratio = t / n;
                out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) ((long) (n - 1 - i) * ratio) + (float) config.stepsOffset();
                }
            }
            case TRAILING -> {
                double[] ar = NumpyRanges.arange(t, 0, -((double) t / n));
                out = new float[ar.length];
                for (int i = 0; i < ar.length; i++) {
                    out[i] = (float) NumpyRanges.round(ar[i]) - 1f;
                }
            }
            default -> throw new AssertionError(config.timestepSpacing());
        }
        return out;
    }

    /**
     * DDIM: integer timesteps. linspace: {@code round(linspace(0, T-1, n))}; leading: {@code i * (T // n) +
     * steps_offset}; trailing: {@code round(arange(T, 0, -T/n)) - 1}.
     */
    static long[] ddim(SchedulerConfig config, int n) {
        int t = config.numTrainTimesteps();
        return switch (config.timestepSpacing()) {
            case LINSPACE -> reversedRounded(NumpyRanges.linspace(0, t - 1, n, true), 0);
            case LEADING -> leading(n, t / n, config.stepsOffset());
            case TRAILING -> trailing(t, (double) t / n);
        };
    }

    /**
     * DPM++: integer timesteps from an n + 1 grid whose last point (0) is dropped. linspace:
     * {@code round(linspace(0, last-1, n+1))}; leading: {@code i * (last // (n+1)) + steps_offset}; trailing:
     * {@code round(arange(last, 0, -T/n)) - 1}. {@code last} is T unless {@code lambda_min_clipped} cuts the top.
     */
    static long[] dpm(SchedulerConfig config, int n, int lastTimestep) {
        return switch (config.timestepSpacing()) {
            case LINSPACE -> {
                long[] all = reversedRounded(NumpyRanges.linspace(0, lastTimestep - 1, n + 1, true), 0);
                long[] out = new long[n];
                System.arraycopy(all, 0, out, 0, n);
                yield out;
            }
            case LEADING -> {
                long[] all = leading(n + 1, lastTimestep / (n + 1), config.stepsOffset());
                long[] out = new long[n];
                System.arraycopy(all, 0, out, 0, n);
                yield out;
            }
            case TRAILING -> trailing(lastTimestep, (double) config.numTrainTimesteps() / n);
        };
    }

    /**
     * PNDM's base grid, ascending (PNDM reorders it into its PRK and PLMS lists). linspace:
     * {@code round(linspace(0, T-1, n))}; leading: {@code i * (T // n) + steps_offset}; trailing:
     * {@code round(arange(T, 0, -T/n))} reversed, minus 1.
     */
    static long[] pndm(SchedulerConfig config, int n) {
        long[] descending = ddim(config, n);
        long[] out = new long[descending.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = descending[descending.length - 1 - i];
        }
        return out;
    }

    private static long[] reversedRounded(double[] values, long offset) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (long) NumpyRanges.round(values[values.length - 1 - i]) + offset;
        }
        return out;
    }

    private static long[] leading(int count, int ratio, int offset) {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = (long) (count - 1 - i) * ratio + offset;
        }
        return out;
    }

    private static long[] trailing(double start, double ratio) {
        double[] ar = NumpyRanges.arange(start, 0, -ratio);
        long[] out = new long[ar.length];
        for (int i = 0; i < ar.length; i++) {
            out[i] = (long) NumpyRanges.round(ar[i]) - 1;
        }
        return out;
    }
}
