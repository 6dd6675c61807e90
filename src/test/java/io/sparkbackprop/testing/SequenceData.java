package io.sparkbackprop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Generated sequence datasets for the recurrent Spark ML tests, deterministic for a seed. */
public final class SequenceData {
  private SequenceData() {}

  /** Schema: {@code label double, features array<string>, counts vector}. */
  private static final StructType ORDER_SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("features", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("counts", SQLDataTypes.VectorType(), false);

  /**
   * The order task: every sequence (length 6 to 12) holds one "a" and one "b" at random places among
   * filler tokens "x", "y", "z"; the label is 1 when "a" comes first. Bag-of-steps counts
   * ({@code counts}: how often each of the five tokens occurs) are the same for both classes, so a
   * model without order is at chance.
   */
  public static Dataset<Row> order(int rows, long seed) {
    Random random = new Random(seed);
    String[] filler = {"x", "y", "z"};
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int length = 6 + random.nextInt(7);
      String[] steps = new String[length];
      double[] counts = new double[5];
      for (int t = 0; t < length; t++) {
        int f = random.nextInt(3);
        steps[t] = filler[f];
      }
      int first = random.nextInt(length);
      int second = random.nextInt(length - 1);
      if (second >= first) {
        second++;
      }
      steps[first] = "a";
      steps[second] = "b";
      for (String s : steps) {
        counts["abxyz".indexOf(s)]++;
      }
      out.add(RowFactory.create(first < second ? 1.0 : 0.0, steps, Vectors.dense(counts)));
    }
    return SharedSpark.session().createDataFrame(out, ORDER_SCHEMA);
  }

  /** Schema: {@code label double, features array<array<double>>}. */
  private static final StructType ADDING_SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("features", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType,
          false), false), false);

  /**
   * The adding problem (Hochreiter and Schmidhuber 1997): each step holds a uniform value in [0, 1)
   * and a marker; exactly two steps are marked, one in each half, and the label is the sum of their
   * values. Always predicting the mean (1.0) has MSE of about 1/6.
   */
  public static Dataset<Row> adding(int rows, int length, long seed) {
    Random random = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      double[][] steps = new double[length][2];
      for (int t = 0; t < length; t++) {
        steps[t][0] = random.nextDouble();
      }
      int a = random.nextInt(length / 2);
      int b = length / 2 + random.nextInt(length - length / 2);
      steps[a][1] = 1;
      steps[b][1] = 1;
      out.add(RowFactory.create(steps[a][0] + steps[b][0], steps));
    }
    return SharedSpark.session().createDataFrame(out, ADDING_SCHEMA);
  }

  /** Schema: {@code label double, features array<double>, lags vector}. */
  private static final StructType WINDOW_SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("lags", SQLDataTypes.VectorType(), false)
      .add("last", DataTypes.DoubleType, false);

  /** The monthly sunspot numbers of sample-data, in time order. */
  public static double[] sunspots() {
    try {
      return java.nio.file.Files.readAllLines(SharedSpark.sampleData("ts_sunspot_month.csv"))
          .stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * One-step-ahead forecasting windows over {@code series[from, to)}: for every target position
   * {@code i} in that range (with {@code window} values before it), the label {@code series[i]},
   * the window as {@code features}, the last {@code lags} values as a vector (for a linear AR
   * model) and the last value (the naive forecast).
   */
  public static Dataset<Row> windows(double[] series, int from, int to, int window, int lags) {
    List<Row> out = new ArrayList<>();
    for (int i = Math.max(from, window); i < to; i++) {
      double[] w = java.util.Arrays.copyOfRange(series, i - window, i);
      double[] l = java.util.Arrays.copyOfRange(series, i - lags, i);
      out.add(RowFactory.create(series[i], w, Vectors.dense(l), series[i - 1]));
    }
    return SharedSpark.session().createDataFrame(out, WINDOW_SCHEMA);
  }

  /** Schema: {@code features array<string>, label array<string>} (next characters). */
  private static final StructType TEXT_SCHEMA = new StructType()
      .add("features", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("label", DataTypes.createArrayType(DataTypes.StringType, false), false);

  /**
   * Character language-model rows: consecutive pieces of {@code length} characters of
   * {@code text}, each labelled with the same piece shifted by one character.
   */
  public static Dataset<Row> characters(String text, int length) {
    List<Row> out = new ArrayList<>();
    for (int s = 0; s + length + 1 <= text.length(); s += length) {
      String[] x = new String[length];
      String[] y = new String[length];
      for (int t = 0; t < length; t++) {
        x[t] = String.valueOf(text.charAt(s + t));
        y[t] = String.valueOf(text.charAt(s + t + 1));
      }
      out.add(RowFactory.create(x, y));
    }
    return SharedSpark.session().createDataFrame(out, TEXT_SCHEMA);
  }
}
