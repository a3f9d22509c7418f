package dev.tempera.lab.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NpyTest {

    /** A .npy file as NumPy writes it: magic, version, header length, the dict padded to 64 bytes, data. */
    static byte[] npy(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        StringBuilder header = new StringBuilder(dict);
        while ((prefix + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        ByteBuffer b = ByteBuffer.allocate(prefix + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        return b.put(header.toString().getBytes(StandardCharsets.ISO_8859_1)).put(data).array();
    }

    static byte[] npy(String descr, String shape, byte[] data) {
        return npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }", data);
    }

    static byte[] le(int bytes, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    static double[] values(Npy a) {
        double[] out = new double[a.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.valueAt(i);
        }
        return out;
    }

    @Test
    void readsFloat32OfRankThreeInCOrder() {
        // shape (2, 1, 3): C order puts the last axis fastest, so flat index 4 is [1, 0, 1].
        byte[] data = le(24, b -> {
            for (float f : new float[] {0f, -1.5f, 2f, 3.25f, Float.NEGATIVE_INFINITY, 1e-7f}) {
                b.putFloat(f);
            }
        });
        Npy a = Npy.parse("a.npy", npy("<f4", "(2, 1, 3)", data));
        assertThat(a.dtype()).isEqualTo(Npy.Dtype.FLOAT32);
        assertThat(a.shape()).containsExactly(2, 1, 3);
        assertThat(values(a)).containsExactly(0, -1.5, 2, 3.25, Double.NEGATIVE_INFINITY, (double) 1e-7f);
    }

    @Test
    void readsInt64OfRankOne() {
        // Token ids: 49406 is CLIP's start token; a large value checks all 8 bytes are read.
        byte[] data = le(24, b -> b.putLong(49406).putLong(-1).putLong(1L << 40));
        Npy a = Npy.parse("ids.npy", npy("<i8", "(3,)", data));
        assertThat(a.shape()).containsExactly(3);
        assertThat(values(a)).containsExactly(49406, -1, 0x1p40);
    }

    @Test
    void readsInt32OfRankZero() {
        // shape () is a scalar: one element, an empty shape.
        Npy a = Npy.parse("s.npy", npy("<i4", "()", le(4, b -> b.putInt(-7))));
        assertThat(a.shape()).isEmpty();
        assertThat(a.count()).isEqualTo(1);
        assertThat(values(a)).containsExactly(-7);
    }

    @Test
    void readsBool() {
        // NumPy writes any non-zero byte only as 1, but a non-zero byte is true either way.
        Npy a = Npy.parse("m.npy", npy("|b1", "(4,)", new byte[] {1, 0, 0, 2}));
        assertThat(a.dtype()).isEqualTo(Npy.Dtype.BOOL);
        assertThat(values(a)).containsExactly(1, 0, 0, 1);
    }

    @Test
    void readsFloat16Bits() {
        // 0x3C00 = 1, 0xC000 = -2, 0x7BFF = 65504 (largest finite), 0x0001 = 2^-24 (smallest subnormal),
        // 0x7C00 = +inf, 0x3555 = 0.333251953125 (1/3 rounded to 10 mantissa bits).
        short[] bits = {0x3C00, (short) 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555};
        byte[] data = le(12, b -> {
            for (short s : bits) {
                b.putShort(s);
            }
        });
        Npy a = Npy.parse("h.npy", npy("<f2", "(2, 3)", data));
        assertThat(a.dtype()).isEqualTo(Npy.Dtype.FLOAT16);
        assertThat(values(a)).containsExactly(1, -2, 65504, 0x1p-24, Double.POSITIVE_INFINITY, 0.333251953125);
        assertThat(Float.isNaN(Npy.halfToFloat((short) 0x7E00))).isTrue();
        assertThat(Npy.halfToFloat((short) 0x8000)).isEqualTo(-0.0f);
    }

    @Test
    void readsVersionTwoHeaders() {
        Npy a = Npy.parse("v2.npy", npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                le(8, b -> b.putFloat(3f).putFloat(-1f))));
        assertThat(values(a)).containsExactly(3, -1);
    }

    @Test
    void tensorsKeepShapeTypeAndValues() throws Exception {
        // Each dtype through ORT and back, including the scalar and float16 (given as raw bits).
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Npy[] arrays = {
            Npy.parse("f", npy("<f4", "(2, 1, 3)", le(24, b -> {
                for (int i = 0; i < 6; i++) {
                    b.putFloat(i * 0.5f);
                }
            }))),
            Npy.parse("h", npy("<f2", "(2,)", le(4, b -> b.putShort((short) 0x3C00).putShort((short) 0xC000)))),
            Npy.parse("l", npy("<i8", "(3,)", le(24, b -> b.putLong(1).putLong(2).putLong(49407)))),
            Npy.parse("i", npy("<i4", "()", le(4, b -> b.putInt(42)))),
            Npy.parse("b", npy("|b1", "(1, 2)", new byte[] {0, 1})),
        };
        OnnxJavaType[] types = {OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16, OnnxJavaType.INT64, OnnxJavaType.INT32,
            OnnxJavaType.BOOL};
        for (int k = 0; k < arrays.length; k++) {
            try (OnnxTensor t = arrays[k].toTensor(env)) {
                assertThat(t.getInfo().type).as(arrays[k].toString()).isEqualTo(types[k]);
                assertThat(t.getInfo().getShape()).as(arrays[k].toString()).containsExactly(arrays[k].shape());
                assertThat(SampleModelsGoldenTest.values(t)).as(arrays[k].toString()).containsExactly(values(arrays[k]));
            }
        }
    }

    // Bad inputs tried: a wrong magic, a version 4 header, a header length past the end, Fortran order,
    // big-endian '>f4', complex '<c8', a non-integer shape, data one element short (truncated) and one
    // element too long.
    @Test
    void rejectsWrongMagic() {
        assertThatThrownBy(() -> Npy.parse("x.npy", "PK\3\4 not numpy".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.npy is not a readable .npy array: it does not start with the magic \\x93NUMPY");
    }

    @Test
    void rejectsUnknownVersionAndTruncatedHeader() {
        byte[] ok = npy("<f4", "(1,)", new byte[4]);
        byte[] v4 = ok.clone();
        v4[6] = 4;
        assertThatThrownBy(() -> Npy.parse("x.npy", v4)).hasMessageContaining("format version is 4.0; known: 1.0, 2.0, 3.0");
        byte[] cut = Arrays.copyOf(ok, 20);
        assertThatThrownBy(() -> Npy.parse("x.npy", cut)).hasMessageContaining("truncated in the header");
    }

    @Test
    void rejectsFortranOrder() {
        byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]);
        assertThatThrownBy(() -> Npy.parse("f.npy", f))
                .hasMessageContaining("f.npy is not a readable .npy array: it is in Fortran (column-major) order");
    }

    @Test
    void rejectsUnsupportedDtypesNamingTheSupportedOnes() {
        assertThatThrownBy(() -> Npy.parse("be.npy", npy(">f4", "(1,)", new byte[4])))
                .hasMessageContaining("its dtype is '>f4'; supported: '<f4' (float32), '<f2' (float16), '<i8' (int64), "
                        + "'<i4' (int32), '|b1' (bool)")
                .hasMessageContaining("big-endian");
        assertThatThrownBy(() -> Npy.parse("c.npy", npy("<c8", "(1,)", new byte[8])))
                .hasMessageContaining("its dtype is '<c8'; supported:");
    }

    @Test
    void rejectsBadShape() {
        assertThatThrownBy(() -> Npy.parse("s.npy", npy("<f4", "(2, n)", new byte[8])))
                .hasMessageContaining("its shape is not a tuple of integers: (2, n)");
    }

    @Test
    void rejectsDataThatDoesNotMatchTheShape() {
        // (2, 3) of int64 needs 48 bytes.
        assertThatThrownBy(() -> Npy.parse("t.npy", npy("<i8", "(2, 3)", new byte[40])))
                .hasMessageContaining("it holds 40 data bytes, but shape (2, 3) of '<i8' needs 48 (truncated?)");
        assertThatThrownBy(() -> Npy.parse("t.npy", npy("<i8", "(2, 3)", new byte[56])))
                .hasMessageContaining("it holds 56 data bytes, but shape (2, 3) of '<i8' needs 48");
    }
}
