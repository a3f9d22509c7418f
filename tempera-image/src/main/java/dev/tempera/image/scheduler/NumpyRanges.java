package dev.tempera.image.scheduler;

/**
 * numpy's {@code linspace} and float {@code arange} with numpy's own rounding, which the timestep schedules depend on
 * (a value that lands on .5 or an arange that comes out one element longer changes the schedule).
 */
final class NumpyRanges {

    private NumpyRanges() {
    }

    /**
     * {@code np.linspace(start, stop, num, endpoint)} in float64: {@code i * step + start} with
     * {@code step = (stop - start) / div}, and the last element set to {@code stop} exactly when {@code endpoint}.
     */
    static double[] linspace(double start, double stop, int num, boolean endpoint) {
        double[] y = new double[num];
        int div = endpoint ? num - 1 : num;
        double delta = stop - start;
        if (div > 0) {
            double step = delta / div;
            for (int i = 0; i < num; i++) {
                y[i] = (step == 0 ? (i / (double) div) * delta : i * step) + start;
            }
        } else {
            for (int i = 0; i < num; i++) {
                y[i] = i * delta + start;
            }
        }
        if (endpoint && num > 1) {
            y[num - 1] = stop;
        }
        return y;
    }

    /**
     * {@code np.arange(start, stop, step)} for floats: {@code ceil((stop - start) / step)} elements, the first two
     * {@code start} and {@code start + step}, then {@code start + i * delta} with {@code delta} the difference of those
     * two (numpy's fill rule, which is why {@code arange(1000, 0, -1000 / 61)} has 62 elements).
     */
    static double[] arange(double start, double stop, double step) {
        double length = Math.ceil((stop - start) / step);
        int n = length > 0 ? (int) length : 0;
        double[] y = new double[n];
        if (n == 0) {
            return y;
        }
        y[0] = start;
        if (n > 1) {
            y[1] = start + step;
            double delta = y[1] - y[0];
            for (int i = 2; i < n; i++) {
                y[i] = start + i * delta;
            }
        }
        return y;
    }

    /** numpy's {@code round}: half to even. */
    static double round(double x) {
        return Math.rint(x);
    }
}
