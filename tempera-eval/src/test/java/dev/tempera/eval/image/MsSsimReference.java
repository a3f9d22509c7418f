package dev.tempera.eval.image;

import dev.tempera.runtime.image.RgbPixels;

/**
 * The slow, obviously-correct MS-SSIM the fast kernel is checked against: double precision, a full 11×11 window
 * (outer product of the 1-D Gaussian) summed directly at every valid position, every statistic recomputed per pair,
 * the average pooling written out with explicit zero padding.
 */
final class MsSsimReference {

    private MsSsimReference() {}

    static double similarity(RgbPixels a, RgbPixels b) {
        int w = a.width();
        int h = a.height();
        int scales = MsSsim.scales(w, h);
        double[] weights = MsSsim.weights(scales);
        double[] g1 = new double[11];
        double sum = 0;
        for (int i = 0; i < 11; i++) {
            g1[i] = Math.exp(-((i - 5) * (i - 5)) / (2 * 1.5 * 1.5));
            sum += g1[i];
        }
        double[][] window = new double[11][11];
        for (int i = 0; i < 11; i++) {
            for (int j = 0; j < 11; j++) {
                window[i][j] = g1[i] / sum * g1[j] / sum;
            }
        }
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double[][] x = plane(a, c);
            double[][] y = plane(b, c);
            double product = 1;
            for (int s = 0; s < scales; s++) {
                int vh = x.length - 10;
                int vw = x[0].length - 10;
                double csSum = 0;
                double ssimSum = 0;
                for (int i = 0; i < vh; i++) {
                    for (int j = 0; j < vw; j++) {
                        double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                        for (int u = 0; u < 11; u++) {
                            for (int v = 0; v < 11; v++) {
                                double g = window[u][v];
                                double p = x[i + u][j + v];
                                double q = y[i + u][j + v];
                                mx += g * p;
                                my += g * q;
                                xx += g * p * p;
                                yy += g * q * q;
                                xy += g * p * q;
                            }
                        }
                        double sx = xx - mx * mx;
                        double sy = yy - my * my;
                        double sxy = xy - mx * my;
                        double cs = (2 * sxy + c2) / (sx + sy + c2);
                        csSum += cs;
                        ssimSum += cs * (2 * mx * my + c1) / (mx * mx + my * my + c1);
                    }
                }
                double term = (s == scales - 1 ? ssimSum : csSum) / (vh * vw);
                product *= Math.pow(Math.max(term, 0), weights[s]);
                if (s < scales - 1) {
                    x = pool(x);
                    y = pool(y);
                }
            }
            total += product;
        }
        return total / 3;
    }

    private static double[][] plane(RgbPixels img, int c) {
        double[][] p = new double[img.height()][img.width()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                p[y][x] = (img.pixel(x, y) >> (16 - 8 * c)) & 0xFF;
            }
        }
        return p;
    }

    /** 2×2 mean over the image padded with (side % 2) zero rows/columns on both sides, zeros counted. */
    private static double[][] pool(double[][] in) {
        int h = in.length;
        int w = in[0].length;
        int ph = h % 2;
        int pw = w % 2;
        double[][] padded = new double[h + 2 * ph][w + 2 * pw];
        for (int y = 0; y < h; y++) {
            System.arraycopy(in[y], 0, padded[y + ph], pw, w);
        }
        int oh = (h + 2 * ph - 2) / 2 + 1;
        int ow = (w + 2 * pw - 2) / 2 + 1;
        double[][] out = new double[oh][ow];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                out[y][x] = (padded[2 * y][2 * x] + padded[2 * y + 1][2 * x] + padded[2 * y][2 * x + 1]
                        + padded[2 * y + 1][2 * x + 1]) / 4;
            }
        }
        return out;
    }
}
