package io.sparkbackprop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Seeded synthetic datasets with known structure. */
public final class GeneratedData {
  private GeneratedData() {}

  /**
   * Friedman #1 (Friedman 1991): ten uniform features, of which five matter,
   * {@code y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + N(0, 1)}. The noise caps R^2 at
   * about 0.96.
   */
  public static Dataset<Row> friedman1(int rows, long seed, int partitions) {
    Random rng = new Random(seed);
    List<Row> data = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double[] x = new double[10];
      for (int k = 0; k < x.length; k++) {
        x[k] = rng.nextDouble();
      }
      double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * Math.pow(x[2] - 0.5, 2) + 10 * x[3]
          + 5 * x[4] + rng.nextGaussian();
      data.add(RowFactory.create(y, Vectors.dense(x)));
    }
    return SharedSpark.session().createDataFrame(data, labeledSchema()).repartition(partitions);
  }

  /** Three interleaved noisy spirals in the plane, one class each: not linearly separable. */
  public static Dataset<Row> spirals(int rowsPerClass, long seed, int partitions) {
    Random rng = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < rowsPerClass; i++) {
        double t = (double) i / rowsPerClass;
        double angle = 4 * t + c * 2 * Math.PI / 3 + 0.2 * rng.nextGaussian();
        data.add(RowFactory.create((double) c,
            Vectors.dense(t * Math.cos(angle), t * Math.sin(angle))));
      }
    }
    return SharedSpark.session().createDataFrame(data, labeledSchema()).repartition(partitions);
  }

  public static StructType labeledSchema() {
    return new StructType()
        .add("label", DataTypes.DoubleType, false)
        .add("features", new VectorUDT(), false);
  }
}
