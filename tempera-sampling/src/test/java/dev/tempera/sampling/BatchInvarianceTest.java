package dev.tempera.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded sequence gives the same tokens whether it is sampled alone, in batches of 7 or 64, in any
 * order, on 1 or 2 threads: the random numbers depend only on (seed, position, draw).
 */
class BatchInvarianceTest {

    private static final int VOCAB = 3000;
    private static final int SEQUENCES = 64;
    private static final int STEPS = 12;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    @AfterAll
    static void shutdown() {
        POOL.shutdownNow();
    }

    /** The "model": logits that depend only on (sequence, step, previous token). */
    private static float[] logits(int sequence, int step, int previous) {
        Random r = new Random(sequence * 1_000_003L + step * 7919L + previous);
        float[] x = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        return x;
    }

    private static SamplingParams params(int sequence) {
        return SamplingParams.builder().temperature(0.8).topP(0.95).topK(200).minP(0.01)
                .repetitionPenalty(1.1).seed(1000 + sequence).maxTokens(STEPS).build();
    }

    private static int[][] alone() {
        int[][] out = new int[SEQUENCES][STEPS];
        for (int s = 0; s < SEQUENCES; s++) {
            Sampler sampler = Sampler.create(params(s), VOCAB);
            int prev = 0;
            for (int t = 0; t < STEPS; t++) {
                prev = sampler.next(logits(s, t, prev));
                out[s][t] = prev;
            }
        }
        return out;
    }

    private static int[][] batched(int batchSize, int threads, long shuffleSeed) {
        int[][] out = new int[SEQUENCES][STEPS];
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < SEQUENCES; s++) {
            order.add(s);
        }
        Collections.shuffle(order, new Random(shuffleSeed));
        BatchSampler batch = new BatchSampler(VOCAB, POOL, threads);
        for (int from = 0; from < SEQUENCES; from += batchSize) {
            List<Integer> members = order.subList(from, Math.min(SEQUENCES, from + batchSize));
            Sampler[] rows = new Sampler[members.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = Sampler.create(params(members.get(i)), VOCAB);
            }
            int[] prev = new int[rows.length];
            for (int t = 0; t < STEPS; t++) {
                float[][] x = new float[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    x[i] = logits(members.get(i), t, prev[i]);
                }
                batch.next(rows, x, prev);
                for (int i = 0; i < rows.length; i++) {
                    out[members.get(i)][t] = prev[i];
                }
            }
        }
        return out;
    }

    @Test
    void sameTokensForBatchSizes1And7And64AndThreads1And2() {
        int[][] expected = alone();
        assertThat(batched(1, 1, 1)).isDeepEqualTo(expected);
        assertThat(batched(7, 1, 2)).isDeepEqualTo(expected);
        assertThat(batched(7, 2, 3)).isDeepEqualTo(expected);
        assertThat(batched(64, 1, 4)).isDeepEqualTo(expected);
        assertThat(batched(64, 2, 5)).isDeepEqualTo(expected);
    }

    // Bad inputs tried: a NaN row in the middle of a 2-thread batch; arrays of different lengths.
    @Test
    void aBadRowFailsTheBatchWithItsMessage() {
        BatchSampler batch = new BatchSampler(VOCAB, POOL, 2);
        Sampler[] rows = new Sampler[16];
        float[][] x = new float[16][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Sampler.create(params(i), VOCAB);
            x[i] = logits(i, 0, 0);
        }
        x[9] = x[9].clone();
        x[9][5] = Float.NaN;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batch.next(rows, x, new int[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits[5] is: NaN");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batch.next(rows, x, new int[3]))
                .hasMessage("rows, logits and out must have the same length, but are: 16, 16, 3");
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        int[][] tokens = alone();
        assertThat(tokens[0]).isNotEqualTo(tokens[1]);
    }
}
