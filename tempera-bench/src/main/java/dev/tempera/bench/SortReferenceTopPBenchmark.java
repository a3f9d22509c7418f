package dev.tempera.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The textbook top-p that Tempera avoids, as transformers' {@code TopPLogitsWarper} does it: sort
 * the whole vocabulary by logit, softmax in sorted order, keep the prefix whose mass reaches p,
 * draw from it. Written in lean Java (no allocation, a primitive sort of packed {@code long} keys,
 * ties by token id, the same inputs and temperature 0.7 / top-p 0.9 as {@link TopPBenchmark}), so
 * it is a lower bound on what a sort-based implementation costs on this machine, not a straw man.
 *
 * <p>{@link #sortTopP()} is the whole token; {@link #sortOnly()} only builds the keys and sorts
 * them, to show that the sort is the cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchData.VECTOR_MODULE, "-Xms2g", "-Xmx2g"})
public class SortReferenceTopPBenchmark {

    private static final float INV_TEMPERATURE = 1f / 0.7f;
    private static final double TOP_P = 0.9;

    private float[][] rows;
    private int row;
    private long[] keys;
    private double[] sortedExp;
    private SplittableRandom random;

    @Setup
    public void setUp() {
        rows = BenchData.logitsRows(BenchData.ROWS, BenchData.SEED);
        keys = new long[BenchData.VOCAB];
        sortedExp = new double[BenchData.VOCAB];
        random = new SplittableRandom(BenchData.SEED);
    }

    private float[] nextRow() {
        float[] logits = rows[row];
        row = (row + 1) & (BenchData.ROWS - 1);
        return logits;
    }

    /** Temperature, full sort, softmax, cumulative cut at p, draw. */
    @Benchmark
    public int sortTopP() {
        float[] logits = nextRow();
        int n = logits.length;
        sortKeys(logits, n);
        float max = keyValue(keys[0]);
        double z = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(keyValue(keys[i]) - max);
            sortedExp[i] = e;
            z += e;
        }
        double target = TOP_P * z;
        double kept = 0;
        int size = 0;
        while (size < n && kept < target) {
            kept += sortedExp[size++];
        }
        double u = random.nextDouble() * kept;
        double cum = 0;
        for (int i = 0; i < size; i++) {
            cum += sortedExp[i];
            if (cum > u) {
                return (int) keys[i];
            }
        }
        return (int) keys[size - 1];
    }

    /** Only the keys and the sort of the whole vocabulary. */
    @Benchmark
    public long sortOnly() {
        float[] logits = nextRow();
        sortKeys(logits, logits.length);
        return keys[0];
    }

    private void sortKeys(float[] logits, int n) {
        for (int i = 0; i < n; i++) {
            keys[i] = descendingKey(logits[i] * INV_TEMPERATURE, i);
        }
        Arrays.sort(keys, 0, n);
    }

    /** A long that sorts ascending by (value descending, id ascending). */
    private static long descendingKey(float value, int id) {
        int bits = Float.floatToRawIntBits(value);
        int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ((long) ~ordered << 32) | (id & 0xFFFFFFFFL);
    }

    private static float keyValue(long key) {
        int ordered = ~(int) (key >>> 32);
        int bits = ordered ^ ((ordered >> 31) & 0x7FFFFFFF);
        return Float.intBitsToFloat(bits);
    }
}
