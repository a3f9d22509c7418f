package dev.tempera.sampling.internal;

/**
 * llama.cpp's {@code temp-ext}: the temperature follows the normalised entropy of the candidates,
 * {@code T = T_min + (T_max - T_min) * (H / log n)^exponent} with {@code T_min = max(0, t - range)},
 * {@code T_max = t + range} and n the number of live candidates. With one candidate nothing changes;
 * a resulting T of 0 keeps only the most likely token.
 */
final class DynamicTemperature implements LogitsProcessor {

    private final float temperature;
    private final float range;
    private final float exponent;

    DynamicTemperature(double temperature, double range, double exponent) {
        this.temperature = (float) temperature;
        this.range = (float) range;
        this.exponent = (float) exponent;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        int live = c.liveCount();
        if (live <= 1) {
            return;
        }
        double minT = Math.max(0.0, temperature - range);
        double maxT = temperature + range;
        float max = c.maxLogit();
        c.expEntropy(max);
        double normalised = c.pair[1] / Math.log(live);
        double t = minT + (maxT - minT) * Math.pow(Math.max(0.0, normalised), exponent);
        if (t <= 0) {
            c.keepAtLeast(max);
            return;
        }
        c.scaleBy((float) (1.0 / t));
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "dynatemp(t=" + temperature + ", range=" + range + ", exponent=" + exponent + ")";
    }
}
