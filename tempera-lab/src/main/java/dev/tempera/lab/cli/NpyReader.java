package dev.tempera.lab.cli;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a 1-D little-endian float32 or float64 array from NumPy's {@code .npy} format: the magic
 * {@code \x93NUMPY}, a version (1.0: 2-byte header length; 2.0 and 3.0: 4 bytes), then a Python
 * dict literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (4,), }} padded
 * with spaces, then the raw data.
 */
final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {}

    /**
     * @param name the file, for messages
     * @throws IllegalArgumentException if the bytes are not a 1-D {@code <f4} / {@code <f8} array
     */
    static float[] read(String name, byte[] bytes) {
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
            throw bad(name, "its format version is " + major + "; known: 1, 2, 3");
        }
        if (headerLen < 0 || headerStart + headerLen > bytes.length) {
            throw bad(name, "it is truncated in the header");
        }
        String header = new String(bytes, headerStart, headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(name, DESCR, header, "descr");
        int width;
        if (descr.equals("<f4")) {
            width = 4;
        } else if (descr.equals("<f8")) {
            width = 8;
        } else {
            throw bad(name, "its dtype is '" + descr + "'; supported: '<f4' (float32), '<f8' (float64)");
        }
        String[] dims = group(name, SHAPE, header, "shape").split(",");
        long count = 1;
        int rank = 0;
        for (String d : dims) {
            if (!d.isBlank()) {
                rank++;
                try {
                    count *= Long.parseLong(d.trim());
                } catch (NumberFormatException e) {
                    throw bad(name, "its shape is not a tuple of integers: (" + String.join(",", dims) + ")");
                }
            }
        }
        if (rank != 1) {
            throw bad(name, "its shape has " + rank + " dimensions; a 1-D array of logits is needed");
        }
        int dataStart = headerStart + headerLen;
        if (count > Integer.MAX_VALUE || bytes.length - dataStart < count * width) {
            throw bad(name, "it holds " + (bytes.length - dataStart) / width + " values, but its shape says "
                    + count);
        }
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = width == 4 ? buf.getFloat(dataStart + 4 * i) : (float) buf.getDouble(dataStart + 8 * i);
        }
        return out;
    }

    private static String group(String name, Pattern p, String header, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw bad(name, "its header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static IllegalArgumentException bad(String name, String why) {
        return new IllegalArgumentException("--logits-file " + name + " is not a readable .npy array: " + why);
    }
}
