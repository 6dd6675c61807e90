package io.sparkbackprop.cli;

import io.sparkbackprop.nn.training.IterationRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The loss curve of a training run as a PNG, drawn with JFreeChart in headless AWT. */
final class LossChart {
  private LossChart() {}

  static final int WIDTH = 900;
  static final int HEIGHT = 540;

  /**
   * Training loss per iteration, and validation loss where it was computed.
   *
   * @param yLabel the loss axis title (units differ between classifiers and regressors)
   */
  static byte[] png(List<IterationRecord> records, String title, String yLabel) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    XYSeries training = new XYSeries("training loss");
    XYSeries validation = new XYSeries("validation loss");
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (IterationRecord r : records) {
      if (Double.isFinite(r.loss())) {
        training.add(r.iteration(), r.loss());
        min = Math.min(min, r.loss());
        max = Math.max(max, r.loss());
      }
      if (Double.isFinite(r.validationLoss())) {
        validation.add(r.iteration(), r.validationLoss());
        min = Math.min(min, r.validationLoss());
        max = Math.max(max, r.validationLoss());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection(training);
    if (validation.getItemCount() > 0) {
      data.addSeries(validation);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, "iteration", yLabel, data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
    renderer.setSeriesPaint(1, new Color(0xff, 0x7f, 0x0e));
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    renderer.setSeriesStroke(1, new BasicStroke(2f));
    plot.setRenderer(renderer);
    if (min > 0 && max / min > 30) {
      LogAxis axis = new LogAxis(yLabel + " (log scale)");
      axis.setSmallestValue(min / 2);
      axis.setNumberFormatOverride(new java.text.DecimalFormat("0.####"));
      plot.setRangeAxis(axis);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
