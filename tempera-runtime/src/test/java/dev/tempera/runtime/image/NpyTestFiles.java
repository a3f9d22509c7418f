package dev.tempera.runtime.image;

import dev.tempera.runtime.io.NpyArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** Test resources: the qwen2vl/ folder, and its float32 / uint8 .npy(.gz) files read with {@link NpyArray}. */
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
        NpyArray array = NpyArray.parse(file.toString(), bytes);
        float[] values;
        if (array.dtype() == NpyArray.Dtype.UINT8) {
            double[] wide = array.toDoubles();
            values = new float[wide.length];
            for (int i = 0; i < wide.length; i++) {
                values[i] = (float) wide[i];
            }
        } else {
            values = array.toFloats();
        }
        return new Npy(Arrays.stream(array.shape()).mapToInt(Math::toIntExact).toArray(), values);
    }
}
