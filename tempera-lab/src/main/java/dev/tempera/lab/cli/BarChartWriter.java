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
        ((BarRenderer) plot.getRenderer()).setBarPainter(new StandardBarPainter());
        return chart;
    }
}
