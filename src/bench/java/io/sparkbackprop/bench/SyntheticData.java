package io.sparkbackprop.bench;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Seeded synthetic classification data that a network can learn: standard-normal dense features, and
 * as label the argmax of a fixed random "teacher" network ({@code features -> 32 tanh -> classes}).
 * Row {@code i} depends only on the seed and {@code i}, so the data does not depend on partitioning.
 */
public final class SyntheticData implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int TEACHER_HIDDEN = 32;

  private final int features;
  private final int classes;
  private final long seed;
  private final double[] hiddenWeights;
  private final double[] outputWeights;

  public SyntheticData(int features, int classes, long seed) {
    this.features = features;
    this.classes = classes;
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed ^ 0x7EAC4E5L);
    hiddenWeights = new double[TEACHER_HIDDEN * features];
    for (int i = 0; i < hiddenWeights.length; i++) {
      hiddenWeights[i] = gaussian(random) / Math.sqrt(features);
    }
    outputWeights = new double[classes * TEACHER_HIDDEN];
    for (int i = 0; i < outputWeights.length; i++) {
      outputWeights[i] = gaussian(random);
    }
  }

  static StructType schema() {
    return new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.DoubleType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
  }

  /** {@code rows} rows (columns {@code label}, {@code features}) in {@code partitions} partitions. */
  public Dataset<Row> generate(SparkSession spark, long rows, int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> slices = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      slices.add(p);
    }
    JavaRDD<Row> data = jsc.parallelize(slices, partitions).mapPartitions(it -> {
      int p = it.next();
      long from = rows * p / partitions;
      long to = rows * (p + 1) / partitions;
      return rows(from, to);
    });
    return spark.createDataFrame(data, schema());
  }

  private Iterator<Row> rows(long from, long to) {
    return new Iterator<>() {
      private long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Row next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        return row(next++);
      }
    };
  }

  Row row(long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    double[] x = new double[features];
    for (int i = 0; i < features; i++) {
      x[i] = gaussian(random);
    }
    return RowFactory.create((double) teacherLabel(x), Vectors.dense(x));
  }

  int teacherLabel(double[] x) {
    double[] h = new double[TEACHER_HIDDEN];
    for (int j = 0; j < TEACHER_HIDDEN; j++) {
      double s = 0;
      for (int i = 0; i < features; i++) {
        s += hiddenWeights[j * features + i] * x[i];
      }
      h[j] = Math.tanh(s);
    }
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      double s = 0;
      for (int j = 0; j < TEACHER_HIDDEN; j++) {
        s += outputWeights[c * TEACHER_HIDDEN + j] * h[j];
      }
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    return best;
  }

  /** A standard normal draw (Box-Muller; one of the pair is dropped, which is fine here). */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
