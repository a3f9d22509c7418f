package dev.tempera.image.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes PNGs with their {@link GenerationInfo} embedded as two international text chunks (iTXt, UTF-8, so Chinese
 * prompts survive): {@value #PARAMETERS_KEY} (the web UI's text) and {@value #JSON_KEY} (JSON). Pillow reads them as
 * {@code Image.open(f).text["parameters"]}.
 *
 * <p>Files are written to a temporary file beside the target and renamed into place, so a file that exists is always a
 * whole PNG: an interrupted run never leaves a truncated image behind, and images already written stay valid.
 */
public final class PngWriter {

    /** The chunk keyword of the parameters text. */
    public static final String PARAMETERS_KEY = "parameters";
    /** The chunk keyword of the JSON. */
    public static final String JSON_KEY = "tempera";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PngWriter() {
    }

    /**
     * Writes {@code image} to {@code file} with {@code info}.
     *
     * @throws UncheckedIOException when the file cannot be written (the target is then left as it was)
     */
    public static void write(Path file, BufferedImage image, GenerationInfo info) {
        String json;
        try {
            json = JSON.writeValueAsString(info.toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + info + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            writePng(tmp, image, info.parameters(), json);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one reported
                }
            }
        }
    }

    private static void writePng(Path file, BufferedImage image, String parameters, String json) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    writer.getDefaultWriteParam());
            IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
            IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
            itxt.appendChild(entry(PARAMETERS_KEY, parameters));
            itxt.appendChild(entry(JSON_KEY, json));
            root.appendChild(itxt);
            try {
                metadata.mergeTree("javax_imageio_png_1.0", root);
            } catch (IIOInvalidTreeException e) {
                throw new IOException("cannot add the text chunks: " + e.getMessage(), e);
            }
            writer.write(null, new IIOImage(image, null, metadata), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
    }

    private static IIOMetadataNode entry(String keyword, String text) {
        IIOMetadataNode e = new IIOMetadataNode("iTXtEntry");
        e.setAttribute("keyword", keyword);
        e.setAttribute("compressionFlag", "FALSE");
        e.setAttribute("compressionMethod", "0");
        e.setAttribute("languageTag", "");
        e.setAttribute("translatedKeyword", "");
        e.setAttribute("text", text);
        return e;
    }
}
