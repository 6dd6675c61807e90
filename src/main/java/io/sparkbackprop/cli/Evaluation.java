package io.sparkbackprop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.distributed.PredictionMetrics;
import java.util.Locale;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Quality of predictions against labels, with Spark's own metrics classes (one Spark job per call):
 * accuracy and weighted precision, recall and F1 plus the confusion matrix for classifiers; RMSE, MAE,
 * R² and explained variance for regressors.
 */
final class Evaluation {
  private Evaluation() {}

  /** Metrics of {@code predictions}, which hold {@code rows} rows (rows with a null label skipped). */
  static ObjectNode metrics(Task task, Dataset<Row> predictions, String labelCol, String predictionCol,
      long rows) {
    ObjectNode out = Json.object();
    out.put("rows", rows);
    if (task == Task.CLASSIFICATION) {
      MulticlassMetrics m = PredictionMetrics.multiclass(predictions, predictionCol, labelCol);
      out.set("accuracy", Json.number(m.accuracy()));
      out.set("weightedPrecision", Json.number(m.weightedPrecision()));
      out.set("weightedRecall", Json.number(m.weightedRecall()));
      out.set("weightedF1", Json.number(m.weightedFMeasure()));
      ArrayNode labels = out.putArray("labels");
      for (double label : m.labels()) {
        labels.add(label);
      }
      Matrix confusion = m.confusionMatrix().asML();
      ArrayNode matrix = out.putArray("confusionMatrix");
      for (int i = 0; i < confusion.numRows(); i++) {
        ArrayNode row = matrix.addArray();
        for (int j = 0; j < confusion.numCols(); j++) {
          row.add((long) confusion.apply(i, j));
        }
      }
    } else {
      RegressionMetrics m = PredictionMetrics.regression(predictions, predictionCol, labelCol);
      out.set("rmse", Json.number(m.rootMeanSquaredError()));
      out.set("mae", Json.number(m.meanAbsoluteError()));
      out.set("r2", Json.number(m.r2()));
      out.set("mse", Json.number(m.meanSquaredError()));
      out.set("explainedVariance", Json.number(m.explainedVariance()));
    }
    return out;
  }

  /** One line for the console: {@code accuracy 0.9612, weightedF1 0.9610 (360 rows)}. */
  static String summary(Task task, ObjectNode metrics) {
    String[] keys = task == Task.CLASSIFICATION
        ? new String[] {"accuracy", "weightedF1"} : new String[] {"rmse", "mae", "r2"};
    StringBuilder line = new StringBuilder();
    for (String key : keys) {
      if (line.length() > 0) {
        line.append(", ");
      }
      line.append(key).append(' ').append(metrics.get(key).isNull() ? "n/a"
          : String.format(Locale.ROOT, "%.4f", metrics.get(key).doubleValue()));
    }
    return line.append(" (").append(metrics.get("rows").longValue()).append(" rows)").toString();
  }
}
