package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fisher information estimate travels with the model (saved, loaded, absent from older
 * models), is computed at the end of fit or on demand, and the consolidation param refuses what
 * it cannot do.
 */
class FisherPersistenceTest {
  private static Dataset<Row> data;

  @TempDir
  Path dir;

  @BeforeAll
  static void data() {
    data = AttributionsTest.generated(300, 3, 1.0).cache();
  }

  private static BackpropClassifier classifier() {
    return new BackpropClassifier().setHiddenLayers(6).setActivation("tanh").setStepSize(0.05)
        .setMaxIter(20).setSeed(2);
  }

  @Test
  void fitComputesTheEstimateOnDemandGivesTheSameAndSavingKeepsIt() {
    BackpropClassificationModel plain = classifier().fit(data);
    assertFalse(plain.hasFisher());
    assertThrows(IllegalStateException.class, plain::fisherInformation);
    BackpropClassificationModel fitted = classifier().setComputeFisher(true).fit(data);
    assertTrue(fitted.hasFisher());
    double[] fisher = fitted.fisherInformation().toArray();
    assertEquals(fitted.weights().size(), fisher.length);
    double total = 0;
    for (double f : fisher) {
      assertTrue(f >= 0 && Double.isFinite(f));
      total += f;
    }
    assertTrue(total > 0);
    // Same weights, same rows: the on-demand estimate equals the one made at the end of fit.
    double[] onDemand = plain.withFisher(data).fisherInformation().toArray();
    assertArrayEquals(plain.weights().toArray(), fitted.weights().toArray(), 1e-6);
    assertArrayEquals(fisher, onDemand, 1e-6 * max(fisher));

    String path = dir.resolve("with-fisher").toString();
    ModelSupport.save(fitted, path);
    assertTrue(Files.isDirectory(dir.resolve("with-fisher/fisher")));
    BackpropClassificationModel loaded = BackpropClassificationModel.load(path);
    assertArrayEquals(fisher, loaded.fisherInformation().toArray(), 0);
    // A model saved without an estimate (as every model before format 1 of the Fisher file)
    // loads without one.
    String plainPath = dir.resolve("plain").toString();
    ModelSupport.save(plain, plainPath);
    assertFalse(Files.exists(dir.resolve("plain/fisher")));
    assertFalse(BackpropClassificationModel.load(plainPath).hasFisher());
  }

  @Test
  void regressorsCarryTheEstimateToo() {
    BackpropRegressionModel model = new BackpropRegressor().setHiddenLayers(4).setMaxIter(10)
        .setLabelCol("y").setComputeFisher(true).setFisherSampleFraction(0.5).fit(data);
    String path = dir.resolve("regressor").toString();
    ModelSupport.save(model, path);
    assertArrayEquals(model.fisherInformation().toArray(),
        BackpropRegressionModel.load(path).fisherInformation().toArray(), 0);
  }

  @Test
  void consolidationWarmStartsInsideAPipelineAndRoundTripsAsAParam() throws Exception {
    String first = dir.resolve("first").toString();
    ModelSupport.save(classifier().setComputeFisher(true).fit(data), first);
    BackpropClassifier next = classifier().setMaxIter(40).setInitialModelPath(first)
        .setConsolidation(100).setComputeFisher(true);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {next});
    String pipelinePath = dir.resolve("pipeline").toString();
    pipeline.save(pipelinePath);
    Pipeline reloaded = Pipeline.load(pipelinePath);
    BackpropClassifier stage = (BackpropClassifier) reloaded.getStages()[0];
    assertEquals(100, stage.getConsolidation());
    assertTrue(stage.getComputeFisher());
    PipelineModel model = reloaded.fit(data);
    BackpropClassificationModel fitted = (BackpropClassificationModel) model.stages()[0];
    // Online consolidation: the new estimate adds to the one it was held to.
    double[] earlier = BackpropClassificationModel.load(first).fisherInformation().toArray();
    double[] now = fitted.fisherInformation().toArray();
    for (int i = 0; i < now.length; i++) {
      assertTrue(now[i] >= earlier[i] - 1e-12, "entry " + i);
    }
    String modelPath = dir.resolve("pipeline-model").toString();
    model.save(modelPath);
    BackpropClassificationModel again =
        (BackpropClassificationModel) PipelineModel.load(modelPath).stages()[0];
    assertArrayEquals(now, again.fisherInformation().toArray(), 0);
  }

  @Test
  void consolidationNeedsAnInitialModelWithAnEstimate() {
    IllegalArgumentException noInitial = assertThrows(IllegalArgumentException.class,
        () -> classifier().setConsolidation(10).fit(data));
    assertTrue(noInitial.getMessage().contains("initialModelPath"), noInitial.getMessage());
    String path = dir.resolve("no-fisher").toString();
    ModelSupport.save(classifier().fit(data), path);
    IllegalArgumentException noFisher = assertThrows(IllegalArgumentException.class,
        () -> classifier().setMaxIter(30).setInitialModelPath(path).setConsolidation(10)
            .fit(data));
    assertTrue(noFisher.getMessage().contains("computeFisher"), noFisher.getMessage());
    assertThrows(IllegalArgumentException.class, () -> classifier().setConsolidation(-1));
    assertThrows(IllegalArgumentException.class, () -> classifier().setFisherSampleFraction(0));
  }

  /** Rows of (a per-sequence class, a per-step value array, a sine window of 3 to 8 steps). */
  private static Dataset<Row> sineWindows(int rows) {
    java.util.Random random = new java.util.Random(5);
    java.util.List<Row> out = new java.util.ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int length = 3 + random.nextInt(6);
      double phase = random.nextDouble() * 6;
      double[] values = new double[length];
      Double[] steps = new Double[length];
      Double[] next = new Double[length];
      for (int t = 0; t < length; t++) {
        values[t] = Math.sin(phase + 0.7 * t);
        steps[t] = values[t];
        next[t] = Math.sin(phase + 0.7 * (t + 1));
      }
      double label = Math.sin(phase + 0.7 * length) > 0 ? 1 : 0;
      out.add(org.apache.spark.sql.RowFactory.create(label, next, steps));
    }
    org.apache.spark.sql.types.DataType doubles =
        DataTypes.createArrayType(DataTypes.DoubleType, false);
    StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
        .add("nextSteps", doubles, false).add("features", doubles, false);
    return SharedSpark.session().createDataFrame(out, schema);
  }

  @Test
  void recurrentModelsShowTheEstimateAndMakeItOnDemandLikeFit() {
    Dataset<Row> sequences = sineWindows(120).cache();
    RecurrentClassificationModel plain = new RecurrentClassifier().setHiddenSize(4).setMaxIter(5)
        .setSeed(3).fit(sequences);
    assertFalse(plain.hasFisher());
    assertThrows(IllegalStateException.class, plain::fisherInformation);
    RecurrentClassificationModel fitted = new RecurrentClassifier().setHiddenSize(4).setMaxIter(5)
        .setSeed(3).setComputeFisher(true).fit(sequences);
    assertTrue(fitted.hasFisher());
    double[] fisher = fitted.fisherInformation().toArray();
    assertEquals(fitted.content().weights().length, fisher.length);
    assertArrayEquals(plain.content().weights(), fitted.content().weights(), 1e-6);
    RecurrentClassificationModel onDemand = plain.withFisher(sequences);
    assertEquals(plain.uid(), onDemand.uid());
    assertFalse(plain.hasFisher(), "withFisher makes a copy");
    assertTrue(onDemand.hasSummary());
    assertArrayEquals(fisher, onDemand.fisherInformation().toArray(), 1e-6 * max(fisher));
    String path = dir.resolve("recurrent").toString();
    ModelSupport.save(onDemand, path);
    assertArrayEquals(onDemand.fisherInformation().toArray(),
        RecurrentClassificationModel.load(path).fisherInformation().toArray(), 0);

    // One label per step.
    RecurrentRegressor perStep = new RecurrentRegressor().setOutputMode("sequence")
        .setLabelCol("nextSteps").setHiddenSize(4).setMaxIter(5).setSeed(3);
    double[] atFit = perStep.copy(org.apache.spark.ml.param.ParamMap.empty())
        .setComputeFisher(true).fit(sequences).fisherInformation().toArray();
    RecurrentRegressionModel regressor = perStep.fit(sequences);
    assertFalse(regressor.hasFisher());
    assertArrayEquals(atFit, regressor.withFisher(sequences).fisherInformation().toArray(),
        1e-6 * max(atFit));
  }

  private static double max(double[] values) {
    double m = 0;
    for (double v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
