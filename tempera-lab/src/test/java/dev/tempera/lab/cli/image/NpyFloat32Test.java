package dev.tempera.lab.cli.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The .npy reader of {@code --latents}: numpy's own file (version 1.0), a version 2.0 header, and what it refuses
 * (dtypes other than little-endian float32, Fortran order, short data, a wrong magic), each naming the input.
 */
class NpyFloat32Test {

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

    @Test
    void readsTheFileNumpyWrote() throws Exception {
        // tools/conformance/diffusion: np.save of torch.randn((2, 4, 4, 4), generator seed 100) as float32
        Path file = Path.of(NpyFloat32Test.class.getResource("/").toURI());
        while (!Files.isDirectory(file.resolve("tempera-image/src/test/resources/tiny-sd"))) {
            file = file.getParent();
        }
        byte[] bytes = Files.readAllBytes(file.resolve("tempera-image/src/test/resources/tiny-sd/goldens/"
                + "latents_2x4x4x4.npy"));
        NpyFloat32 a = NpyFloat32.parse("f", bytes);
        assertThat(a.shape()).containsExactly(2, 4, 4, 4);
        assertThat(a.shapeText()).isEqualTo("(2, 4, 4, 4)");
        assertThat(a.values()).hasSize(128);
        // the last value is the last four bytes of the file, little-endian
        float last = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertThat(a.values()[127]).isEqualTo(last);
    }

    @Test
    void readsAVersionTwoHeaderKeepingTheShape() {
        NpyFloat32 a = NpyFloat32.parse("f", npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n",
                floats(1.5f, -2f, 0.25f)));
        assertThat(a.shape()).containsExactly(3);
        assertThat(a.shapeText()).isEqualTo("(3,)");
        assertThat(a.values()).containsExactly(1.5f, -2f, 0.25f);
    }

    @Test
    void refusesWhatWouldChangeTheValuesNamingTheInput() {
        assertThatThrownBy(() -> NpyFloat32.parse("--latents x.npy",
                npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }\n", floats(1f))))
                .hasMessage("--latents x.npy is not a readable float32 .npy array: its dtype is '>f4'; it must be "
                        + "'<f4' (little-endian float32: np.save(f, a.astype(np.float32)))");
        assertThatThrownBy(() -> NpyFloat32.parse("--latents x.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", floats(1, 2, 3, 4))))
                .hasMessageContaining("it is in Fortran order");
        assertThatThrownBy(() -> NpyFloat32.parse("--latents x.npy",
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }\n", floats(1, 2, 3))))
                .hasMessage("--latents x.npy is not a readable float32 .npy array: it holds 3 values, but its shape "
                        + "[2, 2] says 4");
        assertThatThrownBy(() -> NpyFloat32.parse("--latents x.npy", "PK\u0003\u0004 a zip".getBytes(
                StandardCharsets.ISO_8859_1))).hasMessageContaining("does not start with the magic");
    }
}
