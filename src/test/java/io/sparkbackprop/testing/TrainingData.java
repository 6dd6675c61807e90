package io.sparkbackprop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Generated rows for the training-control tests, kept as plain Java values so a test can duplicate,
 * reweight, flag or corrupt individual rows before turning them into a DataFrame with the columns
 * {@code label}, {@code features}, {@code weight} and {@code validation}.
 */
public final class TrainingData {
  private TrainingData() {}

  /** One row; {@code validation} may be null (to test the indicator's null check). */
  public record Example(double label, double[] features, double weight, Boolean validation) {
    public Example(double label, double[] features) {
      this(label, features, 1.0, false);
    }

    public Example withWeight(double value) {
      return new Example(label, features, value, validation);
    }

    public Example withValidation(Boolean value) {
      return new Example(label, features, weight, value);
    }

    public Example withLabel(double value) {
      return new Example(value, features, weight, validation);
    }
  }

  public static StructType schema() {
    return new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", SQLDataTypes.VectorType(), false)
        .add("weight", DataTypes.DoubleType, false)
        .add("validation", DataTypes.BooleanType, true);
  }

  /**
   * The rows, in order, in {@code partitions} partitions (coalesced, so the order within and across
   * partitions is the list's order and the same on every call).
   */
  public static Dataset<Row> frame(List<Example> examples, int partitions) {
    List<Row> rows = new ArrayList<>(examples.size());
    for (Example e : examples) {
      rows.add(RowFactory.create(e.label(), Vectors.dense(e.features()), e.weight(),
          e.validation()));
    }
    return SharedSpark.session().createDataFrame(rows, schema()).coalesce(partitions);
  }

  /** Gaussian blobs: class c centred at 2 on axis c mod features, noise {@code spread}. */
  public static List<Example> blobs(int rowsPerClass, int classes, int features, double spread,
      long seed) {
    Random rng = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < rowsPerClass; i++) {
      for (int c = 0; c < classes; c++) {
        double[] x = new double[features];
        for (int j = 0; j < features; j++) {
          x[j] = spread * rng.nextGaussian();
        }
        x[c % features] += 2.0;
        out.add(new Example(c, x));
      }
    }
    return out;
  }

  /**
   * Two overlapping classes in two dimensions, the minority (label 1) every {@code 1/minorityShare}-th
   * row, centred {@code shift} standard deviations away from the majority on both axes.
   */
  public static List<Example> imbalanced(int rows, double minorityShare, double shift, long seed) {
    Random rng = new Random(seed);
    List<Example> out = new ArrayList<>();
    int period = (int) Math.round(1 / minorityShare);
    for (int i = 0; i < rows; i++) {
      boolean isMinority = i % period == period - 1;
      double offset = isMinority ? shift : 0;
      out.add(new Example(isMinority ? 1 : 0,
          new double[] {offset + rng.nextGaussian(), offset + rng.nextGaussian()}));
    }
    return out;
  }

  /**
   * A two-class problem with a weak signal: the label is 1 when {@code x0 + x1 > 0}, flipped for a
   * share {@code flip} of the rows, plus {@code noiseFeatures} pure-noise features. Easy to overfit.
   */
  public static List<Example> noisyTwoClass(int rows, double flip, int noiseFeatures, long seed) {
    Random rng = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[2 + noiseFeatures];
      for (int j = 0; j < x.length; j++) {
        x[j] = rng.nextGaussian();
      }
      double label = x[0] + x[1] > 0 ? 1 : 0;
      if (rng.nextDouble() < flip) {
        label = 1 - label;
      }
      out.add(new Example(label, x));
    }
    return out;
  }

  /** A regression target {@code y = sin(2 x0) + x1^2 - x2 + noise}, three uniform features. */
  public static List<Example> smoothRegression(int rows, double noise, long seed) {
    Random rng = new Random(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = {2 * rng.nextDouble() - 1, 2 * rng.nextDouble() - 1, 2 * rng.nextDouble() - 1};
      double y = Math.sin(2 * x[0]) + x[1] * x[1] - x[2] + noise * rng.nextGaussian();
      out.add(new Example(y, x));
    }
    return out;
  }

  /** The largest absolute entry-wise difference of two vectors of the same size. */
  public static double maxAbsDiff(Vector a, Vector b) {
    if (a.size() != b.size()) {
      throw new AssertionError("sizes differ: " + a.size() + " vs " + b.size());
    }
    double worst = 0;
    for (int i = 0; i < a.size(); i++) {
      worst = Math.max(worst, Math.abs(a.apply(i) - b.apply(i)));
    }
    return worst;
  }
}
