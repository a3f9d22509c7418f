package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The .npy branch of {@code --logits-file}: which arrays are logits (1-D floats) and the messages for those that are
 * not, each naming the option and the file. The format itself is tested with the reader, {@code NpyArrayTest}.
 */
class NpyLogitsTest {

    private static final String WHAT = "--logits-file x.npy";

    /** {@code bytes} with {@code from} replaced by {@code to}, both of one length, so the header's length holds. */
    private static byte[] edit(byte[] bytes, String from, String to) {
        return new String(bytes, StandardCharsets.ISO_8859_1).replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsFloat32AndFloat64() {
        // 0.2 is not a float: float64 is rounded to the nearest float, as --logits does with its text
        double[] v = {2, 1, 0.5, 0.2, Double.NEGATIVE_INFINITY};
        float[] expected = {2f, 1f, 0.5f, 0.2f, Float.NEGATIVE_INFINITY};
        assertThat(InputOptions.fromNpy(WHAT, ExplainCommandTest.npy("<f4", v))).containsExactly(expected);
        assertThat(InputOptions.fromNpy(WHAT, ExplainCommandTest.npy("<f8", v))).containsExactly(expected);
    }

    @Test
    void readsFloat16() {
        // 0x3C00 = 1, 0xC000 = -2, 0xFC00 = -inf: an fp16 model's logits dumped as they are
        byte[] f4 = ExplainCommandTest.npy("<f4", new double[] {0, 0, 0});
        byte[] f2 = Arrays.copyOf(edit(f4, "'<f4'", "'<f2'"), f4.length - 6);
        ByteBuffer.wrap(f2, f2.length - 6, 6).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0xFC00);
        assertThat(InputOptions.fromNpy(WHAT, f2)).containsExactly(1f, -2f, Float.NEGATIVE_INFINITY);
    }

    @Test
    void readsVersion2Headers() {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
        b.putInt(header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(3f).putFloat(-1f);
        assertThat(InputOptions.fromNpy(WHAT, b.array())).containsExactly(3f, -1f);
    }

    @Test
    void rejectsIntegers() {
        // same layout, dtype changed: readable, but token ids are not logits
        byte[] ints = edit(ExplainCommandTest.npy("<f8", new double[] {1, 2}), "'<f8'", "'<i8'");
        assertThatThrownBy(() -> InputOptions.fromNpy(WHAT, ints))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--logits-file x.npy must hold float64, float32 or float16 logits ('<f8', '<f4' or '<f2'), "
                        + "but its dtype is '<i8'");
    }

    @Test
    void rejectsTwoDimensions() {
        // one padding space fewer keeps the header's length
        byte[] twoD = edit(ExplainCommandTest.npy("<f4", new double[] {1, 2}), "(2,), } ", "(1,2), }");
        assertThatThrownBy(() -> InputOptions.fromNpy(WHAT, twoD))
                .hasMessage("--logits-file x.npy must hold a 1-D array of logits, but its shape (1, 2) has 2 dimensions");
    }

    @Test
    void rejectsBadMagicAndTruncatedDataNamingTheOption() {
        assertThatThrownBy(() -> InputOptions.fromNpy(WHAT, "hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--logits-file x.npy is not a readable .npy array: ")
                .hasMessageContaining("magic");
        byte[] full = ExplainCommandTest.npy("<f8", new double[] {1, 2, 3});
        byte[] cut = Arrays.copyOf(full, full.length - 4);
        assertThatThrownBy(() -> InputOptions.fromNpy(WHAT, cut))
                .hasMessageStartingWith("--logits-file x.npy is not a readable .npy array: ")
                .hasMessageContaining("holds 2 values, but its shape says 3");
    }
}
