// Plotting helpers shared by the notebooks, loaded with `%load support/charts.jsh`.
// JFreeChart draws each chart into an image; the kernel's display(...) stores it in the notebook as PNG.
//
//   show(Chart.lines("Training loss", "iteration", "loss").series("adam", history).image());
//   show(Chart.bars("Accuracy", "solver", "accuracy").bar("hidden 32", "adam", 0.95).image());
//   show(heatMap("Confusion matrix", counts, labels, "predicted", "true"));
//   show(digitStrip(pixelRows, captions));

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Shows an image in the notebook, where it is stored as PNG (display(...) also returns an id). */
void show(java.awt.image.RenderedImage image) {
  display(image);
}

/** Colors that stay apart on white, for up to ten series. */
Color[] CHART_COLORS = {
    new Color(0x2b6cb0), new Color(0xdd6b20), new Color(0x2f855a), new Color(0xc53030),
    new Color(0x6b46c1), new Color(0x8c5a3c), new Color(0xd53f8c), new Color(0x4a5568),
    new Color(0x9c9c1f), new Color(0x0f9fb0)};

/** A line chart or a bar chart, built up series by series and drawn with image(). */
class Chart {
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final XYSeriesCollection lines = new XYSeriesCollection();
  private final DefaultCategoryDataset bars = new DefaultCategoryDataset();
  private final boolean isBarChart;
  private boolean logY;
  private double yLow = Double.NaN;
  private double yHigh = Double.NaN;
  private int width = 760;
  private int height = 400;

  private Chart(String title, String xLabel, String yLabel, boolean isBarChart) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.isBarChart = isBarChart;
  }

  static Chart lines(String title, String xLabel, String yLabel) {
    return new Chart(title, xLabel, yLabel, false);
  }

  static Chart bars(String title, String categoryLabel, String valueLabel) {
    return new Chart(title, categoryLabel, valueLabel, true);
  }

  /** A line through ys[0], ys[1], ... at x = 1, 2, ...; NaN values leave gaps. */
  Chart series(String name, double[] ys) {
    double[] xs = new double[ys.length];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i + 1;
    }
    return series(name, xs, ys);
  }

  /** A line through the points (xs[i], ys[i]); points that are not finite are skipped. */
  Chart series(String name, double[] xs, double[] ys) {
    XYSeries s = new XYSeries(name, false, true);
    for (int i = 0; i < ys.length; i++) {
      if (Double.isFinite(xs[i]) && Double.isFinite(ys[i]) && (!logY || ys[i] > 0)) {
        s.add(xs[i], ys[i]);
      }
    }
    lines.addSeries(s);
    return this;
  }

  /** One bar: its height, the series it belongs to (its color) and the category it stands in. */
  Chart bar(String series, String category, double value) {
    bars.addValue(value, series, category);
    return this;
  }

  /** A logarithmic value axis; call it before adding series (non-positive values are skipped). */
  Chart logY() {
    logY = true;
    return this;
  }

  /** Fixes the value axis to [low, high]; lines that leave it are cut off at its edge. */
  Chart yRange(double low, double high) {
    yLow = low;
    yHigh = high;
    return this;
  }

  Chart size(int width, int height) {
    this.width = width;
    this.height = height;
    return this;
  }

  BufferedImage image() {
    JFreeChart chart = isBarChart
        ? ChartFactory.createBarChart(title, xLabel, yLabel, bars, PlotOrientation.VERTICAL, true, false, false)
        : ChartFactory.createXYLineChart(title, xLabel, yLabel, lines, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font("SansSerif", Font.BOLD, 15));
    if (isBarChart) {
      CategoryPlot plot = chart.getCategoryPlot();
      styleBackground(plot);
      if (logY) {
        plot.setRangeAxis(logAxis(yLabel));
      }
      plot.getDomainAxis().setMaximumCategoryLabelLines(2);
      if (!Double.isNaN(yLow)) {
        plot.getRangeAxis().setRange(yLow, yHigh);
      }
      BarRenderer renderer = (BarRenderer) plot.getRenderer();
      renderer.setBarPainter(new StandardBarPainter());
      renderer.setShadowVisible(false);
      renderer.setItemMargin(0.05);
      for (int i = 0; i < bars.getRowCount(); i++) {
        renderer.setSeriesPaint(i, CHART_COLORS[i % CHART_COLORS.length]);
      }
    } else {
      XYPlot plot = chart.getXYPlot();
      styleBackground(plot);
      if (logY) {
        plot.setRangeAxis(logAxis(yLabel));
      } else {
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
      }
      if (!Double.isNaN(yLow)) {
        plot.getRangeAxis().setRange(yLow, yHigh);
      }
      NumberAxis domain = (NumberAxis) plot.getDomainAxis();
      domain.setAutoRangeIncludesZero(false);
      // No thousands separators on the x axis: years read 1960, not 1,960.
      java.text.NumberFormat plain = java.text.NumberFormat.getNumberInstance(java.util.Locale.US);
      plain.setGroupingUsed(false);
      domain.setNumberFormatOverride(plain);
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
      for (int i = 0; i < lines.getSeriesCount(); i++) {
        renderer.setSeriesPaint(i, CHART_COLORS[i % CHART_COLORS.length]);
        renderer.setSeriesStroke(i, new BasicStroke(2f));
        // A series of one or a few points would be invisible as a line alone.
        renderer.setSeriesShapesVisible(i, lines.getItemCount(i) < 30);
      }
      plot.setRenderer(renderer);
    }
    return chart.createBufferedImage(width, height);
  }

  /** A logarithmic axis with a tick at every power of ten. */
  private static LogAxis logAxis(String label) {
    LogAxis axis = new LogAxis(label);
    axis.setSmallestValue(1e-12);
    axis.setTickUnit(new NumberTickUnit(1.0), false, true);
    return axis;
  }

  private static void styleBackground(org.jfree.chart.plot.Plot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.LIGHT_GRAY);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(new Color(0xdddddd));
      xy.setRangeGridlinePaint(new Color(0xdddddd));
    } else if (plot instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(new Color(0xdddddd));
    }
  }
}

/**
 * A grid of counts (rows: the first label axis, columns: the second) shaded by the share of its
 * row, with the count written in each cell: a confusion matrix reads at a glance.
 */
BufferedImage heatMap(String title, long[][] counts, String[] labels, String columnAxis, String rowAxis) {
  int n = counts.length;
  int cell = 36;
  int left = 96;
  int top = 60;
  BufferedImage image = new BufferedImage(left + n * cell + 20, top + n * cell + 50, BufferedImage.TYPE_INT_RGB);
  Graphics2D g = image.createGraphics();
  g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
  g.setColor(Color.WHITE);
  g.fillRect(0, 0, image.getWidth(), image.getHeight());
  g.setColor(Color.BLACK);
  g.setFont(new Font("SansSerif", Font.BOLD, 15));
  g.drawString(title, left, 24);
  g.setFont(new Font("SansSerif", Font.PLAIN, 12));
  g.drawString(columnAxis + " \u2192", left, top - 22);
  for (int r = 0; r < n; r++) {
    long rowTotal = 0;
    for (long c : counts[r]) {
      rowTotal += c;
    }
    for (int c = 0; c < n; c++) {
      double share = rowTotal == 0 ? 0 : (double) counts[r][c] / rowTotal;
      // White for nothing, deep blue for the whole row; off-diagonal cells in orange.
      Color full = r == c ? new Color(0x2b6cb0) : new Color(0xdd6b20);
      double t = Math.sqrt(share);
      g.setColor(new Color(
          (int) Math.round(255 + t * (full.getRed() - 255)),
          (int) Math.round(255 + t * (full.getGreen() - 255)),
          (int) Math.round(255 + t * (full.getBlue() - 255))));
      g.fillRect(left + c * cell, top + r * cell, cell, cell);
      g.setColor(new Color(0xcccccc));
      g.drawRect(left + c * cell, top + r * cell, cell, cell);
      if (counts[r][c] != 0) {
        g.setColor(t > 0.6 ? Color.WHITE : Color.BLACK);
        String text = Long.toString(counts[r][c]);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, left + c * cell + (cell - w) / 2, top + r * cell + cell / 2 + 5);
      }
    }
  }
  g.setColor(Color.BLACK);
  for (int i = 0; i < n; i++) {
    int w = g.getFontMetrics().stringWidth(labels[i]);
    g.drawString(labels[i], left + i * cell + (cell - w) / 2, top - 6);
    g.drawString(labels[i], left - 8 - w, top + i * cell + cell / 2 + 5);
  }
  g.drawString(rowAxis + " \u2193", 4, top - 6);
  g.dispose();
  return image;
}

/** Square grey-scale images (one row of pixel values each, row-major), side by side with captions. */
BufferedImage digitStrip(java.util.List<double[]> images, java.util.List<String> captions) {
  int side = (int) Math.round(Math.sqrt(images.get(0).length));
  int scale = 9;
  int box = side * scale;
  int gap = 16;
  BufferedImage image = new BufferedImage(images.size() * (box + gap) + gap, box + 44, BufferedImage.TYPE_INT_RGB);
  Graphics2D g = image.createGraphics();
  g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
  g.setColor(Color.WHITE);
  g.fillRect(0, 0, image.getWidth(), image.getHeight());
  g.setFont(new Font("SansSerif", Font.PLAIN, 12));
  for (int k = 0; k < images.size(); k++) {
    double[] pixels = images.get(k);
    double max = 0;
    for (double p : pixels) {
      max = Math.max(max, p);
    }
    int x0 = gap + k * (box + gap);
    for (int i = 0; i < pixels.length; i++) {
      int level = 255 - (int) Math.round(255 * (max == 0 ? 0 : pixels[i] / max));
      g.setColor(new Color(level, level, level));
      g.fillRect(x0 + (i % side) * scale, 8 + (i / side) * scale, scale, scale);
    }
    g.setColor(Color.BLACK);
    g.drawRect(x0, 8, box, box);
    String caption = captions.get(k);
    int w = g.getFontMetrics().stringWidth(caption);
    g.drawString(caption, x0 + (box - w) / 2, box + 30);
  }
  g.dispose();
  return image;
}
