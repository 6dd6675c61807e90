package io.sparkbackprop.distributed;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Spark's own metrics classes over a predictions table. They take an RDD of (prediction, label) pairs,
 * and RDDs stay in this package; rows with a null prediction or label are skipped.
 */
public final class PredictionMetrics {
  private PredictionMetrics() {}

  /** Accuracy, weighted precision/recall/F1 and the confusion matrix. */
  public static MulticlassMetrics multiclass(Dataset<Row> predictions, String predictionCol,
      String labelCol) {
    return new MulticlassMetrics(pairs(predictions, predictionCol, labelCol).rdd());
  }

  /** RMSE, MAE, R² and explained variance. */
  public static RegressionMetrics regression(Dataset<Row> predictions, String predictionCol,
      String labelCol) {
    return new RegressionMetrics(pairs(predictions, predictionCol, labelCol).rdd());
  }

  private static JavaRDD<Tuple2<Object, Object>> pairs(Dataset<Row> predictions, String predictionCol,
      String labelCol) {
    return predictions
        .select(col(predictionCol).cast("double"), col(labelCol).cast("double"))
        .na().drop()
        .javaRDD()
        .map(r -> new Tuple2<>(r.get(0), r.get(1)));
  }
}
