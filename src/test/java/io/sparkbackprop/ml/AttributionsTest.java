package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Attributions stage on fitted models: what it says about generated data whose structure is
 * known, completeness of integrated gradients against the models' own outputs, raw feature units,
 * recurrent models, pipelines and persistence.
 */
class AttributionsTest {
  private static BackpropClassificationModel classifier;
  private static BackpropRegressionModel regressor;
  private static Dataset<Row> data;

  @TempDir
  Path dir;

  /**
   * Three features: the label depends on the first two only; the third is pure noise, on a scale
   * (mean 10, spread 5) unlike the others.
   */
  static Dataset<Row> generated(int rows, long seed, double firstFactor) {
    Random rng = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      double noise = 10 + 5 * rng.nextGaussian();
      double y = 3 * a - 2 * b + 0.1 * rng.nextGaussian();
      out.add(RowFactory.create(a + 0.8 * b > 0 ? 1.0 : 0.0, y, a * firstFactor, b, noise,
          Vectors.dense(a * firstFactor, b, noise)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("y", DataTypes.DoubleType).add("a", DataTypes.DoubleType)
        .add("b", DataTypes.DoubleType).add("noise", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    return SharedSpark.session().createDataFrame(out, schema).repartition(2);
  }

  private static BackpropClassificationModel fitClassifier(Dataset<Row> train) {
    return new BackpropClassifier().setHiddenLayers(8).setActivation("tanh").setStepSize(0.05)
        .setRegParam(1e-3).setMaxIter(60).setSeed(5).fit(train);
  }

  @BeforeAll
  static void fit() {
    data = generated(600, 1, 1.0).cache();
    classifier = fitClassifier(data);
    regressor = new BackpropRegressor().setHiddenLayers(8).setActivation("tanh").setStepSize(0.05)
        .setRegParam(1e-3).setMaxIter(60).setSeed(5).setLabelCol("y").fit(data);
  }

  @Test
  void aNoiseFeatureTheLabelIgnoresGetsAlmostNoImportance() {
    for (Vector importances : List.of(classifier.featureImportances(data),
        regressor.featureImportances(data),
        new Attributions(classifier).setMethod("smoothGrad").featureImportances(data),
        new Attributions(regressor).setMethod("saliency").featureImportances(data))) {
      double[] v = importances.toArray();
      System.out.println("importances " + importances);
      double smallestUseful = Math.min(v[0], v[1]);
      assertTrue(smallestUseful > 0, importances.toString());
      // Saliency is per raw unit: the noise feature's spread is 5, so compare per spread.
      assertTrue(v[2] * 5 < 0.1 * smallestUseful, "noise feature importance " + importances);
    }
  }

  @Test
  void integratedGradientsAddUpToTheChangeOfTheModelsOwnOutput() {
    Dataset<Row> rows = data.limit(40);
    double[] mean = classifier.content().spec().inputScaling().center();
    // The baseline row, scored by the models themselves.
    Dataset<Row> baselineRow = SharedSpark.session().createDataFrame(
        List.of(RowFactory.create(Vectors.dense(mean))),
        new StructType().add("features", SQLDataTypes.VectorType()));
    Vector baselineProbability = (Vector) classifier.transform(baselineRow)
        .select("probability").head().get(0);
    double baselinePrediction = regressor.transform(baselineRow).select("prediction").head()
        .getDouble(0);

    List<Row> explained = new Attributions(classifier).setSteps(100)
        .transform(classifier.transform(rows)).select("probability", "prediction", "attributions")
        .collectAsList();
    int moved = 0;
    for (Row r : explained) {
      int c = (int) r.getDouble(1);
      double change = ((Vector) r.get(0)).apply(c) - baselineProbability.apply(c);
      double sum = sumOf((Vector) r.get(2));
      assertEquals(change, sum, 0.01 * Math.abs(change) + 1e-4, "classifier row " + r);
      moved += Math.abs(change) > 0.05 ? 1 : 0;
    }
    assertTrue(moved > 10, "too few rows far from the baseline: " + moved);
    for (Row r : new Attributions(regressor).setSteps(100).transform(regressor.transform(rows))
        .select("prediction", "attributions").collectAsList()) {
      double change = r.getDouble(0) - baselinePrediction;
      assertEquals(change, sumOf((Vector) r.get(1)), 0.01 * Math.abs(change) + 1e-3,
          "regressor row " + r);
    }
  }

  /**
   * Measuring the first feature in units 1000 times smaller trains the same network on the same
   * standardised values: its saliency shrinks 1000 times, its integrated gradients stay.
   */
  @Test
  void attributionsAreWithRespectToTheRawFeatures() {
    Dataset<Row> scaledData = generated(600, 1, 1000.0);
    BackpropClassificationModel scaled = fitClassifier(scaledData);
    double[] saliency = new Attributions(classifier).setMethod("saliency")
        .featureImportances(data).toArray();
    double[] scaledSaliency = new Attributions(scaled).setMethod("saliency")
        .featureImportances(scaledData).toArray();
    assertEquals(saliency[0] / 1000, scaledSaliency[0], 0.02 * saliency[0] / 1000);
    assertEquals(saliency[1], scaledSaliency[1], 0.02 * saliency[1]);
    double[] ig = classifier.featureImportances(data).toArray();
    double[] scaledIg = scaled.featureImportances(scaledData).toArray();
    assertEquals(ig[0], scaledIg[0], 0.02 * ig[0]);
  }

  @Test
  void targetClassChoosesTheExplainedProbability() {
    Dataset<Row> rows = data.limit(20);
    List<Row> one = new Attributions(classifier).setMethod("saliency").setTargetClass(1)
        .transform(rows).select("attributions").collectAsList();
    List<Row> zero = new Attributions(classifier).setMethod("saliency").setTargetClass(0)
        .transform(rows).select("attributions").collectAsList();
    // Two classes: p0 = 1 - p1, so their gradients are opposite.
    for (int r = 0; r < one.size(); r++) {
      double[] a = ((Vector) one.get(r).get(0)).toArray();
      double[] b = ((Vector) zero.get(r).get(0)).toArray();
      for (int i = 0; i < a.length; i++) {
        assertEquals(-a[i], b[i], 1e-6 + 1e-4 * Math.abs(a[i]));
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> new Attributions(classifier).setTargetClass(2).transform(rows));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Attributions(regressor).setTargetClass(0).transform(rows));
    assertTrue(e.getMessage().contains("targetClass"), e.getMessage());
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> new Attributions().transform(rows));
    assertTrue(none.getMessage().contains("setModel"), none.getMessage());
    IllegalArgumentException base = assertThrows(IllegalArgumentException.class,
        () -> new Attributions(classifier).setBaseline(Vectors.dense(1, 2)).transform(rows));
    assertTrue(base.getMessage().contains("baseline has 2 values"), base.getMessage());
  }

  @Test
  void worksInsideAPipelineAndSavesAndLoadsWithIt() throws IOException {
    Dataset<Row> raw = data.drop("features").limit(30);
    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b", "noise"})
        .setOutputCol("features");
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, classifier,
        new Attributions(classifier).setMethod("smoothGrad").setSamples(10)}).fit(raw);
    List<Row> before = pipeline.transform(raw).select("prediction", "attributions")
        .collectAsList();
    String path = dir.resolve("pipeline").toString();
    pipeline.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertEquals(before, loaded.transform(raw).select("prediction", "attributions")
        .collectAsList());
    Attributions stage = (Attributions) loaded.stages()[2];
    assertEquals("smoothGrad", stage.getMethod());
    assertEquals(10, stage.getSamples());

    Attributions alone = new Attributions(regressor).setMethod("integratedGradients")
        .setBaseline(Vectors.dense(0, 0, 10)).setSteps(20).setAttributionsCol("why");
    alone.save(dir.resolve("alone").toString());
    Attributions back = Attributions.load(dir.resolve("alone").toString());
    assertEquals(alone.uid(), back.uid());
    assertEquals(Vectors.dense(0, 0, 10), back.getBaseline());
    assertEquals(20, back.getSteps());
    assertTrue(back.getModel() instanceof BackpropRegressionModel);
    assertEquals(alone.transform(data.limit(10)).select("why").collectAsList(),
        back.transform(data.limit(10)).select("why").collectAsList());
  }

  /**
   * A recurrent regressor on {@code array<double>} sequences whose label is the sum of the first
   * two steps: an array of one attribution per step, complete, and concentrated on those steps.
   */
  @Test
  void recurrentModelsGetOneAttributionPerStep() {
    Random rng = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 400; r++) {
      double[] steps = new double[3 + rng.nextInt(4)];
      for (int t = 0; t < steps.length; t++) {
        steps[t] = rng.nextGaussian();
      }
      rows.add(RowFactory.create(steps[0] + steps[1], steps));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false));
    Dataset<Row> sequences = SharedSpark.session().createDataFrame(rows, schema);
    RecurrentRegressionModel model = new RecurrentRegressor().setCell("gru").setHiddenSize(8)
        .setMaxIter(50).setStepSize(0.05).setSeed(2).fit(sequences);
    Dataset<Row> some = sequences.limit(30);
    List<Row> explained = new Attributions(model).setSteps(100).transform(model.transform(some))
        .select("features", "prediction", "attributions").collectAsList();
    // The baseline of a row is the training mean at each of its steps: score one per length.
    double mean = model.content().spec().inputScaling().center()[0];
    List<Row> flat = new ArrayList<>();
    for (int length = 1; length <= 6; length++) {
      double[] steps = new double[length];
      java.util.Arrays.fill(steps, mean);
      flat.add(RowFactory.create(0.0, steps));
    }
    List<Row> scored = model.transform(SharedSpark.session().createDataFrame(flat, schema))
        .select("prediction").collectAsList();
    double first = 0;
    double rest = 0;
    for (Row r : explained) {
      List<Double> x = r.getList(0);
      List<Double> a = r.getList(2);
      assertEquals(x.size(), a.size(), "one attribution per step");
      double change = r.getDouble(1) - scored.get(x.size() - 1).getDouble(0);
      double sum = a.stream().mapToDouble(Double::doubleValue).sum();
      assertEquals(change, sum, 0.01 * Math.abs(change) + 2e-3, "row " + x);
      first += Math.abs(a.get(0)) + Math.abs(a.get(1));
      for (int t = 2; t < a.size(); t++) {
        rest += Math.abs(a.get(t)) / (a.size() - 2) * 2; // per two steps, like the first
      }
    }
    assertTrue(rest < 0.25 * first, "later steps " + rest + " vs first two " + first);
    Vector importances = model.featureImportances(sequences);
    assertEquals(1, importances.size());
    assertTrue(importances.apply(0) > 0);
  }

  private static double sumOf(Vector v) {
    double s = 0;
    for (double x : v.toArray()) {
      s += x;
    }
    return s;
  }
}
