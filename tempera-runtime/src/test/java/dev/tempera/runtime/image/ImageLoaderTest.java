package dev.tempera.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ImageLoader} against Pillow: each file under {@code qwen2vl/decode/} sits next to what
 * {@code Image.open(f).convert("RGB")} gave for it ({@code tools/conformance/preprocess/make_images.py}).
 */
class ImageLoaderTest {

    private final ImageLoader loader = ImageLoader.withDefaults();

    @TempDir
    Path tmp;

    private static void assertSameAsPillow(RgbPixels actual, Path pillowNpy) {
        NpyTestFiles.Npy expected = NpyTestFiles.read(pillowNpy);
        assertThat(new int[] {actual.height(), actual.width(), 3}).as("shape").containsExactly(expected.shape());
        float[] v = expected.values();
        int mismatches = 0;
        String first = null;
        for (int y = 0; y < actual.height(); y++) {
            for (int x = 0; x < actual.width(); x++) {
                int p = actual.pixel(x, y);
                int i = (y * actual.width() + x) * 3;
                int[] got = {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
                int[] want = {(int) v[i], (int) v[i + 1], (int) v[i + 2]};
                if (!Arrays.equals(got, want)) {
                    mismatches++;
                    if (first == null) {
                        first = "(" + x + ", " + y + "): " + Arrays.toString(got) + " vs Pillow " + Arrays.toString(want);
                    }
                }
            }
        }
        assertThat(mismatches).as("pixels differing from Pillow, first %s", first).isZero();
    }

    // Each format branch of PilRgbConverter: 8-bit RGB/BMP, grey, 1-bit, palettes (with tRNS), grey+alpha, RGBA
    // (alpha dropped, not composited), JPEG 4:4:4 and grey, 16-bit RGB/RGBA (high byte), 16-bit grey (clipped at 255
    // as Pillow's mode "I" -> RGB does), 5/6-bit BMP (truncating widening) and a GIF frame offset on its screen.
    @ParameterizedTest
    @ValueSource(strings = {"rgb8.png", "rgb8.bmp", "gray8.png", "bilevel.png", "palette.png", "palette8.bmp",
        "palette-trns.png", "gray-alpha.png", "rgba8.png", "q75-444.jpg", "gray.jpg", "rgb16.png", "rgba16.png",
        "gray16.png", "rgb565.bmp", "rgb555.bmp", "offset.gif"})
    void decodesLikePillow(String file) {
        Path path = NpyTestFiles.resource("decode/" + file);
        assertSameAsPillow(loader.load(path), NpyTestFiles.resource("decode/" + file + ".rgb.npy"));
    }

    @Test
    void readsFormatsPillowLacksSuchAsWbmp() throws IOException {
        // Pillow cannot open WBMP; ImageIO can, so the loader does: 1-bit black and white -> 0 and 255
        BufferedImage bits = new BufferedImage(9, 4, BufferedImage.TYPE_BYTE_BINARY);
        bits.getRaster().setSample(2, 1, 0, 1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(ImageIO.write(bits, "wbmp", out)).isTrue();
        RgbPixels p = loader.load(out.toByteArray(), "x.wbmp");
        assertThat(p.pixel(2, 1)).isEqualTo(0xFFFFFF);
        assertThat(p.pixel(0, 0)).isZero();
    }

    @Test
    void bytesAndPathGiveTheSamePixels() throws IOException {
        Path path = NpyTestFiles.resource("images/photo-64x48.jpg");
        assertThat(loader.load(Files.readAllBytes(path), "photo")).isEqualTo(loader.load(path));
    }

    @Test
    void transparentPixelsKeepTheirStoredColourInsteadOfTurningWhite() throws IOException {
        Path path = NpyTestFiles.resource("decode/rgba8.png");
        BufferedImage raw = ImageIO.read(path.toFile());
        // make_images.py sets alpha 0 on the first five pixels of row 0
        assertThat(raw.getRaster().getSample(0, 0, 3)).isZero();
        int stored = (raw.getRaster().getSample(0, 0, 0) << 16) | (raw.getRaster().getSample(0, 0, 1) << 8)
                | raw.getRaster().getSample(0, 0, 2);
        assertThat(stored).isNotEqualTo(0xFFFFFF);
        assertThat(loader.load(path).pixel(0, 0)).isEqualTo(stored);
    }

    @Test
    void gifFirstFrameIsPlacedOnItsLogicalScreen() {
        RgbPixels p = loader.load(NpyTestFiles.resource("decode/offset.gif"));
        // the 8x8 frame sits at (2, 1) on a 12x10 screen; the rest is palette entry 0 = (0, 255, 0)
        assertThat(p.width()).isEqualTo(12);
        assertThat(p.height()).isEqualTo(10);
        assertThat(p.pixel(0, 0)).isEqualTo(0x00FF00);
        assertThat(p.pixel(11, 9)).isEqualTo(0x00FF00);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nope.png");
        assertThatThrownBy(() -> loader.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must exist")
                .hasMessageContaining(missing.toAbsolutePath().toString());
    }

    @Test
    void directoryIsRefused() {
        assertThatThrownBy(() -> loader.load(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("regular file");
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.jpg"));
        assertThatThrownBy(() -> loader.load(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> loader.load(new byte[0], "upload"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upload");
    }

    @Test
    void unknownFormatListsTheSupportedOnes() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.png"), "hello, this is not an image");
        assertThatThrownBy(() -> loader.load(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.toString())
                .hasMessageContaining("supported format")
                .hasMessageContaining("png").hasMessageContaining("jpeg").hasMessageContaining("gif")
                .hasMessageContaining("bmp")
                .hasMessageContaining("68 65 6c 6c"); // "hell"
        assertThat(ImageLoader.supportedFormats()).contains("png", "jpeg", "gif", "bmp", "wbmp");
    }

    @Test
    void truncatedPngIsRefused() throws IOException {
        byte[] full = Files.readAllBytes(NpyTestFiles.resource("images/drawn-112.png"));
        assertThatThrownBy(() -> loader.load(Arrays.copyOf(full, full.length / 2), "half.png"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half.png")
                .hasMessageContaining("png")
                .hasMessageContaining("cannot be decoded");
    }

    @Test
    void truncatedJpegIsRefusedRatherThanFilledWithGrey() throws IOException {
        // ImageIO only warns and fills the rest with grey; Pillow raises "image file is truncated"
        byte[] full = Files.readAllBytes(NpyTestFiles.resource("images/photo-64x48.jpg"));
        assertThatThrownBy(() -> loader.load(Arrays.copyOf(full, full.length / 2), "half.jpg"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("half.jpg")
                .hasMessageContaining("jpeg");
    }

    @Test
    void fileLargerThanTheLimitIsRefusedBeforeReading() throws IOException {
        Path png = NpyTestFiles.resource("decode/rgb8.png");
        long size = Files.size(png);
        ImageLoader small = new ImageLoader(ImageLimits.defaults().withMaxFileBytes(100));
        assertThatThrownBy(() -> small.load(png))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFileBytes = 100")
                .hasMessageContaining(String.valueOf(size));
    }

    @Test
    void tooManyPixelsIsRefused() {
        // rgb8.png is 20 x 14 = 280 pixels
        ImageLoader small = new ImageLoader(ImageLimits.defaults().withMaxPixels(279));
        assertThatThrownBy(() -> small.load(NpyTestFiles.resource("decode/rgb8.png")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPixels = 279")
                .hasMessageContaining("20x14 = 280");
        assertThat(new ImageLoader(ImageLimits.defaults().withMaxPixels(280)).load(
                NpyTestFiles.resource("decode/rgb8.png")).width()).isEqualTo(20);
    }

    @Test
    void decompressionBombIsRefusedFromItsHeader() {
        // a 300-byte PNG that declares 100000 x 100000 pixels: decoding it would need 40 GB; the header check
        // must refuse it first (were it decoded, this test would die of OutOfMemoryError or report corrupt data)
        byte[] bomb = png(100_000, 100_000, new byte[10]);
        assertThatThrownBy(() -> loader.load(bomb, "bomb.png"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPixels = 50000000")
                .hasMessageContaining("100000x100000 = 10000000000");
    }

    @Test
    void zeroWidthImageIsRefused() {
        assertThatThrownBy(() -> loader.load(png(0, 5, new byte[10]), "zero.png"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero.png")
                .hasMessageContaining("width");
    }

    @Test
    void zeroHeightGifIsRefused() throws IOException {
        byte[] gif = Files.readAllBytes(NpyTestFiles.resource("decode/offset.gif"));
        int descriptor = indexOf(gif, (byte) 0x2c, 13);
        gif[descriptor + 7] = 0; // image height, little-endian
        gif[descriptor + 8] = 0;
        assertThatThrownBy(() -> loader.load(gif, "flat.gif"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flat.gif")
                .hasMessageContaining("8x0");
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new ImageLimits(0, 10)).hasMessage("maxFileBytes must be >= 1, but is: 0");
        assertThatThrownBy(() -> new ImageLimits(10, -1)).hasMessage("maxPixels must be >= 1, but is: -1");
        assertThat(ImageLimits.defaults()).isEqualTo(new ImageLimits(64L << 20, 50_000_000L));
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        throw new AssertionError("byte not found");
    }

    /** An 8-bit RGB PNG with the given IHDR size and {@code raw} deflated as its image data. */
    private static byte[] png(int width, int height, byte[] raw) {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] z = new byte[64];
        int n = d.deflate(z);
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12 + n + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(b, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(b, "IDAT", Arrays.copyOf(z, n));
        chunk(b, "IEND", new byte[0]);
        return b.array();
    }

    private static void chunk(ByteBuffer b, String type, byte[] data) {
        b.putInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
    }
}
