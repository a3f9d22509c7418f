package dev.tempera.lab.cli;

import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * Draws the before/after distributions as a grouped bar chart (tokens on the x axis, one bar per
 * row and one for the input) with JFreeChart, to SVG (JFreeSVG) or PNG, chosen by the file name.
 */
final class BarChartWriter {

    static final int WIDTH = 960;
    static final int HEIGHT = 540;

    /** The input in grey, then the Okabe-Ito colours, which stay distinct for colour-blind readers. */
    private static final Color BEFORE = new Color(0x9E9E9E);
    private static final Color[] SETTINGS = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7),
        new Color(0x56B4E9), new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000),
    };

    private BarChartWriter() {}

    static void write(Path file, String title, List<Row> rows) throws IOException {
        JFreeChart chart = chart(title, rows);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (name.endsWith(".png")) {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } else if (name.endsWith(".svg")) {
            SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
            Files.writeString(file, g2.getSVGDocument(), StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException("--chart must end in .svg or .png, but is: " + file);
        }
    }

    static JFreeChart chart(String title, List<Row> rows) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        int[] tokens = DistributionTable.shownTokens(rows.get(0).before());
        for (int t : tokens) {
            data.addValue(rows.get(0).before()[t], "before", "token " + t);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            // Series keys must be unique: a repeated value in a list gets its row number.
            String series = data.getRowIndex(row.label()) < 0 ? row.label() : row.label() + " [" + (i + 1) + "]";
            for (int t : tokens) {
                data.addValue(row.after()[t], series, "token " + t);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "token", "probability", data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setSeriesPaint(0, BEFORE);
        for (int i = 1; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, SETTINGS[(i - 1) % SETTINGS.length]);
        }
        return chart;
    }
}
