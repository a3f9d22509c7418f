package dev.tempera.image.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads the goldens written by {@code tools/conformance/schedulers/make_goldens.py} (real diffusers scheduler code on
 * torch 1.13 / numpy 1.24 / scipy 1.10; see the "diffusers_commit" in each file).
 */
final class Goldens {

    private Goldens() {
    }

    static JsonNode load(String name) {
        // floats are stored as the shortest decimal of their float32 value; BigDecimal keeps that text exact
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        try (InputStream in = Goldens.class.getResourceAsStream("/scheduler/" + name)) {
            assertThat(in).as("test resource /scheduler/" + name).isNotNull();
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).decimalValue().floatValue();
        }
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).decimalValue().doubleValue();
        }
        return out;
    }

    /** The config named {@code name} in the golden's "configs" map, parsed as a scheduler_config.json. */
    static SchedulerConfig config(JsonNode golden, String name) {
        JsonNode cfg = golden.get("configs").get(name);
        assertThat(cfg).as("config " + name).isNotNull();
        return SchedulerConfig.fromJson(cfg.toString());
    }

    /** Largest |a - e| / (abs + rel * |e|) over the arrays: &lt;= 1 means within tolerance. */
    static double worst(float[] actual, float[] expected, double abs, double rel) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = actual[i] == expected[i] ? 0
                    : Math.abs((double) actual[i] - expected[i]) / (abs + rel * Math.abs(expected[i]));
            if (!(err <= worst)) {
                worst = err; // NaN propagates
            }
        }
        return worst;
    }

    /** A NoiseSource handing out the golden's noise arrays in order, counting the draws. */
    static final class ListNoise implements NoiseSource {
        private final float[][] draws;
        int count;

        ListNoise(float[][] draws) {
            this.draws = draws;
        }

        @Override
        public void fill(float[] out) {
            assertThat(count).as("more noise draws than diffusers made").isLessThan(draws.length);
            float[] next = draws[count++];
            assertThat(out).hasSameSizeAs(next);
            System.arraycopy(next, 0, out, 0, out.length);
        }
    }
}
