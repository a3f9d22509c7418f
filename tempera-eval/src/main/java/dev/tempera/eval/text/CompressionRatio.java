package dev.tempera.eval.text;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * The zlib compression ratio of a text, as Whisper computes it to catch repetitive output: UTF-8 bytes divided by
 * zlib-compressed bytes. Higher means more repetitive, i.e. less diverse.
 *
 * <p>Definition (openai/whisper {@code whisper/utils.py} {@code compression_ratio}, eval anchors §1.7):
 * {@code len(text.encode("utf-8")) / len(zlib.compress(text_bytes))}, zlib's default level (−1 = 6) with the zlib
 * container (2-byte header, 4-byte Adler-32). Here {@link Deflater} with {@link Deflater#DEFAULT_COMPRESSION}
 * and {@code nowrap = false} produces the same stream. Whisper re-decodes a segment whose ratio exceeds 2.4.
 * For a set, {@link #ofSet} compresses the outputs joined with one space (the concatenation the diversity papers
 * use, cshaib/diversity), with the Whisper codec, not their double gzip.
 *
 * <p>What callers trip on: short texts are dominated by the 6 container bytes (an empty text is 0 bytes over 8,
 * ratio 0; never NaN), so compare ratios of texts of similar size and look at the byte counts too.
 *
 * @param rawBytes UTF-8 bytes of the text
 * @param compressedBytes bytes of the zlib stream (≥ 8: even empty input has a header, a block and a checksum)
 */
public record CompressionRatio(int rawBytes, int compressedBytes) {

    public CompressionRatio {
        if (rawBytes < 0 || compressedBytes < 1) {
            throw new IllegalArgumentException("rawBytes must be >= 0 and compressedBytes >= 1, but are: " + rawBytes
                    + " and " + compressedBytes);
        }
    }

    /** Whisper's ratio for one text. */
    public static CompressionRatio of(String text) {
        Objects.requireNonNull(text, "text");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new CompressionRatio(bytes.length, zlibLength(bytes));
    }

    /** The ratio of the outputs joined with single spaces. */
    public static CompressionRatio ofSet(List<String> outputs) {
        Objects.requireNonNull(outputs, "outputs");
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == null) {
                throw new IllegalArgumentException("outputs[" + i + "] must be a string, but is: null");
            }
        }
        return of(String.join(" ", outputs));
    }

    /** rawBytes / compressedBytes. */
    public double ratio() {
        return (double) rawBytes / compressedBytes;
    }

    /** The length of {@code zlib.compress(bytes)} at the default level. */
    static int zlibLength(byte[] bytes) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
        try {
            deflater.setInput(bytes);
            deflater.finish();
            byte[] buffer = new byte[Math.max(64, bytes.length / 2)];
            int total = 0;
            while (!deflater.finished()) {
                total += deflater.deflate(buffer);
            }
            return total;
        } finally {
            deflater.end();
        }
    }
}
