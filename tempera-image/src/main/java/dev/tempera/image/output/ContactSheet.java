package dev.tempera.image.output;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A labelled grid of images — rows by one setting (seeds), columns by another (guidance scales) — so a sweep can be
 * seen at a glance. Small images are enlarged by an integer factor with nearest-neighbour sampling (pixels stay
 * pixels) until a cell is at least {@link #MIN_CELL} pixels wide.
 */
public final class ContactSheet {

    /** The smallest cell width; smaller images are enlarged by a whole factor. */
    public static final int MIN_CELL = 128;

    private static final int PAD = 8;

    private ContactSheet() {
    }

    /**
     * Lays out {@code cells[row][column]}; every image must have the size of {@code cells[0][0]}.
     *
     * @throws IllegalArgumentException when the grid is empty or ragged, the labels do not match it, or the images
     *     differ in size
     */
    public static BufferedImage render(BufferedImage[][] cells, List<String> rowLabels, List<String> columnLabels,
                                       String title) {
        if (cells.length == 0 || cells[0].length == 0) {
            throw new IllegalArgumentException("the grid must hold at least one image");
        }
        int rows = cells.length;
        int cols = cells[0].length;
        if (rowLabels.size() != rows || columnLabels.size() != cols) {
            throw new IllegalArgumentException("labels must match the grid: " + rows + " rows x " + cols
                    + " columns, but got " + rowLabels.size() + " row and " + columnLabels.size() + " column labels");
        }
        int w = cells[0][0].getWidth();
        int h = cells[0][0].getHeight();
        for (int r = 0; r < rows; r++) {
            if (cells[r].length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + cells[r].length + " images, row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                if (cells[r][c].getWidth() != w || cells[r][c].getHeight() != h) {
                    throw new IllegalArgumentException("image [" + r + "][" + c + "] is " + cells[r][c].getWidth()
                            + "x" + cells[r][c].getHeight() + ", the others " + w + "x" + h);
                }
            }
        }
        int scale = Math.max(1, (MIN_CELL + w - 1) / w);
        int cw = w * scale;
        int ch = h * scale;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        int labelW = 0;
        for (String s : rowLabels) {
            labelW = Math.max(labelW, fm.stringWidth(s));
        }
        pg.dispose();
        int line = fm.getHeight();
        int left = labelW + 2 * PAD;
        int top = (title.isEmpty() ? 0 : line + PAD) + line + PAD;
        BufferedImage sheet = new BufferedImage(left + cols * (cw + PAD), top + rows * (ch + PAD),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(font);
            g.setColor(Color.BLACK);
            if (!title.isEmpty()) {
                g.drawString(title, PAD, PAD + fm.getAscent());
            }
            int headerY = top - PAD - fm.getDescent();
            for (int c = 0; c < cols; c++) {
                g.drawString(columnLabels.get(c), left + c * (cw + PAD), headerY);
            }
            for (int r = 0; r < rows; r++) {
                int y = top + r * (ch + PAD);
                g.drawString(rowLabels.get(r), PAD, y + ch / 2 + fm.getAscent() / 2);
                for (int c = 0; c < cols; c++) {
                    g.drawImage(cells[r][c], left + c * (cw + PAD), y, cw, ch, null);
                }
            }
        } finally {
            g.dispose();
        }
        return sheet;
    }
}
