package dev.tempera.runtime.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads which external data files an {@code .onnx} file's initializers point at, so that a missing one is reported by
 * name before ONNX Runtime fails on it. Only the few protobuf fields on the way are decoded
 * ({@code ModelProto.graph} = 7 → {@code GraphProto.initializer} = 5 → {@code TensorProto.external_data} = 13 with key
 * {@code location}, {@code data_location} = 14); everything else, weights included, is skipped by seeking, so a large
 * model costs a few reads. Initializers inside subgraphs are not looked at.
 *
 * <p>The scan is a courtesy: a file it cannot parse yields "unknown" and ONNX Runtime has the last word.
 */
final class OnnxExternalData {

    private static final int MAX_LOCATION_BYTES = 4096;
    private static final long EXTERNAL = 1;

    private OnnxExternalData() {}

    /** The distinct {@code location}s of the main graph's external initializers; empty when unparseable. */
    static Optional<List<String>> locations(Path model) {
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ)) {
            Reader r = new Reader(ch);
            Set<String> found = new LinkedHashSet<>();
            long end = ch.size();
            while (r.position() < end) {
                long tag = r.varint();
                if (tag >>> 3 == 7 && (tag & 7) == 2) {
                    long graphEnd = r.lengthEnd(end);
                    scanGraph(r, graphEnd, found);
                    r.seek(graphEnd);
                } else {
                    r.skip(tag, end);
                }
            }
            return Optional.of(new ArrayList<>(found));
        } catch (IOException | MalformedException e) {
            return Optional.empty();
        }
    }

    /**
     * Fails when an external data file {@code model} names is not where ONNX Runtime will look (relative to the
     * model's folder).
     *
     * @throws IllegalStateException naming each missing file and where it was expected
     */
    static void requirePresent(Path model) {
        List<String> names = locations(model).orElse(List.of());
        Path folder = model.toAbsolutePath().getParent();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Path p = folder.resolve(name).normalize();
            if (!Files.isRegularFile(p)) {
                missing.add("'" + name + "' (expected at " + p + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(model + " keeps its weights in external data, but "
                    + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " missing: download the "
                    + "'" + model.getFileName() + "_data' files of this graph too and keep them next to the .onnx file");
        }
    }

    private static void scanGraph(Reader r, long end, Set<String> found) throws IOException, MalformedException {
        while (r.position() < end) {
            long tag = r.varint();
            if (tag >>> 3 == 5 && (tag & 7) == 2) {
                long tensorEnd = r.lengthEnd(end);
                scanTensor(r, tensorEnd, found);
                r.seek(tensorEnd);
            } else {
                r.skip(tag, end);
            }
        }
    }

    private static void scanTensor(Reader r, long end, Set<String> found) throws IOException, MalformedException {
        String location = null;
        boolean external = false;
        while (r.position() < end) {
            long tag = r.varint();
            if (tag >>> 3 == 13 && (tag & 7) == 2) {
                long entryEnd = r.lengthEnd(end);
                String key = null;
                String value = null;
                while (r.position() < entryEnd) {
                    long t = r.varint();
                    if ((t >>> 3 == 1 || t >>> 3 == 2) && (t & 7) == 2) {
                        String s = r.string(entryEnd);
                        if (t >>> 3 == 1) {
                            key = s;
                        } else {
                            value = s;
                        }
                    } else {
                        r.skip(t, entryEnd);
                    }
                }
                r.seek(entryEnd);
                if ("location".equals(key) && value != null) {
                    location = value;
                }
            } else if (tag >>> 3 == 14 && (tag & 7) == 0) {
                external = r.varint() == EXTERNAL;
            } else {
                r.skip(tag, end);
            }
        }
        if (external && location != null && !location.isEmpty()) {
            found.add(location);
        }
    }

    private static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** A forward protobuf reader over a file that skips by seeking. */
    private static final class Reader {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(8192);
        private long bufStart;

        Reader(FileChannel ch) {
            this.ch = ch;
            buf.limit(0);
        }

        long position() {
            return bufStart + buf.position();
        }

        void seek(long pos) {
            if (pos >= bufStart && pos <= bufStart + buf.limit()) {
                buf.position((int) (pos - bufStart));
            } else {
                bufStart = pos;
                buf.limit(0);
            }
        }

        int read() throws IOException, MalformedException {
            if (!buf.hasRemaining()) {
                bufStart += buf.limit();
                buf.clear();
                int n = ch.read(buf, bufStart);
                buf.flip();
                if (n <= 0) {
                    throw new MalformedException("unexpected end of file");
                }
            }
            return buf.get() & 0xff;
        }

        long varint() throws IOException, MalformedException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                v |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return v;
                }
            }
            throw new MalformedException("varint longer than 10 bytes");
        }

        /** Reads a length and returns where that length-delimited field ends (checked against {@code limit}). */
        long lengthEnd(long limit) throws IOException, MalformedException {
            long len = varint();
            long end = position() + len;
            if (len < 0 || end > limit) {
                throw new MalformedException("field runs past its parent");
            }
            return end;
        }

        String string(long limit) throws IOException, MalformedException {
            long end = lengthEnd(limit);
            long len = end - position();
            if (len > MAX_LOCATION_BYTES) {
                throw new MalformedException("string too long");
            }
            byte[] bytes = new byte[(int) len];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) read();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip(long tag, long limit) throws IOException, MalformedException {
            switch ((int) (tag & 7)) {
                case 0 -> varint();
                case 1 -> seekWithin(position() + 8, limit);
                case 2 -> seek(lengthEnd(limit));
                case 5 -> seekWithin(position() + 4, limit);
                default -> throw new MalformedException("unsupported wire type " + (tag & 7));
            }
        }

        private void seekWithin(long pos, long limit) throws MalformedException {
            if (pos > limit) {
                throw new MalformedException("field runs past its parent");
            }
            seek(pos);
        }
    }
}
