package dev.tempera.runtime.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Test resources: the qwen2vl/ folder, and a reader for the little-endian float32 / uint8 .npy(.gz) files in it. */
final class NpyTestFiles {

    private NpyTestFiles() {}

    /** A C-order array: its shape and values (uint8 arrays are widened to 0..255). */
    record Npy(int[] shape, float[] values) {
        int rows() {
            return shape[0];
        }
    }

    static Path resource(String relative) {
        try {
            var url = NpyTestFiles.class.getResource("/qwen2vl/" + relative);
            if (url == null) {
                throw new IllegalStateException("missing test resource qwen2vl/" + relative);
            }
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Npy read(Path file) {
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalStateException(file + " is not a .npy file");
        }
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            start = 10;
        } else {
            headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        }
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) {
            throw new IllegalStateException(file + ": Fortran order not supported");
        }
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        if (!m.find()) {
            throw new IllegalStateException(file + ": no shape in header " + header);
        }
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        int data = start + headerLen;
        float[] values = new float[count];
        if (header.contains("'<f4'")) {
            ByteBuffer.wrap(bytes, data, count * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        } else if (header.contains("'|u1'")) {
            for (int i = 0; i < count; i++) {
                values[i] = bytes[data + i] & 0xFF;
            }
        } else {
            throw new IllegalStateException(file + ": only <f4 and |u1 are supported, header " + header);
        }
        return new Npy(shape, values);
    }
}
