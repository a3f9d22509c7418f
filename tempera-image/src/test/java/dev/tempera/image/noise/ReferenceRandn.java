package dev.tempera.image.noise;

/**
 * A slow, literal model of torch's CPU {@code randn} for checking {@link TorchGenerator}: one engine draw per
 * float uniform, four per double pair, every Box-Muller in double with {@link StrictMath}, written element by
 * element from the description in {@code DistributionTemplates.h} / {@code DistributionsHelper.h}.
 *
 * <p>Its scalar path (under 16 elements) uses the same double formulas as the real one, so the two must agree
 * bit for bit there. Its vector path is double-precision where torch's is float32 with Cephes polynomials, so
 * there they agree only to float32 accuracy; what it pins is which uniform goes where.
 */
final class ReferenceRandn {

    private final ReferenceMt19937 engine;
    private Double cached;

    ReferenceRandn(long seed) {
        engine = new ReferenceMt19937(seed);
    }

    double[] randn(int count) {
        double[] out = new double[count];
        if (count < 16) {
            for (int i = 0; i < count; i++) {
                out[i] = scalarNormal();
            }
            return out;
        }
        double[] uniforms = new double[count];
        for (int i = 0; i < count; i++) {
            uniforms[i] = (engine.next() & 0xFFFFFF) / 16777216.0;
        }
        for (int start = 0; start + 16 <= count; start += 16) {
            boxMuller16(uniforms, start, out);
        }
        if (count % 16 != 0) {
            int start = count - 16;
            for (int i = 0; i < 16; i++) {
                uniforms[start + i] = (engine.next() & 0xFFFFFF) / 16777216.0;
            }
            boxMuller16(uniforms, start, out);
        }
        return out;
    }

    private static void boxMuller16(double[] uniforms, int start, double[] out) {
        for (int j = 0; j < 8; j++) {
            double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - uniforms[start + j]));
            double theta = 2 * Math.PI * uniforms[start + j + 8];
            out[start + j] = radius * StrictMath.cos(theta);
            out[start + j + 8] = radius * StrictMath.sin(theta);
        }
    }

    private double scalarNormal() {
        if (cached != null) {
            double value = cached;
            cached = null;
            return value + 0.0; // torch's "* std + mean" with std 1, mean 0: -0.0 becomes +0.0
        }
        double u1 = uniformDouble();
        double u2 = uniformDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        cached = radius * StrictMath.sin(theta);
        return radius * StrictMath.cos(theta) + 0.0;
    }

    private double uniformDouble() {
        long high = engine.next();
        long low = engine.next();
        long bits = ((high << 32) | low) & ((1L << 53) - 1);
        return bits / 9007199254740992.0; // 2^53
    }
}
