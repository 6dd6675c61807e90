package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.TestData;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Our stages inside Spark's tuning and evaluation machinery. */
class TuningAndEvaluationTest {

  @Test
  void crossValidatorPicksTheBestGridPoint() {
    Dataset<Row> data = TestData.blobs(12, 3, 4, 1.0, 41);
    // The grid's 15-iteration budget was calibrated on unscaled inputs, where these well-separated
    // blobs train faster than after standardisation (which shrinks the class gaps to about 1.7 sigma).
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(6).setSeed(2).setTol(0)
        .setStandardization(false);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(clf.stepSize(), new double[] {1e-5, 0.05})
        .addGrid(clf.maxIter(), new int[] {1, 15})
        .build();
    assertEquals(4, grid.length);
    MulticlassClassificationEvaluator accuracy =
        new MulticlassClassificationEvaluator().setMetricName("accuracy");
    CrossValidatorModel cv = new CrossValidator().setEstimator(clf).setEstimatorParamMaps(grid)
        .setEvaluator(accuracy).setNumFolds(2).setSeed(3).fit(data);

    double[] metrics = cv.avgMetrics();
    assertEquals(4, metrics.length);
    int best = argmax(metrics);
    BackpropClassificationModel bestModel = (BackpropClassificationModel) cv.bestModel();
    assertEquals((Double) grid[best].apply(clf.stepSize()), bestModel.getStepSize());
    assertEquals((Integer) grid[best].apply(clf.maxIter()), bestModel.getMaxIter());
    assertEquals(bestModel.getMaxIter(), bestModel.summary().totalIterations(),
        "the grid's maxIter was really applied");
    assertTrue(metrics[best] >= 0.9, "best cross-validated accuracy " + metrics[best]);
    assertTrue(metrics[argmin(metrics)] < metrics[best], "the grid points differ");
    assertTrue(accuracy.evaluate(cv.transform(data)) >= 0.9);
  }

  @Test
  void trainValidationSplitOverAPipelinePicksTheSmallestRmse() {
    Dataset<Row> data = TestData.linear(40, 0.05, 42).withColumnRenamed("features", "raw");
    BackpropRegressor reg = new BackpropRegressor().setHiddenLayers(4).setSeed(4).setTol(0);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("raw").setOutputCol("features"), reg});
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(reg.stepSize(), new double[] {1e-5, 0.05})
        .addGrid(reg.maxIter(), new int[] {2, 25})
        .build();
    RegressionEvaluator rmse = new RegressionEvaluator().setMetricName("rmse");
    TrainValidationSplitModel tvs = new TrainValidationSplit().setEstimator(pipeline)
        .setEstimatorParamMaps(grid).setEvaluator(rmse).setTrainRatio(0.75).setSeed(5)
        .fit(data);

    double[] metrics = tvs.validationMetrics();
    assertEquals(4, metrics.length);
    int best = argmin(metrics);
    BackpropRegressionModel bestModel =
        (BackpropRegressionModel) ((PipelineModel) tvs.bestModel()).stages()[1];
    assertEquals((Double) grid[best].apply(reg.stepSize()), bestModel.getStepSize());
    assertEquals((Integer) grid[best].apply(reg.maxIter()), bestModel.getMaxIter());
    assertEquals(0.05, bestModel.getStepSize(), "the tiny step barely moves from the start");
    assertEquals(25, bestModel.getMaxIter());
    assertTrue(metrics[best] < metrics[argmax(metrics)]);
  }

  @Test
  void multiclassEvaluatorMetricsMatchTheOutputs() {
    Dataset<Row> data = TestData.blobs(10, 3, 4, 1.5, 43);
    Dataset<Row> out = new BackpropClassifier().setHiddenLayers(5).setMaxIter(10).setStepSize(0.05)
        .fit(data).transform(data).cache();
    List<Row> rows = out.select("label", "prediction", "probability").collectAsList();
    double correct = 0;
    double logLoss = 0;
    for (Row row : rows) {
      correct += row.getDouble(0) == row.getDouble(1) ? 1 : 0;
      double p = ((Vector) row.get(2)).apply((int) row.getDouble(0));
      logLoss -= Math.log(Math.max(p, 1e-15));
    }
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator();
    assertEquals(correct / rows.size(), evaluator.setMetricName("accuracy").evaluate(out), 1e-12);
    double f1 = evaluator.setMetricName("f1").evaluate(out);
    assertTrue(f1 > 0.5 && f1 <= 1.0, "f1 " + f1);
    assertEquals(logLoss / rows.size(), evaluator.setMetricName("logLoss").evaluate(out), 1e-9);
    out.unpersist();
  }

  @Test
  void binaryEvaluatorAcceptsTheRawPredictionColumn() {
    Dataset<Row> data = TestData.blobs(30, 2, 2, 1.0, 44);
    Dataset<Row> out = new BackpropClassifier().setHiddenLayers(4).setMaxIter(20).setStepSize(0.05)
        .fit(data).transform(data);
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator()
        .setMetricName("areaUnderROC");
    double fromRaw = auc.evaluate(out); // default rawPredictionCol: our 2-wide logits
    assertTrue(fromRaw >= 0 && fromRaw <= 1, "AUC " + fromRaw);
    double fromProbability = auc.setRawPredictionCol("probability").evaluate(out);
    assertTrue(fromProbability >= 0.95, "AUC " + fromProbability);
  }

  @Test
  void binaryAreaUnderRocIsTheSameFromRawPredictionAndProbability() {
    Dataset<Row> data = TestData.blobs(40, 2, 2, 2.5, 3);
    Dataset<Row> out = new BackpropClassifier().setHiddenLayers(4).setMaxIter(10).fit(data)
        .transform(data).cache();
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
    double fromRaw = auc.evaluate(out);
    double fromProbability = auc.setRawPredictionCol("probability").evaluate(out);
    assertEquals(fromProbability, fromRaw, 1e-6);
    out.unpersist();
  }

  @Test
  void regressionEvaluatorMetricsMatchTheOutputs() {
    Dataset<Row> data = TestData.linear(30, 0.1, 45);
    Dataset<Row> out = new BackpropRegressor().setHiddenLayers(4).setMaxIter(30).setStepSize(0.05)
        .fit(data).transform(data).cache();
    List<Row> rows = out.select("label", "prediction").collectAsList();
    double mean = rows.stream().mapToDouble(r -> r.getDouble(0)).average().orElseThrow();
    double sse = 0;
    double sst = 0;
    for (Row row : rows) {
      sse += Math.pow(row.getDouble(0) - row.getDouble(1), 2);
      sst += Math.pow(row.getDouble(0) - mean, 2);
    }
    RegressionEvaluator evaluator = new RegressionEvaluator();
    assertEquals(Math.sqrt(sse / rows.size()), evaluator.setMetricName("rmse").evaluate(out), 1e-9);
    double r2 = evaluator.setMetricName("r2").evaluate(out);
    assertEquals(1 - sse / sst, r2, 1e-9);
    assertTrue(r2 > 0.5, "r2 " + r2);
    out.unpersist();
  }

  static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  static int argmin(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[best]) {
        best = i;
      }
    }
    return best;
  }
}
