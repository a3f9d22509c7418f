package dev.tempera.image.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/** Reads the text chunks (tEXt, zTXt, iTXt) of a PNG, keyword to text, in file order. */
public final class PngText {

    private PngText() {
    }

    /**
     * The text chunks of {@code file}.
     *
     * @throws IllegalArgumentException when the file is not a readable PNG
     */
    public static Map<String, String> read(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IllegalArgumentException("cannot open " + file);
            }
            var readers = ImageIO.getImageReadersByFormatName("png");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                IIOMetadata metadata = reader.getImageMetadata(0);
                Node root = metadata.getAsTree("javax_imageio_png_1.0");
                Map<String, String> out = new LinkedHashMap<>();
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    String name = chunk.getNodeName();
                    if (name.equals("tEXt") || name.equals("zTXt") || name.equals("iTXt")) {
                        for (Node e = chunk.getFirstChild(); e != null; e = e.getNextSibling()) {
                            String text = name.equals("tEXt") ? "value" : "text";
                            out.put(attr(e, "keyword"), attr(e, text));
                        }
                    }
                }
                return out;
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String attr(Node n, String name) {
        Node a = n.getAttributes().getNamedItem(name);
        return a == null ? "" : a.getNodeValue();
    }
}
