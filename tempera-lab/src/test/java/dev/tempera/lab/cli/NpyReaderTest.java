package dev.tempera.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NpyReaderTest {

    @Test
    void readsFloat32AndFloat64() {
        double[] v = {2, 1, 0.5, 0.2, Double.NEGATIVE_INFINITY};
        float[] expected = {2f, 1f, 0.5f, 0.2f, Float.NEGATIVE_INFINITY};
        assertThat(NpyReader.read("a.npy", ExplainCommandTest.npy("<f4", v))).containsExactly(expected);
        assertThat(NpyReader.read("a.npy", ExplainCommandTest.npy("<f8", v))).containsExactly(expected);
    }

    @Test
    void readsVersion2Headers() {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
        b.putInt(header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(3f).putFloat(-1f);
        assertThat(NpyReader.read("v2.npy", b.array())).containsExactly(3f, -1f);
    }

    @Test
    void rejectsBadMagicTwoDimensionsAndTruncatedData() {
        assertThatThrownBy(() -> NpyReader.read("x.npy", "hello".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("magic");
        byte[] twoD = new String(ExplainCommandTest.npy("<f4", new double[] {1, 2}), StandardCharsets.ISO_8859_1)
                .replace("(2,)", "(1,2)").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> NpyReader.read("x.npy", twoD)).hasMessageContaining("2 dimensions");
        byte[] full = ExplainCommandTest.npy("<f8", new double[] {1, 2, 3});
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 4);
        assertThatThrownBy(() -> NpyReader.read("x.npy", cut)).hasMessageContaining("holds 2 values, but its shape says 3");
    }
}
