package dev.tempera.image.guidance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class GuidanceTest {

    @Test
    void classifierFreeMovesFromUncondTowardsCondByTheScale() {
        float[] uncond = {1f, 2f, -0.5f};
        float[] cond = {3f, -2f, -0.5f};
        float[] out = new float[3];
        Guidance.classifierFree(uncond, cond, 7.5, out);
        // 1 + 7.5 * 2 = 16; 2 + 7.5 * -4 = -28; equal predictions stay put
        assertThat(out).containsExactly(16f, -28f, -0.5f);
        Guidance.classifierFree(uncond, cond, 0.0, out);
        assertThat(out).containsExactly(uncond); // scale 0 is the unconditional prediction
    }

    @Test
    void classifierFreeFromBatchReadsUncondThenCond() {
        float[] noisePred = {1f, 2f, 3f, -2f}; // [uncond: 1, 2 | cond: 3, -2]
        float[] out = new float[2];
        Guidance.classifierFreeFromBatch(noisePred, 7.5, out);
        assertThat(out).containsExactly(16f, -28f);
    }

    @Test
    void matchesThePipelineFormulaInTorchBitForBit() {
        JsonNode golden = golden();
        float[] noisePred = floats(golden.get("noise_pred"));
        int half = noisePred.length / 2;
        float[] uncond = Arrays.copyOfRange(noisePred, 0, half);
        float[] cond = Arrays.copyOfRange(noisePred, half, noisePred.length);
        for (JsonNode c : golden.get("cases")) {
            double scale = c.get("guidance_scale").asDouble();
            float[] out = new float[half];
            Guidance.classifierFree(uncond, cond, scale, out);
            assertThat(out).as("scale " + scale).containsExactly(floats(c.get("guided")));
            Guidance.classifierFreeFromBatch(noisePred, scale, out);
            assertThat(out).as("scale " + scale + " from the batch").containsExactly(floats(c.get("guided")));
        }
    }

    @Test
    void rescaleMatchesDiffusersRescaleNoiseCfg() {
        JsonNode golden = golden();
        float[] noisePred = floats(golden.get("noise_pred"));
        int half = noisePred.length / 2;
        float[] cond = Arrays.copyOfRange(noisePred, half, noisePred.length);
        int batch = golden.get("shape").get(0).asInt();
        for (JsonNode c : golden.get("cases")) {
            float[] guided = floats(c.get("guided"));
            for (String phi : new String[] {"0.0", "0.7", "1.0"}) {
                float[] expected = floats(c.get("rescaled").get(phi));
                float[] out = new float[half];
                Guidance.rescale(guided, cond, batch, Double.parseDouble(phi), out);
                // the std is summed in double in both, in a different order, so the ratio can differ by an ulp
                for (int i = 0; i < half; i++) {
                    assertThat(out[i]).as("phi " + phi + " at " + i)
                            .isCloseTo(expected[i], Offset.offset(1e-6f * (1 + Math.abs(expected[i]))));
                }
                float[] fromBatch = new float[half];
                Guidance.rescale(guided, noisePred, batch, Double.parseDouble(phi), fromBatch);
                assertThat(fromBatch).as("cond taken from the [uncond; cond] batch").containsExactly(out);
            }
        }
    }

    @Test
    void rescaleByZeroLeavesTheGuidedPredictionUnchanged() {
        float[] cfg = {1f, -3f, 0.25f, 2f};
        float[] cond = {0.5f, 0.1f, -0.2f, 0.3f};
        float[] out = new float[4];
        Guidance.rescale(cfg, cond, 1, 0.0, out);
        assertThat(out).containsExactly(cfg);
    }

    @Test
    void fullRescaleGivesEachItemItsCondStandardDeviation() {
        // item 0: cfg = ±1 (std 2/sqrt(3)), cond = ±2 -> ratio 2; item 1: cfg = ±4, cond = ±1 -> ratio 1/4
        float[] cfg = {1f, -1f, 1f, -1f, 4f, -4f, 4f, -4f};
        float[] cond = {2f, -2f, 2f, -2f, 1f, -1f, 1f, -1f};
        float[] out = new float[8];
        Guidance.rescale(cfg, cond, 2, 1.0, out);
        assertThat(out).containsExactly(2f, -2f, 2f, -2f, 1f, -1f, 1f, -1f);
        // half way: 0.5 * rescaled + 0.5 * cfg
        Guidance.rescale(cfg, cond, 2, 0.5, out);
        assertThat(out).containsExactly(1.5f, -1.5f, 1.5f, -1.5f, 2.5f, -2.5f, 2.5f, -2.5f);
    }

    @Test
    void functionsDoNotModifyTheirInputsAndMayWriteIntoOne() {
        float[] uncond = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] cond = {0.5f, -0.2f, 0.7f, 0.0f};
        float[] uncondCopy = uncond.clone();
        float[] condCopy = cond.clone();
        float[] out = new float[4];
        Guidance.classifierFree(uncond, cond, 5.0, out);
        assertThat(uncond).containsExactly(uncondCopy);
        assertThat(cond).containsExactly(condCopy);
        Guidance.classifierFree(uncond, cond, 5.0, uncond); // in place
        assertThat(uncond).containsExactly(out);

        float[] rescaled = new float[4];
        float[] cfg = out.clone();
        Guidance.rescale(cfg, cond, 1, 0.7, rescaled);
        assertThat(cfg).containsExactly(out);
        Guidance.rescale(cfg, cond, 1, 0.7, cfg);
        assertThat(cfg).containsExactly(rescaled);
    }

    @Test
    void badArgumentsAreRejectedWithTheRangeAndTheValue() {
        float[] a = new float[4];
        assertThatThrownBy(() -> Guidance.classifierFree(a, new float[3], 7.5, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same length, but have: 4, 3, 4");
        assertThatThrownBy(() -> Guidance.classifierFree(a, a, Double.NaN, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("scale must be finite, but is: NaN");
        assertThatThrownBy(() -> Guidance.classifierFreeFromBatch(new float[5], 7.5, new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5, 2");
        assertThatThrownBy(() -> Guidance.rescale(a, a, 1, 1.5, a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("guidanceRescale must be in [0, 1], but is: 1.5");
        assertThatThrownBy(() -> Guidance.rescale(a, a, 3, 0.7, a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1 and divide the length 4, but is: 3");
    }

    private static JsonNode golden() {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        try (InputStream in = GuidanceTest.class.getResourceAsStream("/scheduler/guidance.json")) {
            assertThat(in).as("written by tools/conformance/schedulers/make_goldens.py").isNotNull();
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).decimalValue().floatValue();
        }
        return out;
    }
}
