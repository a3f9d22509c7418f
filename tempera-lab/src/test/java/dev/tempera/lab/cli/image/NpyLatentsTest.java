package dev.tempera.lab.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempera.image.pipeline.InitialLatents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading {@code --latents}: numpy's own file (version 1.0), a version 2.0 header, and what it refuses (dtypes other
 * than little-endian float32, Fortran order, short data, a wrong magic), each naming the option and the file. The
 * format itself is tested with the reader, {@code NpyArrayTest}; the shape checks against a request in
 * {@code ImageCommandTest}.
 */
class NpyLatentsTest {

    @TempDir
    Path dir;

    /** A .npy file: magic, version, header length (2 bytes for 1.x, 4 for 2.x), header, then {@code data}. */
    private static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lenBytes + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("x.npy"), bytes);
    }

    @Test
    void readsTheFileNumpyWrote() throws Exception {
        // tools/conformance/diffusion: np.save of torch.randn((2, 4, 4, 4), generator seed 100) as float32
        Path golden = ImageCommandTest.golden("tiny-sd", "latents_2x4x4x4.npy");
        byte[] bytes = Files.readAllBytes(golden);
        LatentsFile latents = LatentsFile.read(golden);
        assertThat(latents.npy().shape()).containsExactly(2, 4, 4, 4);
        assertThat(latents.npy().shapeText()).isEqualTo("(2, 4, 4, 4)");
        assertThat(latents.label()).isEqualTo("latents_2x4x4x4.npy");
        // two 32x32 images: 4 channels of 32/8 x 32/8
        InitialLatents start = latents.forImages(2, 32, 32, "--seeds 0,1", "--size 32x32");
        assertThat(start.values()).hasSize(128);
        // the last value is the last four bytes of the file, little-endian
        float last = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertThat(start.values()[127]).isEqualTo(last);
    }

    @Test
    void readsAVersionTwoHeaderKeepingTheShape() throws IOException {
        LatentsFile a = LatentsFile.read(file(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n",
                floats(1.5f, -2f, 0.25f))));
        assertThat(a.npy().shape()).containsExactly(3);
        assertThat(a.npy().shapeText()).isEqualTo("(3,)");
        assertThat(a.npy().toFloats()).containsExactly(1.5f, -2f, 0.25f);
    }

    @Test
    void refusesWhatWouldChangeTheValuesNamingTheInput() throws IOException {
        String what = "--latents " + dir.resolve("x.npy");
        // float64 is a readable array, but would be rounded
        byte[] f8 = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", new byte[8]);
        assertThatThrownBy(() -> LatentsFile.read(file(f8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(what + " is not a readable float32 .npy array: its dtype is '<f8'; it must be "
                        + "'<f4' (little-endian float32: np.save(f, a.astype(np.float32)))");
        // big-endian float32 is not read at all
        byte[] be = npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", floats(1f));
        assertThatThrownBy(() -> LatentsFile.read(file(be)))
                .hasMessageStartingWith(what + " is not a readable .npy array: its dtype is '>f4'; supported: ")
                .hasMessageEndingWith("(big-endian arrays are not read: save with .astype('<f4'))");
        byte[] fortran = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", floats(1, 2, 3, 4));
        assertThatThrownBy(() -> LatentsFile.read(file(fortran)))
                .hasMessage(what + " is not a readable .npy array: it is in Fortran (column-major) order; only C "
                        + "order is read: save np.ascontiguousarray(a)");
        byte[] short3 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n", floats(1, 2, 3));
        assertThatThrownBy(() -> LatentsFile.read(file(short3)))
                .hasMessage(what + " is not a readable .npy array: it holds 3 values, but its shape says 4: (2, 2) of "
                        + "'<f4' is 16 data bytes, and it has 12 (truncated?)");
        byte[] zip = "PK\u0003\u0004 a zip".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> LatentsFile.read(file(zip)))
                .hasMessageStartingWith(what + " is not a readable .npy array: ")
                .hasMessageContaining("does not start with the magic");
    }
}
