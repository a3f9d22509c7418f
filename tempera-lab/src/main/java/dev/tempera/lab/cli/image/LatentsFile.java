package dev.tempera.lab.cli.image;

import dev.tempera.image.pipeline.ImageRequest;
import dev.tempera.image.pipeline.InitialLatents;
import dev.tempera.runtime.io.NpyArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --latents} file: a float32 .npy read once, then checked against each request that uses it — shape
 * {@code [n, 4, H/8, W/8]} with {@code n} the request's number of seeds, or {@code [4, H/8, W/8]} for one seed. In
 * batch mode every line of the {@code --in} file starts from the same latents, so every line must have as many seeds
 * and the same size.
 *
 * @param file the file as given
 * @param npy its contents, a float32 array
 */
record LatentsFile(Path file, NpyArray npy) {

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming {@code --latents} and the file when it is missing or not a little-endian
     *     float32 C-order array
     */
    static LatentsFile read(Path file) {
        String what = "--latents " + file;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + ": no such file");
        }
        NpyArray npy;
        try {
            npy = NpyArray.parse(what, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read it (" + e.getMessage() + ")", e);
        }
        if (npy.dtype() != NpyArray.Dtype.FLOAT32) {
            // float64 would be rounded, float16 widened: refused so that the file holds what the model starts from
            throw new IllegalArgumentException(what + " is not a readable float32 .npy array: its dtype is '"
                    + npy.dtype().descr() + "'; it must be '<f4' (little-endian float32: "
                    + "np.save(f, a.astype(np.float32)))");
        }
        return new LatentsFile(file, npy);
    }

    /** The file name that the PNGs' "Latents" parameter records. */
    String label() {
        return file.getFileName().toString();
    }

    /**
     * The latents for a request of {@code images} seeds at {@code width x height}.
     *
     * @param seedsWhat how messages name the seeds ({@code "--seeds 0,1"})
     * @param sizeWhat how messages name the size ({@code "--size 64x64"})
     * @throws IllegalArgumentException naming the file, the shape it must have and the shape it has
     */
    InitialLatents forImages(int images, int width, int height, String seedsWhat, String sizeWhat) {
        String what = "--latents " + file;
        long[] s = npy.shape();
        int h = height / ImageRequest.VAE_FACTOR;
        int w = width / ImageRequest.VAE_FACTOR;
        int c = ImageRequest.LATENT_CHANNELS;
        String expected = "[" + images + ", " + c + ", " + h + ", " + w + "]"
                + (images == 1 ? " or [" + c + ", " + h + ", " + w + "]" : "");
        String why = " (one latent per seed, " + c + " channels, height/8, width/8 for " + sizeWhat + ")";
        if (s.length != 3 && s.length != 4) {
            throw new IllegalArgumentException(what + " must have shape " + expected + why + ", but has shape "
                    + npy.shapeText());
        }
        long n = s.length == 4 ? s[0] : 1;
        if (n != images) {
            throw new IllegalArgumentException(what + " must hold one latent per seed, " + images + " for " + seedsWhat
                    + ", but holds " + n + " (shape " + npy.shapeText() + ")");
        }
        int o = s.length - 3;
        if (s[o] != c || s[o + 1] != h || s[o + 2] != w) {
            throw new IllegalArgumentException(what + " must have shape " + expected + why + ", but has shape "
                    + npy.shapeText());
        }
        try {
            return InitialLatents.of(s, npy.toFloats());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
