package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What fitted models output and report: Spark's rawPrediction / probability / prediction semantics,
 * thresholds, class counts from label metadata, sizes and training summaries.
 */
class ModelOutputTest {
  private static Dataset<Row> train;
  private static Dataset<Row> test;
  private static BackpropClassificationModel model;

  @BeforeAll
  static void fit() {
    train = TestData.blobs(12, 3, 4, 1.2, 31);
    test = TestData.blobs(10, 3, 4, 1.2, 32);
    model = new BackpropClassifier().setHiddenLayers(5, 4).setMaxIter(12).setStepSize(0.05)
        .setSeed(5).fit(train);
  }

  @Test
  void probabilitiesAreTheSoftmaxOfRawPredictionsAndSumToOne() {
    for (Row row : model.transform(test).select("rawPrediction", "probability").collectAsList()) {
      double[] raw = ((Vector) row.get(0)).toArray();
      double[] p = ((Vector) row.get(1)).toArray();
      assertEquals(3, raw.length);
      assertEquals(3, p.length);
      double sum = 0;
      for (double v : p) {
        assertTrue(v >= 0 && v <= 1, "probability out of [0, 1]: " + v);
        sum += v;
      }
      assertEquals(1.0, sum, 1e-9);
      double[] softmax = softmax(raw);
      assertArrayEquals(softmax, p, 1e-9);
    }
  }

  @Test
  void singleRowMethodsAgreeWithTransform() {
    BackpropClassificationModel withThresholds = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setThresholds(new double[] {0.5, 0.2, 0.3});
    for (BackpropClassificationModel m : List.of(model, withThresholds)) {
      List<Row> rows = m.transform(test)
          .select("features", "rawPrediction", "probability", "prediction").collectAsList();
      for (Row row : rows) {
        Vector f = (Vector) row.get(0);
        assertEquals(row.get(1), m.predictRaw(f));
        assertArrayEquals(((Vector) row.get(2)).toArray(), m.predictProbability(f).toArray(), 1e-12);
        assertEquals(row.getDouble(3), m.predict(f));
      }
    }
  }

  @Test
  void predictionIsTheArgmaxOfProbabilityOverThresholds() {
    double[][] thresholdsToTry = {{1, 1, 1}, {0.5, 0.2, 0.3}, {0.1, 0.6, 0.3}};
    for (double[] t : thresholdsToTry) {
      List<Row> rows = model.copy(new org.apache.spark.ml.param.ParamMap()).setThresholds(t)
          .transform(test).select("probability", "prediction").collectAsList();
      for (Row row : rows) {
        double[] p = ((Vector) row.get(0)).toArray();
        double[] scaled = new double[p.length];
        for (int i = 0; i < p.length; i++) {
          scaled[i] = p[i] / t[i];
        }
        assertEquals(Vectors.dense(scaled).argmax(), row.getDouble(1), 0.0);
      }
    }
  }

  @Test
  void aHugeThresholdSuppressesItsClass() {
    List<Double> plain = predictions(model.transform(test));
    assertTrue(plain.contains(1.0), "class 1 is predicted without thresholds");
    List<Double> suppressed = predictions(model.copy(new org.apache.spark.ml.param.ParamMap())
        .setThresholds(new double[] {1, 1e9, 1}).transform(test));
    assertFalse(suppressed.contains(1.0), "class 1 must never be predicted");
    assertEquals(plain.size(), suppressed.size());
    for (int i = 0; i < plain.size(); i++) {
      if (plain.get(i) != 1.0) {
        assertEquals(plain.get(i), suppressed.get(i), "other predictions are unchanged");
      }
    }
  }

  @Test
  void thresholdsSetOnTheEstimatorReachTheModel() {
    BackpropClassificationModel m = new BackpropClassifier().setHiddenLayers(3).setMaxIter(3)
        .setThresholds(new double[] {1e9, 1, 1}).fit(train);
    assertArrayEquals(new double[] {1e9, 1, 1}, m.getThresholds(), 0.0);
    assertFalse(predictions(m.transform(test)).contains(0.0));
  }

  @Test
  void modelsReportTheirSizes() {
    assertEquals(4, model.numFeatures());
    assertEquals(3, model.numClasses());
    assertArrayEquals(new int[] {4, 5, 4, 3}, model.layerSizes());
    // Spark MLP layout: each layer's in * out weights plus out biases.
    assertEquals(4 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, model.weights().size());

    BackpropClassificationModel explicit = new BackpropClassifier().setLayers(4, 2, 3).setMaxIter(1)
        .fit(train);
    assertArrayEquals(new int[] {4, 2, 3}, explicit.layerSizes());
    assertEquals(4 * 2 + 2 + 2 * 3 + 3, explicit.weights().size());

    BackpropRegressionModel reg = new BackpropRegressor().setHiddenLayers(6).setMaxIter(1)
        .fit(TestData.linear(10, 0.1, 33));
    assertEquals(3, reg.numFeatures());
    assertArrayEquals(new int[] {3, 6, 1}, reg.layerSizes());
    assertEquals(3 * 6 + 6 + 6 + 1, reg.weights().size());
  }

  @Test
  void labelMetadataFromStringIndexerSetsTheClassCount() {
    // Four classes; the rarest one ("d") is missing from the training rows.
    List<Row> rows = new ArrayList<>();
    String[] names = {"a", "b", "c", "d"};
    int[] counts = {9, 7, 5, 2};
    for (int c = 0; c < names.length; c++) {
      for (int i = 0; i < counts[c]; i++) {
        rows.add(RowFactory.create(names[c], Vectors.dense(c + 0.1 * i, 1.0 - c)));
      }
    }
    Dataset<Row> all = SharedSpark.session().createDataFrame(rows, new StructType()
        .add("name", DataTypes.StringType).add("features", SQLDataTypes.VectorType()));
    StringIndexerModel indexer = new StringIndexer().setInputCol("name").setOutputCol("label")
        .fit(all);
    Dataset<Row> indexed = indexer.transform(all);
    Dataset<Row> withoutD = indexed.filter(functions.col("name").notEqual("d"));
    assertEquals(3, withoutD.select("label").distinct().count());

    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(3).setMaxIter(2);
    BackpropClassificationModel m = clf.fit(withoutD);
    assertEquals(4, m.numClasses(), "StringIndexer's metadata declares 4 classes");
    assertEquals(4, m.layerSizes()[m.layerSizes().length - 1]);
    Row out = m.transform(indexed).select("probability").head();
    assertEquals(4, ((Vector) out.get(0)).size());

    // Without the metadata only the labels present can be counted.
    Dataset<Row> stripped = withoutD.withColumn("label",
        functions.col("label").as("label", Metadata.empty()));
    assertEquals(3, clf.fit(stripped).numClasses());
  }

  @Test
  void summaryHistoryHasOneLossPerIteration() {
    BackpropClassificationModel m = new BackpropClassifier().setHiddenLayers(4).setMaxIter(6)
        .setTol(0).setSolver("gd").setStepSize(0.1).fit(train);
    assertTrue(m.hasSummary());
    BackpropTrainingSummary s = m.summary();
    assertEquals(6, s.totalIterations());
    double[] history = s.objectiveHistory();
    assertEquals(s.totalIterations(), history.length);
    for (double loss : history) {
      assertTrue(Double.isFinite(loss) && loss > 0, "loss " + loss);
    }
    assertTrue(history[history.length - 1] < history[0], "the loss goes down");
    assertEquals("MAX_ITER", s.stopReason());

    BackpropRegressionModel r = new BackpropRegressor().setHiddenLayers(2).setMaxIter(4).setTol(0)
        .fit(TestData.linear(15, 0.1, 34));
    assertEquals(4, r.summary().totalIterations());
    assertEquals(4, r.summary().objectiveHistory().length);
  }

  @Test
  void trainingStopsEarlyOnceTheLossSettles() {
    BackpropClassificationModel m = new BackpropClassifier().setHiddenLayers(4).setMaxIter(40)
        .setTol(0.5).fit(train);
    BackpropTrainingSummary s = m.summary();
    assertEquals("CONVERGED", s.stopReason());
    assertTrue(s.totalIterations() < 40, "iterations " + s.totalIterations());
    assertEquals(s.totalIterations(), s.objectiveHistory().length);
  }

  @Test
  void regressionPredictMatchesTransform() {
    BackpropRegressionModel reg = new BackpropRegressor().setHiddenLayers(3).setMaxIter(4)
        .fit(TestData.linear(20, 0.1, 35));
    List<Row> rows = reg.transform(TestData.linear(8, 0.1, 36)).select("features", "prediction")
        .collectAsList();
    List<Double> distinct = new ArrayList<>();
    for (Row row : rows) {
      assertEquals(row.getDouble(1), reg.predict((Vector) row.get(0)));
      distinct.add(row.getDouble(1));
    }
    assertNotEquals(distinct.get(0), distinct.get(1), "predictions depend on the features");
  }

  static List<Double> predictions(Dataset<Row> transformed) {
    List<Double> out = new ArrayList<>();
    for (Row row : transformed.select("prediction").collectAsList()) {
      out.add(row.getDouble(0));
    }
    return out;
  }

  static double[] softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = Math.exp(z[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < z.length; i++) {
      out[i] /= sum;
    }
    return out;
  }
}
