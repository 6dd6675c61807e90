package io.sparkbackprop.bench.scaling;

import java.util.ArrayList;
import java.util.List;
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
 * Generated rows for timing only: standard-normal features and uniformly random class labels
 * (nothing to learn; the arithmetic of a pass does not depend on the values). Row {@code i} depends
 * only on the seed and {@code i}, and partition {@code p} holds an equal share of the rows.
 */
final class RandomRows {
  private RandomRows() {}

  static Dataset<Row> generate(SparkSession spark, long rows, int partitions, int features,
      int classes, long seed) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Integer> slices = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      slices.add(p);
    }
    JavaRDD<Row> data = jsc.parallelize(slices, partitions).mapPartitions(it -> {
      int p = it.next();
      long from = rows * p / partitions;
      long to = rows * (p + 1) / partitions;
      List<Row> out = new ArrayList<>((int) (to - from));
      for (long i = from; i < to; i++) {
        out.add(row(i, features, classes, seed));
      }
      return out.iterator();
    });
    StructType schema = new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.DoubleType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
    return spark.createDataFrame(data, schema);
  }

  private static Row row(long index, int features, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    double[] x = new double[features];
    for (int i = 0; i < features; i++) {
      // Sum of uniforms, close enough to a normal draw for timing.
      x[i] = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
    }
    return RowFactory.create((double) random.nextInt(classes), Vectors.dense(x));
  }
}
