package dev.tempera.runtime.image;

import java.util.Arrays;

/**
 * Pillow's convolution resampling filters, with the numeric codes {@code preprocessor_config.json} stores in
 * {@code "resample"} (PIL's {@code Image.Resampling}). Nearest-neighbour (code 0) is a different algorithm in
 * Pillow and is not offered.
 */
public enum Resample {
    /** Code 1: Lanczos-3 (windowed sinc), support 3. */
    LANCZOS(1, 3.0),
    /** Code 2: triangle filter, support 1. */
    BILINEAR(2, 1.0),
    /** Code 3: Keys cubic with a = −0.5, support 2 — what CLIP's preprocessing uses. */
    BICUBIC(3, 2.0),
    /** Code 4: box filter, support ½. */
    BOX(4, 0.5),
    /** Code 5: Hamming-windowed sinc, support 1. */
    HAMMING(5, 1.0);

    private final int pilCode;
    private final double support;

    Resample(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    /** PIL's number for the filter. */
    public int pilCode() {
        return pilCode;
    }

    /** Half-width of the filter at scale 1, in source pixels. */
    public double support() {
        return support;
    }

    /**
     * The filter for a PIL code.
     *
     * @throws IllegalArgumentException for 0 (nearest, not supported) or an unknown code; the message lists the valid
     *     codes
     */
    public static Resample fromPilCode(int code) {
        for (Resample r : values()) {
            if (r.pilCode == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("resample must be one of the PIL codes " + Arrays.toString(codes())
                + " (1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming; 0 nearest is not supported), but is: " + code);
    }

    private static int[] codes() {
        return Arrays.stream(values()).mapToInt(Resample::pilCode).sorted().toArray();
    }

    /** The filter's weight at distance {@code x} (Pillow's {@code Resample.c}, constants as written there). */
    double weight(double x) {
        switch (this) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR:
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            case HAMMING:
                x = Math.abs(x);
                if (x == 0.0) {
                    return 1.0;
                }
                if (x >= 1.0) {
                    return 0.0;
                }
                x = x * Math.PI;
                // Pillow writes the window constants as C floats: 0.54f and 0.46f, promoted to double
                return Math.sin(x) / x * (0.54f + 0.46f * Math.cos(x));
            case BICUBIC: {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new AssertionError(this);
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x;
    }
}
