package dev.tempera.sampling.internal;

/** Divides the logits by T (applied lazily on the dense vocabulary). */
final class Temperature implements LogitsProcessor {

    private final float temperature;

    Temperature(double temperature) {
        this.temperature = (float) temperature;
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        if (temperature != 1f) {
            c.scaleBy(1f / temperature);
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return true;
    }

    @Override
    public String describe() {
        return "temperature(" + temperature + ")";
    }
}
