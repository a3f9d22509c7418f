package dev.tempera.sampling.internal;

import java.util.Map;

/** Adds a per-token bias to the logits (before penalties and temperature, in every engine). */
final class LogitBias implements LogitsProcessor {

    private final int[] ids;
    private final float[] bias;

    LogitBias(Map<Integer, Double> logitBias, int vocab) {
        ids = new int[logitBias.size()];
        bias = new float[logitBias.size()];
        int i = 0;
        for (Map.Entry<Integer, Double> e : logitBias.entrySet()) {
            TokenIds.check("logit_bias", e.getKey(), vocab);
            ids[i] = e.getKey();
            bias[i] = e.getValue().floatValue();
            i++;
        }
    }

    @Override
    public void apply(Candidates c, StepContext ctx) {
        c.requireDense("logit_bias");
        for (int i = 0; i < ids.length; i++) {
            c.setDenseLogit(ids[i], c.denseLogit(ids[i]) + bias[i]);
        }
    }

    @Override
    public boolean argmaxInvariant() {
        return false;
    }

    @Override
    public String describe() {
        return "logit_bias(" + ids.length + ")";
    }
}
