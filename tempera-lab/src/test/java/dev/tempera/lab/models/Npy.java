package dev.tempera.lab.models;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An n-dimensional array read whole from NumPy's {@code .npy} format, for the golden-tensor tests.
 *
 * <p>The format: the magic {@code \x93NUMPY}, a version byte pair (1.0: a 2-byte header length;
 * 2.0 and 3.0: 4 bytes), a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 77), }} padded with spaces, then the
 * raw elements. Only little-endian, C-order arrays of the {@link Dtype}s below are read; anything
 * else ({@code >f4}, {@code <c8}, {@code fortran_order: True}, object arrays) is rejected with a
 * message naming the file, rather than read wrongly. Rank 0 (shape {@code ()}) holds one element.
 *
 * <p>Immutable; {@link #toTensor} copies the data into a new {@link OnnxTensor} that the caller
 * must close.
 *
 * <pre>{@code
 * Npy ids = Npy.read(caseDir.resolve("input.input_ids.npy"));
 * try (OnnxTensor t = ids.toTensor(OrtEnvironment.getEnvironment())) { ... }
 * }</pre>
 *
 * <p>Unlike the CLI's {@code NpyReader} (1-D float logits), this keeps the dtype and the shape.
 */
final class Npy {

    /** The element types the golden cases use, with NumPy's little-endian descriptor. */
    enum Dtype {
        FLOAT32("<f4", 4, OnnxJavaType.FLOAT),
        FLOAT16("<f2", 2, OnnxJavaType.FLOAT16),
        INT64("<i8", 8, OnnxJavaType.INT64),
        INT32("<i4", 4, OnnxJavaType.INT32),
        BOOL("|b1", 1, OnnxJavaType.BOOL);

        final String descr;
        final int width;
        final OnnxJavaType onnxType;

        Dtype(String descr, int width, OnnxJavaType onnxType) {
            this.descr = descr;
            this.width = width;
            this.onnxType = onnxType;
        }

        static Dtype ofDescr(String descr) {
            for (Dtype d : values()) {
                if (d.descr.equals(descr)) {
                    return d;
                }
            }
            return null;
        }

        static Dtype ofOnnx(OnnxJavaType type) {
            for (Dtype d : values()) {
                if (d.onnxType == type) {
                    return d;
                }
            }
            return null;
        }

        static String supported() {
            StringBuilder s = new StringBuilder();
            for (Dtype d : values()) {
                s.append(s.length() == 0 ? "" : ", ").append('\'').append(d.descr).append("' (")
                        .append(d.name().toLowerCase(java.util.Locale.ROOT)).append(')');
            }
            return s.toString();
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Dtype dtype;
    private final long[] shape;
    private final ByteBuffer data;

    private Npy(Dtype dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a supported {@code .npy} array; the message names the file
     */
    static Npy read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /**
     * @param name the file, for messages
     * @throws IllegalArgumentException if the bytes are not a supported {@code .npy} array
     */
    static Npy parse(String name, byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw bad(name, "it does not start with the magic \\x93NUMPY");
            }
        }
        if (bytes.length < 10) {
            throw bad(name, "it is truncated in the header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6] & 0xff;
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw bad(name, "it is truncated in the header");
            }
            headerLen = buf.getInt(8);
            headerStart = 12;
        } else {
            throw bad(name, "its format version is " + major + "." + (bytes[7] & 0xff) + "; known: 1.0, 2.0, 3.0");
        }
        if (headerLen < 0 || (long) headerStart + headerLen > bytes.length) {
            throw bad(name, "it is truncated in the header (" + headerLen + " header bytes announced, "
                    + (bytes.length - headerStart) + " present)");
        }
        String header = new String(bytes, headerStart, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        String descr = group(name, DESCR, header, "descr");
        Dtype dtype = Dtype.ofDescr(descr);
        if (dtype == null) {
            throw bad(name, "its dtype is '" + descr + "'; supported: " + Dtype.supported()
                    + (descr.startsWith(">") ? " (big-endian arrays are not read: save with .astype('<"
                            + descr.substring(1) + "'))" : ""));
        }
        String fortran = group(name, FORTRAN, header, "fortran_order");
        if (fortran.equals("True")) {
            throw bad(name, "it is in Fortran (column-major) order; only C order is read: save np.ascontiguousarray(a)");
        } else if (!fortran.equals("False")) {
            throw bad(name, "its 'fortran_order' is " + fortran + "; expected True or False");
        }
        long[] shape = parseShape(name, group(name, SHAPE, header, "shape"));
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        int dataStart = headerStart + headerLen;
        long needed = count * dtype.width;
        long present = bytes.length - dataStart;
        if (needed > Integer.MAX_VALUE) {
            throw bad(name, "its shape " + shapeString(shape) + " has " + count + " elements; at most "
                    + Integer.MAX_VALUE / dtype.width + " are read");
        }
        if (present != needed) {
            throw bad(name, "it holds " + present + " data bytes, but shape " + shapeString(shape) + " of '"
                    + descr + "' needs " + needed + (present < needed ? " (truncated?)" : ""));
        }
        return new Npy(dtype, shape, ByteBuffer.wrap(bytes, dataStart, (int) needed).slice());
    }

    private static long[] parseShape(String name, String inner) {
        // "" -> (), "5," -> (5,), "2, 77" -> (2, 77); a trailing comma is optional except for rank 1.
        String s = inner.trim();
        if (s.isEmpty()) {
            return new long[0];
        }
        if (s.endsWith(",")) {
            s = s.substring(0, s.length() - 1);
        }
        String[] parts = s.split(",", -1);
        long[] shape = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(name, "its shape is not a tuple of integers: (" + inner + ")");
            }
            if (shape[i] < 0) {
                throw bad(name, "its shape has a negative dimension: (" + inner + ")");
            }
        }
        return shape;
    }

    Dtype dtype() {
        return dtype;
    }

    /** A copy; rank 0 is an empty array. */
    long[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape, 1 for rank 0. */
    int count() {
        return data.capacity() / dtype.width;
    }

    /**
     * The element at a C-order flat index as a double: float16 widened, bool as 0 or 1. Every
     * int32 and float value is exact; int64 is exact up to 2^53, which token ids stay under.
     */
    double valueAt(int flat) {
        return switch (dtype) {
            case FLOAT32 -> data.getFloat(4 * flat);
            case FLOAT16 -> halfToFloat(data.getShort(2 * flat));
            case INT64 -> data.getLong(8 * flat);
            case INT32 -> data.getInt(4 * flat);
            case BOOL -> data.get(flat) != 0 ? 1 : 0;
        };
    }

    /**
     * A new tensor with this array's shape and ONNX type (float16 as raw bits); the caller closes it.
     */
    OnnxTensor toTensor(OrtEnvironment env) throws OrtException {
        ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        // ORT reads the buffers in native order; copy into one so a big-endian host still works.
        ByteBuffer direct = ByteBuffer.allocateDirect(d.capacity()).order(ByteOrder.nativeOrder());
        return switch (dtype) {
            case FLOAT32 -> {
                direct.asFloatBuffer().put(d.asFloatBuffer());
                yield OnnxTensor.createTensor(env, direct.asFloatBuffer(), shape.clone());
            }
            case FLOAT16 -> {
                direct.asShortBuffer().put(d.asShortBuffer());
                yield OnnxTensor.createTensor(env, direct.asShortBuffer(), shape.clone(), OnnxJavaType.FLOAT16);
            }
            case INT64 -> {
                direct.asLongBuffer().put(d.asLongBuffer());
                yield OnnxTensor.createTensor(env, direct.asLongBuffer(), shape.clone());
            }
            case INT32 -> {
                direct.asIntBuffer().put(d.asIntBuffer());
                yield OnnxTensor.createTensor(env, direct.asIntBuffer(), shape.clone());
            }
            case BOOL -> {
                direct.put(d);
                direct.rewind();
                yield OnnxTensor.createTensor(env, direct, shape.clone(), OnnxJavaType.BOOL);
            }
        };
    }

    /** NumPy's spelling: {@code ()}, {@code (5,)}, {@code (2, 77)}. */
    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        String s = Arrays.toString(shape);
        return "(" + s.substring(1, s.length() - 1) + ")";
    }

    /** IEEE 754 binary16 bits to float, exact (subnormals, infinities and NaN included). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exp == 0) {
            float v = mantissa * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 127 - 15) << 23) | (mantissa << 13));
    }

    private static String group(String name, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw bad(name, "its header has no '" + key + "': " + header);
        }
        return m.group(1);
    }

    private static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException(name + " is not a readable .npy array: " + why);
    }

    @Override
    public String toString() {
        return "Npy[" + dtype.descr + " " + shapeString(shape) + "]";
    }
}
