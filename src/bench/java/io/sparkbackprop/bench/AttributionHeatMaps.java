package io.sparkbackprop.bench;

import io.sparkbackprop.ml.Attributions;
import io.sparkbackprop.ml.BackpropClassificationModel;
import io.sparkbackprop.ml.BackpropClassifier;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Draws the README's attribution heat maps: a classifier trained on {@code sample-data/digits.libsvm}
 * (8x8 images), one held-out image of each digit, and next to it the attributions of its predicted
 * class's probability by each method (red raises the probability, blue lowers it; each map scaled to
 * its own largest magnitude), plus the mean absolute integrated gradients per pixel over the
 * held-out images ({@code featureImportances}). Plain {@code java.awt} and {@code ImageIO}: no
 * charting library.
 *
 * <pre>
 * mvn -Pbench -q compile exec:exec -Dmain.class=io.sparkbackprop.bench.AttributionHeatMaps \
 *   -Dmain.args="sample-data docs/images/digit-attributions.png"
 * </pre>
 */
public final class AttributionHeatMaps {
  private static final int SIDE = 8;
  private static final int PIXEL = 10;
  private static final int CELL = SIDE * PIXEL;
  private static final int GAP = 24;
  private static final int LABEL_WIDTH = 80;
  private static final int HEADER = 34;
  private static final String[] METHODS = {"saliency", "gradientTimesInput",
      "integratedGradients", "smoothGrad"};
  private static final String[] TITLES = {"image", "saliency", "grad x input", "integrated",
      "SmoothGrad"};

  private AttributionHeatMaps() {}

  public static void main(String[] args) throws IOException {
    String dataDir = args.length > 0 ? args[0] : "sample-data";
    Path out = Paths.get(args.length > 1 ? args[1] : "docs/images/digit-attributions.png");
    SparkSession spark = SparkSession.builder().master("local[2]").appName("attribution-heat-maps")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      Dataset<Row> digits = spark.read().format("libsvm").option("numFeatures", "64")
          .load(Paths.get(dataDir, "digits.libsvm").toString());
      Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, 42);
      BackpropClassificationModel model = new BackpropClassifier().setHiddenLayers(128)
          .setActivation("relu").setStepSize(0.03).setRegParam(3e-3).setMaxIter(100).setSeed(1)
          .fit(split[0]);
      Dataset<Row> test = split[1].cache();
      double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(model.transform(test));
      System.out.printf(Locale.ROOT, "digits classifier: test accuracy %.3f on %d images%n",
          accuracy, test.count());

      // One held-out image per digit: the first of each label in the split's order.
      List<Row> examples = new ArrayList<>();
      for (int d = 0; d < 10; d++) {
        examples.add(test.filter(functions.col("label").equalTo(d)).head());
      }
      Dataset<Row> chosen = spark.createDataFrame(examples, test.schema());
      List<Row> predicted = model.transform(chosen).select("prediction", "probability")
          .collectAsList();
      double[][][] maps = new double[METHODS.length][][];
      for (int m = 0; m < METHODS.length; m++) {
        List<Row> rows = new Attributions(model).setMethod(METHODS[m]).transform(chosen)
            .select("attributions").collectAsList();
        maps[m] = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
          maps[m][r] = ((Vector) rows.get(r).get(0)).toArray();
        }
      }
      double[] importances = model.featureImportances(test).toArray();

      BufferedImage image = draw(examples, predicted, maps, importances, accuracy);
      Files.createDirectories(out.toAbsolutePath().getParent());
      ImageIO.write(image, "png", new File(out.toString()));
      System.out.println("wrote " + out);
    } finally {
      spark.stop();
    }
  }

  private static BufferedImage draw(List<Row> examples, List<Row> predicted, double[][][] maps,
      double[] importances, double accuracy) {
    int columns = 1 + maps.length;
    int width = LABEL_WIDTH + columns * (CELL + GAP) + GAP;
    int summaryCell = 2 * CELL;
    int rowsHeight = HEADER + examples.size() * (CELL + GAP);
    int height = rowsHeight + GAP + 40 + summaryCell + 2 * GAP;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int c = 0; c < columns; c++) {
      g.drawString(TITLES[c], LABEL_WIDTH + c * (CELL + GAP), HEADER - 8);
    }
    for (int r = 0; r < examples.size(); r++) {
      int y = HEADER + r * (CELL + GAP);
      Row row = examples.get(r);
      int label = (int) row.getDouble(0);
      int prediction = (int) predicted.get(r).getDouble(0);
      double p = ((Vector) predicted.get(r).get(1)).apply(prediction);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%d -> %d", label, prediction), 6, y + 30);
      g.drawString(String.format(Locale.ROOT, "p = %.2f", p), 6, y + 50);
      double[] pixels = ((Vector) row.get(1)).toArray();
      drawGray(g, pixels, LABEL_WIDTH, y, PIXEL);
      for (int m = 0; m < maps.length; m++) {
        drawDiverging(g, maps[m][r], LABEL_WIDTH + (m + 1) * (CELL + GAP), y, PIXEL);
      }
    }
    int y = rowsHeight + GAP;
    g.setColor(Color.BLACK);
    g.drawString("featureImportances: mean |integrated gradients| per pixel", 6, y + 14);
    g.drawString(String.format(Locale.ROOT, "over the held-out images (test accuracy %.3f)",
        accuracy), 6, y + 30);
    drawSequential(g, importances, LABEL_WIDTH, y + 40, 2 * PIXEL);
    g.dispose();
    return image;
  }

  /** Ink dark on white: digits pixels run 0..16. */
  private static void drawGray(Graphics2D g, double[] values, int x, int y, int pixel) {
    for (int i = 0; i < values.length; i++) {
      int v = 255 - (int) Math.round(Math.min(16, Math.max(0, values[i])) / 16 * 255);
      g.setColor(new Color(v, v, v));
      g.fillRect(x + (i % SIDE) * pixel, y + (i / SIDE) * pixel, pixel, pixel);
    }
    frame(g, x, y, pixel);
  }

  /** White at 0, red for positive, blue for negative, scaled to the largest magnitude. */
  private static void drawDiverging(Graphics2D g, double[] values, int x, int y, int pixel) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    for (int i = 0; i < values.length; i++) {
      double t = max > 0 ? values[i] / max : 0;
      int fade = 255 - (int) Math.round(Math.abs(t) * 255);
      g.setColor(t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255));
      g.fillRect(x + (i % SIDE) * pixel, y + (i / SIDE) * pixel, pixel, pixel);
    }
    frame(g, x, y, pixel);
  }

  /** White at 0 to dark red at the largest value. */
  private static void drawSequential(Graphics2D g, double[] values, int x, int y, int pixel) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    for (int i = 0; i < values.length; i++) {
      double t = max > 0 ? values[i] / max : 0;
      int fade = 255 - (int) Math.round(t * 255);
      g.setColor(new Color(255 - (int) Math.round(t * 90), fade, fade));
      g.fillRect(x + (i % SIDE) * pixel, y + (i / SIDE) * pixel, pixel, pixel);
    }
    frame(g, x, y, pixel);
  }

  private static void frame(Graphics2D g, int x, int y, int pixel) {
    g.setColor(Color.LIGHT_GRAY);
    g.setStroke(new BasicStroke(1));
    g.drawRect(x - 1, y - 1, SIDE * pixel + 1, SIDE * pixel + 1);
  }
}
