package dev.tempera.shapes;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Image degradations for robustness tests: blur and JPEG round trips. */
final class Degrade {
    private Degrade() {}

    /** A 3×3 box blur (edge pixels clamp). */
    static BufferedImage boxBlur(BufferedImage in) {
        return convolve(in, new double[] {1, 1, 1}, 1);
    }

    /** A separable Gaussian blur of standard deviation {@code sigma} pixels, kernel radius ceil(3 sigma). */
    static BufferedImage gaussianBlur(BufferedImage in, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
        }
        return convolve(in, k, radius);
    }

    private static BufferedImage convolve(BufferedImage in, double[] k, int radius) {
        int w = in.getWidth();
        int h = in.getHeight();
        double sum = 0;
        for (double v : k) {
            sum += v;
        }
        double[][] planes = new double[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = in.getRGB(x, y);
                planes[0][y * w + x] = (rgb >> 16) & 0xFF;
                planes[1][y * w + x] = (rgb >> 8) & 0xFF;
                planes[2][y * w + x] = rgb & 0xFF;
            }
        }
        for (int c = 0; c < 3; c++) {
            double[] tmp = new double[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * planes[c][y * w + Math.max(0, Math.min(w - 1, x + i))];
                    }
                    tmp[y * w + x] = s / sum;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        s += k[i + radius] * tmp[Math.max(0, Math.min(h - 1, y + i)) * w + x];
                    }
                    planes[c][y * w + x] = s / sum;
                }
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            int r = (int) Math.round(planes[0][i]);
            int g = (int) Math.round(planes[1][i]);
            int b = (int) Math.round(planes[2][i]);
            out.setRGB(i % w, i / w, (r << 16) | (g << 8) | b);
        }
        return out;
    }

    /** Encodes {@code in} as JPEG at {@code quality} (0–1) with ImageIO's default writer and decodes it again. */
    static BufferedImage jpeg(BufferedImage in, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
                writer.write(null, new IIOImage(in, null, null), p);
            } finally {
                writer.dispose();
            }
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
