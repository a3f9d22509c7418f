package dev.tempera.runtime.io;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.tempera.runtime.onnx.Float16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An n-dimensional array read whole from NumPy's {@code .npy} format ({@code np.save}), keeping its element type and
 * shape: golden tensors, logits dumps, starting latents.
 *
 * <p>The format: the magic {@code \x93NUMPY}, a version byte pair (1.0: a 2-byte header length; 2.0 and 3.0: 4
 * bytes), a Python dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 77), }} padded
 * with spaces, then the elements. Only little-endian, C-order arrays of the {@link Dtype}s are read, holding exactly
 * as many bytes as the shape needs; anything else ({@code >f4}, {@code <c8}, {@code fortran_order: True}, object
 * arrays, a truncated file) is refused with a message that starts with the caller's name for the source, rather than
 * read wrongly. Rank 0 (shape {@code ()}) holds one element.
 *
 * <p>Callers check the dtype and rank they need themselves, so that their message can say what the option is for:
 *
 * <pre>{@code
 * NpyArray a = NpyArray.parse("--latents " + file, Files.readAllBytes(file));
 * if (a.dtype() != NpyArray.Dtype.FLOAT32) { ... }
 * float[] values = a.toFloats();
 * }</pre>
 *
 * <p>Immutable and safe to share between threads: {@link #parse} copies the data out of the caller's bytes, and
 * {@link #shape()}, {@link #toFloats()}, {@link #toDoubles()} return new arrays. {@link #toTensor} makes a new
 * {@link OnnxTensor} that the caller must close.
 */
public final class NpyArray {

    /** The element types read, with NumPy's descriptor ({@code <} little-endian, {@code |} single byte). */
    public enum Dtype {
        FLOAT64("<f8", 8, OnnxJavaType.DOUBLE),
        FLOAT32("<f4", 4, OnnxJavaType.FLOAT),
        FLOAT16("<f2", 2, OnnxJavaType.FLOAT16),
        INT64("<i8", 8, OnnxJavaType.INT64),
        INT32("<i4", 4, OnnxJavaType.INT32),
        UINT8("|u1", 1, OnnxJavaType.UINT8),
        BOOL("|b1", 1, OnnxJavaType.BOOL);

        private final String descr;
        private final int width;
        private final OnnxJavaType onnxType;

        Dtype(String descr, int width, OnnxJavaType onnxType) {
            this.descr = descr;
            this.width = width;
            this.onnxType = onnxType;
        }

        /** NumPy's descriptor, as in the header: {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** Bytes per element. */
        public int width() {
            return width;
        }

        /** The ONNX Runtime element type of {@link #toTensor} (float16 travels as raw bits). */
        public OnnxJavaType onnxType() {
            return onnxType;
        }

        /** float64, float32 or float16: the types {@link #toFloats()} reads. */
        public boolean isFloating() {
            return this == FLOAT64 || this == FLOAT32 || this == FLOAT16;
        }

        private static Dtype ofDescr(String descr) {
            for (Dtype d : values()) {
                if (d.descr.equals(descr)) {
                    return d;
                }
            }
            return null;
        }

        private static String supported() {
            return Arrays.stream(values()).map(d -> "'" + d.descr + "' (" + d.name().toLowerCase(Locale.ROOT) + ")")
                    .collect(Collectors.joining(", "));
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(\\w+)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Dtype dtype;
    private final long[] shape;
    /** The elements, little-endian, C order; never handed out. */
    private final byte[] data;

    private NpyArray(Dtype dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * Reads {@code file}; messages name it by its path.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a readable {@code .npy} array (see {@link #parse})
     */
    public static NpyArray read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /**
     * Parses the bytes of a {@code .npy} file.
     *
     * @param source how messages name the bytes: a path, or an option and its value ({@code "--latents a.npy"})
     * @throws IllegalArgumentException {@code "<source> is not a readable .npy array: <why>"} when the magic, the
     *     version or the header is off, the dtype is not one of {@link Dtype} (big-endian included), the array is in
     *     Fortran order, or the data is shorter or longer than the shape needs
     */
    public static NpyArray parse(String source, byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw bad(source, "it does not start with the magic \\x93NUMPY");
            }
        }
        if (bytes.length < 10) {
            throw bad(source, "it is truncated in the header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6] & 0xff;
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw bad(source, "it is truncated in the header");
            }
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw bad(source, "its format version is " + major + "." + (bytes[7] & 0xff) + "; known: 1.0, 2.0, 3.0");
        }
        if (headerStart + headerLen > bytes.length) {
            throw bad(source, "it is truncated in the header (" + headerLen + " header bytes announced, "
                    + (bytes.length - headerStart) + " present)");
        }
        // Version 3.0 differs from 2.0 only in allowing UTF-8 in the header (field names of structured arrays).
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        String descr = group(source, DESCR, header, "descr");
        Dtype dtype = Dtype.ofDescr(descr);
        if (dtype == null) {
            String littleEndian = "<" + descr.substring(Math.min(1, descr.length()));
            throw bad(source, "its dtype is '" + descr + "'; supported: " + Dtype.supported()
                    + (descr.startsWith(">") && Dtype.ofDescr(littleEndian) != null
                            ? " (big-endian arrays are not read: save with .astype('" + littleEndian + "'))" : ""));
        }
        String fortran = group(source, FORTRAN, header, "fortran_order");
        if (fortran.equals("True")) {
            throw bad(source, "it is in Fortran (column-major) order; only C order is read: "
                    + "save np.ascontiguousarray(a)");
        } else if (!fortran.equals("False")) {
            throw bad(source, "its 'fortran_order' is " + fortran + "; expected True or False");
        }
        long[] shape = parseShape(source, group(source, SHAPE, header, "shape"));
        int maxCount = (Integer.MAX_VALUE - 8) / dtype.width;
        long count = Arrays.stream(shape).anyMatch(d -> d == 0) ? 0 : 1;
        for (int i = 0; i < shape.length && count > 0; i++) {
            // dimensions are >= 1 here and count <= maxCount, so the product cannot overflow before the check
            count *= Math.min(shape[i], (long) maxCount + 1);
            if (count > maxCount) {
                throw bad(source, "its shape " + shapeText(shape) + " has more than " + maxCount + " elements of '"
                        + descr + "', the most that are read");
            }
        }
        long dataStart = headerStart + headerLen;
        long present = bytes.length - dataStart;
        long needed = count * dtype.width;
        if (present != needed) {
            throw bad(source, "it holds " + present / dtype.width + " values, but its shape says " + count + ": "
                    + shapeText(shape) + " of '" + descr + "' is " + needed + " data bytes, and it has " + present
                    + (present < needed ? " (truncated?)" : ""));
        }
        return new NpyArray(dtype, shape, Arrays.copyOfRange(bytes, (int) dataStart, bytes.length));
    }

    private static long[] parseShape(String source, String inner) {
        // "" -> (), "5," -> (5,), "2, 77" -> (2, 77): the trailing comma is optional except at rank 1.
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
                throw bad(source, "its shape is not a tuple of integers: (" + inner + ")");
            }
            if (shape[i] < 0) {
                throw bad(source, "its shape has a negative dimension: (" + inner + ")");
            }
        }
        return shape;
    }

    private static String group(String source, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw bad(source, "its header has no '" + key + "': " + header);
        }
        return m.group(1);
    }

    private static IllegalArgumentException bad(String source, String why) {
        return new IllegalArgumentException(source + " is not a readable .npy array: " + why);
    }

    public Dtype dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for rank 0. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions; 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements: the product of the shape, 1 for rank 0, 0 when a dimension is 0. */
    public int count() {
        return data.length / dtype.width;
    }

    /**
     * The elements of a floating-point array as a new {@code float[]}, in C order: float32 and float16 exactly,
     * float64 rounded to the nearest float (beyond ±3.4e38 to ±infinity).
     *
     * @throws IllegalStateException when the dtype is not floating-point ({@link Dtype#isFloating()}): integers are
     *     not silently rounded; use {@link #toDoubles()}
     */
    public float[] toFloats() {
        if (!dtype.isFloating()) {
            throw new IllegalStateException("toFloats() reads float64, float32 or float16 arrays, but this one is "
                    + dtype.name().toLowerCase(Locale.ROOT) + " ('" + dtype.descr + "'); use toDoubles()");
        }
        ByteBuffer b = little();
        float[] out = new float[count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT64 -> (float) b.getDouble(8 * i);
                case FLOAT32 -> b.getFloat(4 * i);
                default -> Float16.toFloat(b.getShort(2 * i));
            };
        }
        return out;
    }

    /**
     * The elements as a new {@code double[]}, in C order: bool as 0 or 1. Exact for every dtype except int64
     * beyond ±2^53, which is rounded.
     */
    public double[] toDoubles() {
        ByteBuffer b = little();
        double[] out = new double[count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype) {
                case FLOAT64 -> b.getDouble(8 * i);
                case FLOAT32 -> b.getFloat(4 * i);
                case FLOAT16 -> Float16.toFloat(b.getShort(2 * i));
                case INT64 -> b.getLong(8 * i);
                case INT32 -> b.getInt(4 * i);
                case UINT8 -> b.get(i) & 0xff;
                case BOOL -> b.get(i) != 0 ? 1 : 0;
            };
        }
        return out;
    }

    /**
     * A new tensor with this array's shape and {@link Dtype#onnxType()} (float16 as its raw bits), holding a copy of
     * the elements; the caller closes it.
     *
     * @throws OrtException when ONNX Runtime cannot create the tensor
     */
    public OnnxTensor toTensor(OrtEnvironment env) throws OrtException {
        ByteBuffer src = little();
        // ORT reads direct buffers in native order; copying through typed views makes a big-endian host work too.
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).order(ByteOrder.nativeOrder());
        long[] dims = shape.clone();
        return switch (dtype) {
            case FLOAT64 -> {
                direct.asDoubleBuffer().put(src.asDoubleBuffer());
                yield OnnxTensor.createTensor(env, direct.asDoubleBuffer(), dims);
            }
            case FLOAT32 -> {
                direct.asFloatBuffer().put(src.asFloatBuffer());
                yield OnnxTensor.createTensor(env, direct.asFloatBuffer(), dims);
            }
            case FLOAT16 -> {
                direct.asShortBuffer().put(src.asShortBuffer());
                yield OnnxTensor.createTensor(env, direct.asShortBuffer(), dims, OnnxJavaType.FLOAT16);
            }
            case INT64 -> {
                direct.asLongBuffer().put(src.asLongBuffer());
                yield OnnxTensor.createTensor(env, direct.asLongBuffer(), dims);
            }
            case INT32 -> {
                direct.asIntBuffer().put(src.asIntBuffer());
                yield OnnxTensor.createTensor(env, direct.asIntBuffer(), dims);
            }
            case UINT8, BOOL -> {
                direct.put(src).rewind();
                yield OnnxTensor.createTensor(env, direct, dims, dtype.onnxType);
            }
        };
    }

    private ByteBuffer little() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** This array's shape as NumPy prints it; see {@link #shapeText(long[])}. */
    public String shapeText() {
        return shapeText(shape);
    }

    /** A shape as NumPy prints it: {@code ()}, {@code (5,)}, {@code (2, 77)}. */
    public static String shapeText(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code NpyArray[<f4 (2, 77)]}. */
    @Override
    public String toString() {
        return "NpyArray[" + dtype.descr + " " + shapeText(shape) + "]";
    }
}
