package dev.tempera.runtime.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded {@link BufferedImage} into the 8-bit RGB pixels Pillow would give for the same file after
 * {@code Image.open(f).convert("RGB")} — which is what transformers' {@code convert_to_rgb} does for every mode but
 * RGB (it does not composite onto white; Idefics2 and Mllama have their own version that does).
 *
 * <p>Java's {@code getRGB} is avoided where it disagrees with Pillow: it applies an embedded ICC profile (Pillow
 * ignores it), rounds when widening 5- and 6-bit samples (Pillow truncates) and rounds when narrowing 16-bit ones
 * (Pillow keeps the high byte). The rules, per colour model:
 * <ul>
 *   <li>indexed (GIF, palette PNG/BMP, 1/2/4-bit grey PNG, WBMP): the palette entry's RGB; transparency ignored;</li>
 *   <li>grey, 8-bit: the sample in R, G and B; with alpha ("LA") alpha dropped;</li>
 *   <li>grey, 16-bit, no alpha: {@code min(v, 255)} — Pillow opens it as mode "I" and its I→RGB conversion clips,
 *       so most 16-bit grey images come out nearly white, in Python as here;</li>
 *   <li>grey + alpha or RGB(A), 16-bit: the high byte of each sample (Pillow's {@code ;16B} unpackers);</li>
 *   <li>RGB(A), 8-bit: the samples as stored, whatever colour profile is attached;</li>
 *   <li>packed RGB with fewer than 8 bits per channel (16-bit BMP): {@code v × 255 / (2^bits − 1)} truncated;</li>
 *   <li>anything else (CMYK or YCbCr TIFF, float samples, premultiplied alpha): Java's {@code getRGB}, which may
 *       differ from Pillow.</li>
 * </ul>
 */
final class PilRgbConverter {

    private PilRgbConverter() {}

    static RgbPixels convert(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] out = new int[w * h];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean done;
        if (cm instanceof IndexColorModel icm) {
            done = indexed(icm, raster, w, h, out);
        } else if (cm instanceof DirectColorModel dcm && !dcm.isAlphaPremultiplied()) {
            done = packed(dcm, raster, w, h, out);
        } else if (cm instanceof ComponentColorModel && !cm.isAlphaPremultiplied()) {
            done = component(cm, raster, w, h, out);
        } else {
            done = false;
        }
        if (!done) {
            image.getRGB(0, 0, w, h, out, 0, w);
        }
        return new RgbPixels(w, h, out);
    }

    private static boolean indexed(IndexColorModel icm, Raster raster, int w, int h, int[] out) {
        int bits = raster.getSampleModel().getSampleSize(0);
        if (raster.getNumBands() != 1 || bits > 16) {
            return false;
        }
        int size = icm.getMapSize();
        int[] palette = new int[1 << bits];
        for (int i = 0; i < Math.min(size, palette.length); i++) {
            palette[i] = icm.getRGB(i) & 0xFFFFFF;
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            int base = y * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = palette[row[x]];
            }
        }
        return true;
    }

    private static boolean packed(DirectColorModel dcm, Raster raster, int w, int h, int[] out) {
        if (dcm.getColorSpace().getType() != ColorSpace.TYPE_RGB || raster.getNumBands() < 3) {
            return false;
        }
        int[] row = new int[w];
        for (int band = 0; band < 3; band++) {
            int bits = raster.getSampleModel().getSampleSize(band);
            if (bits < 1 || bits > 8) {
                return false;
            }
        }
        int[] shift = {16, 8, 0};
        for (int band = 0; band < 3; band++) {
            int bits = raster.getSampleModel().getSampleSize(band);
            int max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, band, row);
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    // Pillow's unpackers widen 4/5/6-bit channels as v * 255 / max with integer division
                    int v = bits == 8 ? row[x] : row[x] * 255 / max;
                    out[base + x] |= v << shift[band];
                }
            }
        }
        return true;
    }

    private static boolean component(ColorModel cm, Raster raster, int w, int h, int[] out) {
        int type = raster.getDataBuffer().getDataType();
        if (type != DataBuffer.TYPE_BYTE && type != DataBuffer.TYPE_USHORT) {
            return false;
        }
        int bits = raster.getSampleModel().getSampleSize(0);
        int bands = raster.getNumBands();
        for (int band = 0; band < bands; band++) {
            int b = raster.getSampleModel().getSampleSize(band);
            if (b != 8 && b != 16) {
                return false;
            }
        }
        int space = cm.getColorSpace().getType();
        int[] row = new int[w];
        if (space == ColorSpace.TYPE_GRAY && bands <= 2) {
            boolean clip = bits == 16 && !cm.hasAlpha();
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    int v = narrow(row[x], bits, clip);
                    out[base + x] = (v << 16) | (v << 8) | v;
                }
            }
            return true;
        }
        if (space == ColorSpace.TYPE_RGB && bands >= 3) {
            int[] shift = {16, 8, 0};
            for (int band = 0; band < 3; band++) {
                int bandBits = raster.getSampleModel().getSampleSize(band);
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, band, row);
                    int base = y * w;
                    for (int x = 0; x < w; x++) {
                        out[base + x] |= narrow(row[x], bandBits, false) << shift[band];
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** An 8- or 16-bit sample as Pillow narrows it: 16-bit keeps the high byte, or clips (mode "I" → RGB). */
    private static int narrow(int v, int bits, boolean clip) {
        if (bits == 8) {
            return v & 0xFF;
        }
        return clip ? Math.min(v, 255) : (v >>> 8) & 0xFF;
    }
}
