package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.PolynomialExpansion;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's code, statement for statement (only the paths point into a temporary folder), so
 * the documentation cannot drift from the API.
 */
class ReadmeExamplesTest {
  private final SparkSession spark = SharedSpark.session();

  @TempDir
  Path tmp;

  @Test
  void quickStart() throws Exception {
    Dataset<Row> digits = spark.read().format("libsvm").option("numFeatures", "64")
        .load("sample-data/digits.libsvm");
    Dataset<Row>[] split = digits.randomSplit(new double[] {0.8, 0.2}, 42);

    BackpropClassificationModel model = new BackpropClassifier()
        .setHiddenLayers(128)
        .setActivation("relu")
        .setSolver("adam")
        .setStepSize(0.03)
        .setRegParam(3e-3)
        .setMaxIter(100)
        .fit(split[0]);

    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(split[1]));
    model.write().overwrite().save(tmp.resolve("digits-model").toString());

    assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
    assertEquals(100, model.summary().totalIterations());
  }

  @Test
  void pipelineWithCrossValidation() throws Exception {
    Dataset<Row> diabetes = spark.read().format("libsvm").option("numFeatures", "10")
        .load("sample-data/diabetes_regression.libsvm");
    Dataset<Row>[] parts = diabetes.randomSplit(new double[] {0.8, 0.2}, 7);

    PolynomialExpansion pairs = new PolynomialExpansion()
        .setInputCol("features").setOutputCol("expanded").setDegree(2);
    BackpropRegressor regressor = new BackpropRegressor()
        .setFeaturesCol("expanded").setHiddenLayers(16).setActivation("tanh").setMaxIter(100);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {pairs, regressor});

    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(regressor.stepSize(), new double[] {0.003, 0.01})
        .addGrid(regressor.regParam(), new double[] {1e-3, 1e-2})
        .build();
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new RegressionEvaluator().setMetricName("rmse")).setNumFolds(3).setSeed(7)
        .fit(parts[0]);

    PipelineModel best = (PipelineModel) cv.bestModel();
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(best.transform(parts[1]));
    best.write().overwrite().save(tmp.resolve("diabetes-pipeline").toString());
    PipelineModel reloaded = PipelineModel.load(tmp.resolve("diabetes-pipeline").toString());

    // The label's spread is about 77; a useful model is well below it.
    assertTrue(rmse < 65, "held-out RMSE " + rmse);
    assertEquals(rmse, new RegressionEvaluator().setMetricName("rmse")
        .evaluate(reloaded.transform(parts[1])), 1e-9);
  }
}
