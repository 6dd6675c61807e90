package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.TestData;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** Cheap checks that training learns something on the real sample data (held-out rows). */
class LearningSanityTest {

  private static Pipeline scaled(PipelineStage model) {
    return new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true), model});
  }

  private static double heldOutAccuracy(String file, int numFeatures) {
    Dataset<Row> data = SharedSpark.libsvm(file, numFeatures).withColumnRenamed("features", "raw");
    Dataset<Row>[] split = data.randomSplit(new double[] {0.6, 0.4}, 11);
    PipelineModel model = scaled(new BackpropClassifier().setHiddenLayers(16).setMaxIter(80)
        .setStepSize(0.05).setSeed(11)).fit(split[0]);
    return new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(split[1]));
  }

  @Test
  void classifierLearnsIris() {
    double accuracy = heldOutAccuracy("iris.libsvm", 4);
    assertTrue(accuracy >= 0.9, "held-out iris accuracy " + accuracy);
  }

  @Test
  void classifierLearnsWine() {
    double accuracy = heldOutAccuracy("wine.libsvm", 13);
    assertTrue(accuracy >= 0.9, "held-out wine accuracy " + accuracy);
  }

  @Test
  void regressorBeatsAConstantPredictorOnDiabetes() {
    Dataset<Row> data = SharedSpark.libsvm("diabetes_regression.libsvm", 10)
        .withColumnRenamed("features", "raw");
    Dataset<Row>[] split = data.randomSplit(new double[] {0.7, 0.3}, 12);
    PipelineModel model = scaled(new BackpropRegressor().setHiddenLayers(8).setMaxIter(80)
        .setStepSize(0.01).setSeed(2)).fit(split[0]);
    Dataset<Row> predicted = model.transform(split[1]).cache();
    RegressionEvaluator evaluator = new RegressionEvaluator();
    double r2 = evaluator.setMetricName("r2").evaluate(predicted);
    double rmse = evaluator.setMetricName("rmse").evaluate(predicted);
    double trainMean = split[0].agg(functions.avg("label")).head().getDouble(0);
    double constantRmse = evaluator.setMetricName("rmse")
        .evaluate(predicted.withColumn("prediction", functions.lit(trainMean)));
    assertTrue(r2 >= 0.3, "held-out R^2 " + r2);
    assertTrue(rmse < 0.85 * constantRmse, "rmse " + rmse + " vs constant " + constantRmse);
    predicted.unpersist();
  }

  @Test
  void sparseAndDenseInputGiveTheSameModel() {
    Dataset<Row> digits = SharedSpark.libsvm("digits.libsvm", 64).filter("label < 3");
    Dataset<Row> sparse = TestData.withSparseFeatures(digits, "features");
    Dataset<Row> dense = TestData.withDenseFeatures(digits, "features");
    assertTrue(sparse.head().get(1) instanceof SparseVector);
    assertTrue(dense.head().get(1) instanceof DenseVector);

    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(8).setMaxIter(4).setSeed(9)
        .setTol(0).setBlockSize(32);
    BackpropClassificationModel fromSparse = clf.fit(sparse);
    BackpropClassificationModel fromDense = clf.fit(dense);
    assertArrayEquals(fromSparse.layerSizes(), fromDense.layerSizes());
    assertArrayEquals(fromSparse.summary().objectiveHistory(), fromDense.summary().objectiveHistory(),
        1e-6);
    assertArrayEquals(fromSparse.weights().toArray(), fromDense.weights().toArray(), 1e-6);

    // Either model predicts the same for sparse and dense copies of a row.
    List<Row> rows = sparse.select("features").limit(5).collectAsList();
    for (Row row : rows) {
      Vector v = (Vector) row.get(0);
      assertArrayEquals(fromSparse.predictRaw(v).toArray(),
          fromSparse.predictRaw(v.toDense()).toArray(), 1e-6);
      assertEquals(fromSparse.predict(v), fromDense.predict(v.toDense()));
    }
  }
}
