package dev.tempera.runtime.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Node;

/**
 * Reads an image file (PNG, JPEG, BMP, GIF, WBMP, TIFF — whatever {@link ImageIO} has a reader for) into the 8-bit
 * RGB pixels Pillow would give for {@code Image.open(f).convert("RGB")}, the input transformers' slow image
 * processors start from.
 *
 * <p>What callers trip on:
 * <ul>
 *   <li>Alpha is dropped, not composited onto white: transformers' {@code image_transforms.convert_to_rgb} (used by
 *       Qwen2-VL and CLIP) calls {@code convert("RGB")}. Fully transparent pixels keep whatever colour they store,
 *       often black. See {@link PilRgbConverter} for how grey, palette, 16-bit and 5/6-bit images are mapped.</li>
 *   <li>Only the first frame of a GIF is read; it is placed on the GIF's logical screen as Pillow does, the rest of
 *       the screen filled with the frame's transparent palette entry, else entry 0.</li>
 *   <li>EXIF orientation is not applied (neither does {@code Image.open}; transformers' {@code load_image} does).</li>
 *   <li>Embedded colour profiles are ignored, as in Pillow: the stored samples are used.</li>
 *   <li>A JPEG with CMYK or YCCK data is refused (ImageIO cannot decode it; Pillow can).</li>
 *   <li>Decoder warnings are errors: a truncated JPEG, which ImageIO would otherwise fill with grey, is refused, as
 *       Pillow refuses it ("image file is truncated").</li>
 *   <li>The limits are checked before decoding: file size first, then the width × height the header declares.</li>
 * </ul>
 * Every refusal is an {@link IllegalArgumentException} whose message names the file, the limit or rule, and the
 * value; an I/O failure while reading an existing file is an {@link UncheckedIOException}.
 *
 * <p>Immutable and thread-safe (each call uses its own ImageIO reader).
 *
 * <pre>{@code
 * ImageLoader loader = new ImageLoader(ImageLimits.defaults().withMaxPixels(20_000_000));
 * RgbPixels image = loader.load(Path.of("cat.jpg"));
 * }</pre>
 */
public final class ImageLoader {

    private final ImageLimits limits;

    public ImageLoader(ImageLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A loader with {@link ImageLimits#defaults()}. */
    public static ImageLoader withDefaults() {
        return new ImageLoader(ImageLimits.defaults());
    }

    public ImageLimits limits() {
        return limits;
    }

    /** The format names ImageIO can read here, lower case and sorted (e.g. {@code [bmp, gif, jpeg, jpg, png, …]}). */
    public static List<String> supportedFormats() {
        TreeSet<String> names = new TreeSet<>();
        for (String n : ImageIO.getReaderFormatNames()) {
            names.add(n.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /**
     * Reads an image file.
     *
     * @throws IllegalArgumentException if the file is missing, empty, larger than the limits, not an image in a
     *     supported format, corrupt or truncated, or has a zero width or height
     * @throws UncheckedIOException if reading an existing file fails
     */
    public RgbPixels load(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("image file must exist, but does not: " + file.toAbsolutePath());
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image file must be a regular file, but is not: " + file.toAbsolutePath());
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of image file " + name, e);
        }
        checkFileSize(name, size);
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            return decode(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image file " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an image held in memory; {@code name} is only used in error messages (say where the bytes came from).
     *
     * @throws IllegalArgumentException as {@link #load(Path)}
     */
    public RgbPixels load(byte[] bytes, String name) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(name, "name");
        checkFileSize(name, bytes.length);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return decode(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + name + ": " + e.getMessage(), e);
        }
    }

    private void checkFileSize(String name, long size) {
        if (size == 0) {
            throw new IllegalArgumentException("image file " + name + " must not be empty, but has 0 bytes");
        }
        if (size > limits.maxFileBytes()) {
            throw new IllegalArgumentException("image file " + name + " must be at most maxFileBytes = "
                    + limits.maxFileBytes() + " bytes, but has: " + size);
        }
    }

    private RgbPixels decode(ImageInputStream in, String name) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IllegalArgumentException("image file " + name + " must be in a supported format "
                    + supportedFormats() + ", but it is not recognised (it starts with bytes " + head(in) + ")");
        }
        ImageReader reader = readers.next();
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        boolean gif = format.equals("gif");
        List<String> warnings = new ArrayList<>();
        try {
            reader.setInput(in, true, !gif);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int frameWidth;
            int frameHeight;
            try {
                frameWidth = reader.getWidth(0);
                frameHeight = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt(name, format, e);
            }
            if (frameWidth <= 0 || frameHeight <= 0) {
                throw new IllegalArgumentException("image file " + name + " must have a width and height of at least 1,"
                        + " but its header says: " + frameWidth + "x" + frameHeight);
            }
            GifPlacement placement = gif ? gifPlacement(reader, frameWidth, frameHeight, name) : null;
            long width = gif ? placement.canvasWidth : frameWidth;
            long height = gif ? placement.canvasHeight : frameHeight;
            if (width * height > limits.maxPixels()) {
                throw new IllegalArgumentException("image file " + name + " must have at most maxPixels = "
                        + limits.maxPixels() + " pixels, but is " + width + "x" + height + " = " + width * height);
            }
            BufferedImage image;
            try {
                image = reader.read(0);
            } catch (IOException | RuntimeException e) {
                throw corrupt(name, format, e);
            }
            if (!warnings.isEmpty()) {
                throw new IllegalArgumentException("image file " + name + " must decode cleanly, but the " + format
                        + " decoder reported: " + String.join("; ", warnings));
            }
            RgbPixels pixels = PilRgbConverter.convert(image);
            return gif ? placement.place(pixels, image) : pixels;
        } finally {
            reader.dispose();
        }
    }

    private static IllegalArgumentException corrupt(String name, String format, Exception e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null) {
            cause += " (" + e.getCause().getMessage() + ")";
        }
        return new IllegalArgumentException("image file " + name + " looks like " + format
                + " but cannot be decoded (corrupt or truncated?): " + cause, e);
    }

    private static String head(ImageInputStream in) {
        try {
            in.seek(0);
            byte[] b = new byte[8];
            int n = in.read(b);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.max(n, 0); i++) {
                sb.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
            }
            return sb.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Where the first GIF frame sits on the logical screen, and what fills the rest. */
    private static final class GifPlacement {
        final int left;
        final int top;
        final int canvasWidth;
        final int canvasHeight;
        final int transparentIndex;

        GifPlacement(int left, int top, int canvasWidth, int canvasHeight, int transparentIndex) {
            this.left = left;
            this.top = top;
            this.canvasWidth = canvasWidth;
            this.canvasHeight = canvasHeight;
            this.transparentIndex = transparentIndex;
        }

        RgbPixels place(RgbPixels frame, BufferedImage decoded) {
            if (left == 0 && top == 0 && canvasWidth == frame.width() && canvasHeight == frame.height()) {
                return frame;
            }
            // Pillow (GifImagePlugin.load_prepare) starts frame 0 from an image filled with the transparent index,
            // or with index 0 when there is none
            int fill = 0;
            if (decoded.getColorModel() instanceof IndexColorModel icm) {
                int index = transparentIndex >= 0 && transparentIndex < icm.getMapSize() ? transparentIndex : 0;
                fill = icm.getRGB(index) & 0xFFFFFF;
            }
            int[] out = new int[canvasWidth * canvasHeight];
            Arrays.fill(out, fill);
            int[] src = frame.unsafeRgb();
            for (int y = 0; y < frame.height(); y++) {
                System.arraycopy(src, y * frame.width(), out, (y + top) * canvasWidth + left, frame.width());
            }
            return new RgbPixels(canvasWidth, canvasHeight, out);
        }
    }

    private static GifPlacement gifPlacement(ImageReader reader, int frameWidth, int frameHeight, String name) {
        try {
            int screenWidth = 0;
            int screenHeight = 0;
            IIOMetadata stream = reader.getStreamMetadata();
            if (stream != null) {
                Node screen = child(stream.getAsTree("javax_imageio_gif_stream_1.0"), "LogicalScreenDescriptor");
                screenWidth = intAttr(screen, "logicalScreenWidth", 0);
                screenHeight = intAttr(screen, "logicalScreenHeight", 0);
            }
            Node imageTree = reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            Node descriptor = child(imageTree, "ImageDescriptor");
            int left = intAttr(descriptor, "imageLeftPosition", 0);
            int top = intAttr(descriptor, "imageTopPosition", 0);
            Node control = child(imageTree, "GraphicControlExtension");
            int transparent = -1;
            if (control != null && "TRUE".equalsIgnoreCase(attr(control, "transparentColorFlag"))) {
                transparent = intAttr(control, "transparentColorIndex", -1);
            }
            // Pillow grows the canvas when the first frame reaches past the logical screen
            int width = Math.max(screenWidth, left + frameWidth);
            int height = Math.max(screenHeight, top + frameHeight);
            return new GifPlacement(left, top, width, height, transparent);
        } catch (IOException | RuntimeException e) {
            throw corrupt(name, "gif", e);
        }
    }

    private static Node child(Node parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (name.equals(n.getNodeName())) {
                return n;
            }
        }
        return null;
    }

    private static String attr(Node node, String name) {
        return node instanceof IIOMetadataNode m && m.hasAttribute(name) ? m.getAttribute(name) : null;
    }

    private static int intAttr(Node node, String name, int fallback) {
        String v = attr(node, name);
        return v == null ? fallback : Integer.parseInt(v.trim());
    }

    @Override
    public String toString() {
        return "ImageLoader[" + limits + "]";
    }
}
