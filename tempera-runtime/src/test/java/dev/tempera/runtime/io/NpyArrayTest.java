package dev.tempera.runtime.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The .npy reader on files NumPy wrote (src/test/resources/npy/, made with numpy 1.24 by
 * {@code np.save(name, a)}, versions 2.0 and 3.0 by {@code np.lib.format.write_array(f, a, version=(v, 0))}; the
 * arrays are in each test) and on hand-built bytes for the edge cases NumPy does not write.
 */
class NpyArrayTest {

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = NpyArrayTest.class.getResourceAsStream("/npy/" + name)) {
            assertThat(in).as("test resource npy/" + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static NpyArray numpyWrote(String name) throws Exception {
        return NpyArray.parse(name, resource(name));
    }

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

    static byte[] le(int bytes, Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return b.array();
    }

    // --- files NumPy wrote ---

    @Test
    void readsFloat32OfRankThreeInCOrder() throws Exception {
        // np.array([0, -1.5, 2, 3.25, -inf, 1e-7], float32).reshape(2, 1, 3): C order puts the last axis fastest,
        // so flat index 4 is [1, 0, 1].
        NpyArray a = numpyWrote("float32_2x1x3.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.FLOAT32);
        assertThat(a.shape()).containsExactly(2, 1, 3);
        assertThat(a.shapeText()).isEqualTo("(2, 1, 3)");
        assertThat(a.rank()).isEqualTo(3);
        assertThat(a.toFloats()).containsExactly(0f, -1.5f, 2f, 3.25f, Float.NEGATIVE_INFINITY, 1e-7f);
        assertThat(a.toDoubles()).containsExactly(0, -1.5, 2, 3.25, Double.NEGATIVE_INFINITY, (double) 1e-7f);
    }

    @Test
    void readsFloat64RoundingToFloatOnlyInToFloats() throws Exception {
        // np.array([2, 1, 0.5, 0.2, -inf], float64): 0.2 is not a float, so toFloats rounds it and toDoubles not.
        NpyArray a = numpyWrote("float64_5.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.FLOAT64);
        assertThat(a.shapeText()).isEqualTo("(5,)");
        assertThat(a.toFloats()).containsExactly(2f, 1f, 0.5f, 0.2f, Float.NEGATIVE_INFINITY);
        assertThat(a.toDoubles()).containsExactly(2, 1, 0.5, 0.2, Double.NEGATIVE_INFINITY);
    }

    @Test
    void readsFloat16Exactly() throws Exception {
        // np.array([1, -2, 65504, 2**-24, inf, 1/3], float16): 65504 is the largest finite half, 2^-24 the smallest
        // subnormal, and 1/3 rounds to 0.333251953125 (10 mantissa bits).
        NpyArray a = numpyWrote("float16_2x3.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.FLOAT16);
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.toDoubles()).containsExactly(1, -2, 65504, 0x1p-24, Double.POSITIVE_INFINITY, 0.333251953125);
        assertThat(a.toFloats()).containsExactly(1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, 0.333251953125f);
    }

    @Test
    void readsFloat16NanAndNegativeZero() {
        // 0x7E00 is a quiet NaN, 0x8000 is -0: neither may be folded into an ordinary number.
        NpyArray a = NpyArray.parse("h", npy("<f2", "(2,)", le(4, b -> b.putShort((short) 0x7E00)
                .putShort((short) 0x8000))));
        float[] v = a.toFloats();
        assertThat(Float.isNaN(v[0])).isTrue();
        assertThat(Float.floatToRawIntBits(v[1])).isEqualTo(Float.floatToRawIntBits(-0.0f));
    }

    @Test
    void readsInt64AllEightBytes() throws Exception {
        // np.array([49406, -1, 2**40], int64): 49406 is CLIP's start token; 2^40 needs the upper four bytes.
        NpyArray a = numpyWrote("int64_3.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.INT64);
        assertThat(a.shape()).containsExactly(3);
        assertThat(a.toDoubles()).containsExactly(49406, -1, 0x1p40);
    }

    @Test
    void readsAnInt32ScalarAsRankZero() throws Exception {
        // np.array(-7, int32) has shape (): one element, an empty shape.
        NpyArray a = numpyWrote("int32_scalar.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.INT32);
        assertThat(a.shape()).isEmpty();
        assertThat(a.rank()).isZero();
        assertThat(a.shapeText()).isEqualTo("()");
        assertThat(a.count()).isEqualTo(1);
        assertThat(a.toDoubles()).containsExactly(-7);
    }

    @Test
    void readsUint8Unsigned() throws Exception {
        // np.array([[0, 1], [128, 255]], uint8): bytes above 127 must not come back negative.
        NpyArray a = numpyWrote("uint8_2x2.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.UINT8);
        assertThat(a.toDoubles()).containsExactly(0, 1, 128, 255);
    }

    @Test
    void readsBoolAsZeroOrOne() throws Exception {
        NpyArray a = numpyWrote("bool_4.npy");
        assertThat(a.dtype()).isEqualTo(NpyArray.Dtype.BOOL);
        assertThat(a.toDoubles()).containsExactly(1, 0, 0, 1);
        // NumPy writes true only as 1, but any non-zero byte is true.
        assertThat(NpyArray.parse("m", npy("|b1", "(2,)", new byte[] {2, 0})).toDoubles()).containsExactly(1, 0);
    }

    @Test
    void readsVersionTwoAndThreeHeaders() throws Exception {
        // np.array([1.5, -2, 0.25], float32) with a 4-byte header length.
        for (String name : new String[] {"float32_3_v2.npy", "float32_3_v3.npy"}) {
            NpyArray a = numpyWrote(name);
            assertThat(a.shapeText()).as(name).isEqualTo("(3,)");
            assertThat(a.toFloats()).as(name).containsExactly(1.5f, -2f, 0.25f);
        }
    }

    @Test
    void refusesTheFortranOrderAndBigEndianFilesNumpyWrote() throws Exception {
        assertThatThrownBy(() -> numpyWrote("float32_2x2_fortran.npy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("float32_2x2_fortran.npy is not a readable .npy array: it is in Fortran (column-major) "
                        + "order; only C order is read: save np.ascontiguousarray(a)");
        assertThatThrownBy(() -> numpyWrote("float32_1_bigendian.npy"))
                .hasMessageStartingWith("float32_1_bigendian.npy is not a readable .npy array: its dtype is '>f4'")
                .hasMessageEndingWith("(big-endian arrays are not read: save with .astype('<f4'))");
    }

    // --- what callers can rely on ---

    @Test
    void isImmutable() {
        byte[] bytes = npy("<f4", "(2,)", le(8, b -> b.putFloat(1f).putFloat(2f)));
        NpyArray a = NpyArray.parse("f", bytes);
        Arrays.fill(bytes, (byte) 0);
        a.shape()[0] = 99;
        a.toFloats()[0] = 99;
        assertThat(a.shape()).containsExactly(2);
        assertThat(a.toFloats()).containsExactly(1f, 2f);
    }

    @Test
    void toFloatsRefusesIntegersRatherThanRoundThem() {
        NpyArray ids = NpyArray.parse("ids.npy", npy("<i8", "(1,)", le(8, b -> b.putLong((1L << 53) + 1))));
        assertThatThrownBy(ids::toFloats).isInstanceOf(IllegalStateException.class)
                .hasMessage("toFloats() reads float64, float32 or float16 arrays, but this one is int64 ('<i8'); "
                        + "use toDoubles()");
    }

    @Test
    void shapeTextIsNumpys() {
        assertThat(NpyArray.shapeText(new long[0])).isEqualTo("()");
        assertThat(NpyArray.shapeText(new long[] {5})).isEqualTo("(5,)");
        assertThat(NpyArray.shapeText(new long[] {2, 77})).isEqualTo("(2, 77)");
        assertThat(NpyArray.parse("z", npy("<f4", "(0, 3)", new byte[0])).count()).isZero();
    }

    @Test
    void tensorsKeepShapeTypeAndValues() throws Exception {
        // Each dtype through ORT and back, including the scalar, float16 (raw bits) and uint8 above 127.
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor t = numpyWrote("float64_5.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.DOUBLE);
            assertThat(t.getInfo().getShape()).containsExactly(5);
            DoubleBuffer b = t.getDoubleBuffer();
            assertThat(b.get(3)).isEqualTo(0.2);
        }
        try (OnnxTensor t = numpyWrote("float32_2x1x3.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.FLOAT);
            assertThat(t.getInfo().getShape()).containsExactly(2, 1, 3);
            FloatBuffer b = t.getFloatBuffer();
            assertThat(b.get(3)).isEqualTo(3.25f);
        }
        try (OnnxTensor t = numpyWrote("float16_2x3.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.FLOAT16);
            assertThat(t.getInfo().getShape()).containsExactly(2, 3);
            ShortBuffer b = t.getShortBuffer();
            assertThat(b.get(2)).isEqualTo((short) 0x7BFF); // 65504
        }
        try (OnnxTensor t = numpyWrote("int64_3.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.INT64);
            LongBuffer b = t.getLongBuffer();
            assertThat(b.get(2)).isEqualTo(1L << 40);
        }
        try (OnnxTensor t = numpyWrote("int32_scalar.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.INT32);
            assertThat(t.getInfo().getShape()).isEmpty();
            IntBuffer b = t.getIntBuffer();
            assertThat(b.get(0)).isEqualTo(-7);
        }
        try (OnnxTensor t = numpyWrote("uint8_2x2.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.UINT8);
            assertThat(t.getByteBuffer().get(3) & 0xff).isEqualTo(255);
        }
        try (OnnxTensor t = numpyWrote("bool_4.npy").toTensor(env)) {
            assertThat(t.getInfo().type).isEqualTo(OnnxJavaType.BOOL);
            assertThat(t.getInfo().getShape()).containsExactly(4);
            assertThat((boolean[]) t.getValue()).containsExactly(true, false, false, true);
        }
    }

    // --- refusals, each naming the source ---
    // Bad inputs tried: a wrong magic, a version 4 header, a header length past the end, Fortran order and an
    // unreadable fortran_order, big-endian '>f4', complex '<c8', a header without 'descr', a non-integer and a
    // negative shape, data short by half an element (truncated) and one element too long, and a shape too large.

    @Test
    void rejectsWrongMagic() {
        assertThatThrownBy(() -> NpyArray.parse("x.npy", "PK\3\4 not numpy".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.npy is not a readable .npy array: it does not start with the magic \\x93NUMPY");
        assertThatThrownBy(() -> NpyArray.parse("--latents x.npy", new byte[] {(byte) 0x93, 'N'}))
                .hasMessageStartingWith("--latents x.npy is not a readable .npy array: it does not start");
    }

    @Test
    void rejectsUnknownVersionAndTruncatedHeader() {
        byte[] ok = npy("<f4", "(1,)", new byte[4]);
        byte[] v4 = ok.clone();
        v4[6] = 4;
        assertThatThrownBy(() -> NpyArray.parse("x.npy", v4))
                .hasMessageContaining("format version is 4.0; known: 1.0, 2.0, 3.0");
        byte[] cut = Arrays.copyOf(ok, 20);
        assertThatThrownBy(() -> NpyArray.parse("x.npy", cut))
                .hasMessage("x.npy is not a readable .npy array: it is truncated in the header (118 header bytes "
                        + "announced, 10 present)");
        assertThatThrownBy(() -> NpyArray.parse("x.npy", Arrays.copyOf(ok, 11)))
                .hasMessageContaining("truncated in the header");
    }

    @Test
    void rejectsFortranOrderAndAnUnreadableFlag() {
        byte[] f = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]);
        assertThatThrownBy(() -> NpyArray.parse("f.npy", f))
                .hasMessageContaining("f.npy is not a readable .npy array: it is in Fortran (column-major) order");
        byte[] odd = npy(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", new byte[4]);
        assertThatThrownBy(() -> NpyArray.parse("f.npy", odd))
                .hasMessageContaining("its 'fortran_order' is 0; expected True or False");
    }

    @Test
    void rejectsUnsupportedDtypesNamingTheSupportedOnes() {
        assertThatThrownBy(() -> NpyArray.parse("be.npy", npy(">f4", "(1,)", new byte[4])))
                .hasMessageContaining("its dtype is '>f4'; supported: '<f8' (float64), '<f4' (float32), "
                        + "'<f2' (float16), '<i8' (int64), '<i4' (int32), '|u1' (uint8), '|b1' (bool)")
                .hasMessageContaining("big-endian");
        assertThatThrownBy(() -> NpyArray.parse("c.npy", npy("<c8", "(1,)", new byte[8])))
                .hasMessageContaining("its dtype is '<c8'; supported:")
                .hasMessageNotContaining("big-endian");
        assertThatThrownBy(() -> NpyArray.parse("h.npy", npy(1, "{'fortran_order': False, 'shape': (1,), }",
                new byte[4]))).hasMessageStartingWith("h.npy is not a readable .npy array: its header has no 'descr'");
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> NpyArray.parse("s.npy", npy("<f4", "(2, n)", new byte[8])))
                .hasMessageContaining("its shape is not a tuple of integers: (2, n)");
        assertThatThrownBy(() -> NpyArray.parse("s.npy", npy("<f4", "(2, -1)", new byte[8])))
                .hasMessageContaining("its shape has a negative dimension: (2, -1)");
        // 2^20 x 2^20 float32 is 4 TiB: refused by the shape alone, before any size arithmetic can overflow.
        assertThatThrownBy(() -> NpyArray.parse("s.npy", npy("<f4", "(1048576, 1048576)", new byte[8])))
                .hasMessageContaining("its shape (1048576, 1048576) has more than 536870909 elements of '<f4'");
    }

    @Test
    void rejectsDataThatDoesNotMatchTheShape() {
        // (3,) of float64 needs 24 bytes; 20 is two values and half of the third.
        assertThatThrownBy(() -> NpyArray.parse("t.npy", npy("<f8", "(3,)", new byte[20])))
                .hasMessage("t.npy is not a readable .npy array: it holds 2 values, but its shape says 3: (3,) of "
                        + "'<f8' is 24 data bytes, and it has 20 (truncated?)");
        // (2, 3) of int64 needs 48 bytes.
        assertThatThrownBy(() -> NpyArray.parse("t.npy", npy("<i8", "(2, 3)", new byte[40])))
                .hasMessageContaining("it holds 5 values, but its shape says 6: (2, 3) of '<i8' is 48 data bytes, "
                        + "and it has 40 (truncated?)");
        assertThatThrownBy(() -> NpyArray.parse("t.npy", npy("<i8", "(2, 3)", new byte[56])))
                .hasMessageEndingWith("(2, 3) of '<i8' is 48 data bytes, and it has 56");
    }
}
