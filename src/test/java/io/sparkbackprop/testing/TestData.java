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
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Small generated datasets for the Spark ML tests: deterministic for a seed, a few dozen rows, so a
 * fit takes well under a second.
 */
public final class TestData {
  private TestData() {}

  /** The schema of a labelled dataset: {@code label double, features vector}. */
  public static StructType labelledSchema() {
    return new StructType()
        .add("label", DataTypes.DoubleType, true)
        .add("features", SQLDataTypes.VectorType(), true);
  }

  /** A dataset built from (label, features) pairs; a null label or vector is kept as null. */
  public static Dataset<Row> labelled(Object... labelThenFeatures) {
    if (labelThenFeatures.length % 2 != 0) {
      throw new IllegalArgumentException("pass label, features pairs");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < labelThenFeatures.length; i += 2) {
      rows.add(RowFactory.create(labelThenFeatures[i], labelThenFeatures[i + 1]));
    }
    return SharedSpark.session().createDataFrame(rows, labelledSchema());
  }

  /**
   * Well separated Gaussian blobs: class c (0..classes-1) is centred at 3 * e_(c mod features) plus
   * 3 * (c / features) on every axis, with unit-ish noise scaled by {@code spread}.
   */
  public static Dataset<Row> blobs(int rowsPerClass, int classes, int features, double spread,
      long seed) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < rowsPerClass; i++) {
      for (int c = 0; c < classes; c++) {
        double[] x = new double[features];
        for (int j = 0; j < features; j++) {
          x[j] = spread * random.nextGaussian() + 3.0 * (c / features);
        }
        x[c % features] += 3.0;
        rows.add(RowFactory.create((double) c, Vectors.dense(x)));
      }
    }
    return SharedSpark.session().createDataFrame(rows, labelledSchema());
  }

  /** Labels y = 2 x0 - x1 + 0.5 x2 + 10 plus small noise, for features drawn uniformly in [-1, 1]. */
  public static Dataset<Row> linear(int rows, double noise, long seed) {
    Random random = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[3];
      for (int j = 0; j < x.length; j++) {
        x[j] = 2 * random.nextDouble() - 1;
      }
      double y = 2 * x[0] - x[1] + 0.5 * x[2] + 10 + noise * random.nextGaussian();
      out.add(RowFactory.create(y, Vectors.dense(x)));
    }
    return SharedSpark.session().createDataFrame(out, labelledSchema());
  }

  /** The same rows with every feature vector stored dense (same partitioning, same order). */
  public static Dataset<Row> withDenseFeatures(Dataset<Row> data, String featuresCol) {
    return data.withColumn(featuresCol, org.apache.spark.ml.functions.array_to_vector(
        org.apache.spark.ml.functions.vector_to_array(functions.col(featuresCol), "float64")));
  }

  /** The same rows with every feature vector stored sparse (same partitioning, same order). */
  public static Dataset<Row> withSparseFeatures(Dataset<Row> data, String featuresCol) {
    return data.withColumn(featuresCol, functions.udf(
        (org.apache.spark.sql.api.java.UDF1<Vector, Vector>) Vector::toSparse,
        SQLDataTypes.VectorType()).apply(functions.col(featuresCol)));
  }

  /** Iris from sample-data (150 rows, 4 features, labels 0..2). */
  public static Dataset<Row> iris() {
    return SharedSpark.libsvm("iris.libsvm", 4);
  }
}
