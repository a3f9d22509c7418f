package dev.tempera.lab.cli.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A little-endian float32 array of any rank from NumPy's {@code .npy} format
 * ({@code np.save(f, a.astype(np.float32))}): the magic {@code \x93NUMPY}, a version (1.0: 2-byte header length; 2.0
 * and 3.0: 4 bytes), a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 64, 64), }}, then the values in C order.
 *
 * <p>{@code dev.tempera.lab.cli.NpyReader} reads the 1-D logits of {@code --logits-file}; this one keeps the shape,
 * which latents need, and refuses what would silently change the values: another dtype (float64 would be rounded),
 * big-endian data, Fortran order.
 *
 * @param shape the array's shape (empty for a scalar)
 * @param values the values, row-major
 */
record NpyFloat32(long[] shape, float[] values) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The shape as NumPy prints it, {@code (2, 4, 64, 64)}. */
    String shapeText() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * Parses {@code bytes}.
     *
     * @param what how messages name the input, e.g. {@code "--latents start.npy"}
     * @throws IllegalArgumentException naming {@code what} and the problem, when the bytes are not a little-endian
     *     float32 C-order array, or hold fewer values than the shape says
     */
    static NpyFloat32 parse(String what, byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw bad(what, "it does not start with the magic \\x93NUMPY");
            }
        }
        if (bytes.length < 10) {
            throw bad(what, "it is truncated in the header");
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
                throw bad(what, "it is truncated in the header");
            }
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw bad(what, "its format version is " + major + "; known: 1, 2, 3");
        }
        if (headerStart + headerLen > bytes.length) {
            throw bad(what, "it is truncated in the header");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(what, DESCR, header, "descr");
        if (!descr.equals("<f4")) {
            throw bad(what, "its dtype is '" + descr + "'; it must be '<f4' (little-endian float32: "
                    + "np.save(f, a.astype(np.float32)))");
        }
        if (group(what, FORTRAN, header, "fortran_order").equals("True")) {
            throw bad(what, "it is in Fortran order; save a C-order array (np.ascontiguousarray)");
        }
        List<Long> dims = new ArrayList<>();
        for (String d : group(what, SHAPE, header, "shape").split(",")) {
            if (!d.isBlank()) {
                try {
                    dims.add(Long.parseLong(d.trim()));
                } catch (NumberFormatException e) {
                    throw bad(what, "its shape is not a tuple of integers: " + header.trim());
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw bad(what, "its shape has a negative dimension: " + Arrays.toString(shape));
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw bad(what, "it holds more than " + Integer.MAX_VALUE + " values");
            }
        }
        long dataStart = headerStart + headerLen;
        if ((bytes.length - dataStart) / 4 < count) {
            throw bad(what, "it holds " + (bytes.length - dataStart) / 4 + " values, but its shape "
                    + Arrays.toString(shape) + " says " + count);
        }
        float[] values = new float[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = buf.getFloat((int) dataStart + 4 * i);
        }
        return new NpyFloat32(shape, values);
    }

    private static String group(String what, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw bad(what, "its header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static IllegalArgumentException bad(String what, String why) {
        return new IllegalArgumentException(what + " is not a readable float32 .npy array: " + why);
    }
}
