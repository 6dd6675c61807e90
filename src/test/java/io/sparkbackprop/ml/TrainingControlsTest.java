package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.training.IterationRecord;
import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.TrainingData.Example;
import io.sparkbackprop.testing.TrainingData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Early stopping, learning-rate schedules, the training listener and summary, dropout, and divergence
 * handling (clipping, automatic step halving) through the estimator API.
 */
class TrainingControlsTest {

  @BeforeAll
  static void startSpark() {
    SharedSpark.session();
  }

  private static Dataset<Row> small() {
    return TrainingData.frame(TrainingData.blobs(6, 3, 4, 1.0, 41), 1);
  }

  private static double min(double[] values) {
    return Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().orElseThrow();
  }

  private static boolean allFinite(Vector v) {
    return Arrays.stream(v.toArray()).allMatch(Double::isFinite);
  }

  // ---------------------------------------------------------------- stopping on a loss plateau

  /**
   * Feed-forward fits with a first-order solver stop on a plateau of the epoch loss by default
   * (tol 1e-4, lossPatience 10): an easy problem ends long before maxIter, where the relative rule
   * of tol 1e-6 (set explicitly) runs on. L-BFGS keeps the relative rule: its default fit equals
   * one with tol 1e-6 set. Failed before the default was wired: the default fit ran as long as the
   * explicit relative rule.
   */
  @Test
  void firstOrderFitsStopOnALossPlateauByDefaultAndLbfgsKeepsTheRelativeRule() {
    Dataset<Row> data = TrainingData.frame(TrainingData.blobs(30, 3, 4, 0.8, 43), 1);
    BackpropClassificationModel plateau = new BackpropClassifier().setHiddenLayers(8).setSeed(2)
        .setMaxIter(3000).fit(data);
    BackpropClassificationModel relative = new BackpropClassifier().setHiddenLayers(8).setSeed(2)
        .setMaxIter(3000).setTol(1e-6).fit(data);
    assertEquals("CONVERGED", plateau.summary().stopReason());
    int stopped = plateau.summary().totalIterations();
    assertTrue(stopped < relative.summary().totalIterations() / 2, "the plateau rule stopped at "
        + stopped + ", the relative rule at " + relative.summary().totalIterations());
    BackpropClassificationModel same = new BackpropClassifier().setHiddenLayers(8).setSeed(2)
        .setMaxIter(3000).setTol(1e-4).setLossPatience(10).fit(data);
    assertEquals(stopped, same.summary().totalIterations(), "the default is tol 1e-4, patience 10");

    BackpropClassificationModel lbfgs = new BackpropClassifier().setHiddenLayers(8).setSeed(2)
        .setSolver("l-bfgs").setMaxIter(3000).fit(data);
    BackpropClassificationModel lbfgsRelative = new BackpropClassifier().setHiddenLayers(8)
        .setSeed(2).setSolver("l-bfgs").setMaxIter(3000).setTol(1e-6).fit(data);
    assertEquals(lbfgsRelative.summary().totalIterations(), lbfgs.summary().totalIterations());
    assertArrayEquals(lbfgsRelative.weights().toArray(), lbfgs.weights().toArray());
  }

  // ---------------------------------------------------------------- early stopping

  @Test
  void earlyStoppingStopsAnOverfittingModelAndKeepsTheBestValidationWeights() {
    // 60 noisy training rows with 8 pure-noise features and a 256 x 256 network: it memorises the
    // training rows within a few iterations, after which the validation loss climbs.
    List<Example> rows = new ArrayList<>();
    List<Example> train = TrainingData.noisyTwoClass(60, 0.2, 8, 5);
    List<Example> validation = TrainingData.noisyTwoClass(60, 0.2, 8, 6);
    for (int i = 0; i < train.size(); i++) {
      rows.add(train.get(i).withWeight(i % 3 == 0 ? 2.0 : 1.0));
      // Non-unit weights on the validation rows too: the validation loss is a weighted mean.
      rows.add(validation.get(i).withWeight(i % 4 == 0 ? 0.5 : 1.5).withValidation(true));
    }
    Dataset<Row> data = TrainingData.frame(rows, 1);
    int maxIter = 300;
    int patience = 5;
    BackpropClassificationModel model = new BackpropClassifier().setHiddenLayers(256, 256)
        .setStepSize(0.001).setMaxIter(maxIter).setTol(0).setSeed(3).setWeightCol("weight")
        .setValidationIndicatorCol("validation").setEarlyStoppingPatience(patience).fit(data);
    BackpropTrainingSummary summary = model.summary();
    assertEquals("EARLY_STOPPED", summary.stopReason());
    int iterations = summary.totalIterations();
    assertTrue(iterations < maxIter, iterations + " iterations");

    double[] history = summary.validationLossHistory();
    int best = 0;
    for (int i = 1; i < history.length; i++) {
      assertTrue(Double.isFinite(history[i]), "validation loss at iteration " + (i + 1));
      if (history[i] < history[best]) {
        best = i;
      }
    }
    assertTrue(best > 0, "the validation loss never improved: " + Arrays.toString(history));
    // Stopped after exactly `patience` validations without a new best.
    assertEquals(best + 1 + patience, iterations, Arrays.toString(history));
    double last = history[history.length - 1];
    assertTrue(last > history[best] * (1 + 1e-3), "the last iterate should be worse than the best");

    // The kept model's validation loss, computed from its probabilities, is the recorded minimum.
    List<Row> predicted = model.transform(data.filter("validation"))
        .select("label", "probability", "weight").collectAsList();
    assertEquals(60, predicted.size());
    double loss = 0;
    double weight = 0;
    for (Row r : predicted) {
      double p = ((Vector) r.get(1)).apply((int) r.getDouble(0));
      loss += -Math.log(p) * r.getDouble(2);
      weight += r.getDouble(2);
    }
    double keptLoss = loss / weight;
    assertEquals(min(history), keptLoss, 1e-4 * keptLoss,
        "validation loss of the kept model vs the history " + Arrays.toString(history));
    assertNotEquals(last, keptLoss, 1e-4 * keptLoss);
  }

  // ---------------------------------------------------------------- schedules

  private static final double BASE = 0.1;
  private static final int SCHEDULE_ITERS = 9;

  static Stream<Arguments> schedules() {
    return Stream.of(
        schedule("constant", c -> {}, t -> BASE),
        schedule("step: decayRate 0.5 every 4 iterations",
            c -> c.setLearningRateSchedule("step").setDecayRate(0.5).setDecaySteps(4),
            t -> BASE * Math.pow(0.5, (t - 1) / 4)),
        schedule("exponential: decayRate 0.8",
            c -> c.setLearningRateSchedule("exponential").setDecayRate(0.8),
            t -> BASE * Math.pow(0.8, t - 1)),
        schedule("cosine to 0.1 of the base",
            c -> c.setLearningRateSchedule("cosine").setMinLearningRateFactor(0.1),
            t -> 0.1 * BASE + 0.9 * BASE * 0.5
                * (1 + Math.cos(Math.PI * (t - 1) / SCHEDULE_ITERS))),
        schedule("3 warm-up iterations, then cosine",
            c -> c.setLearningRateSchedule("cosine").setWarmupIters(3),
            t -> t <= 3 ? BASE * t / 3
                : BASE * 0.5 * (1 + Math.cos(Math.PI * (t - 4) / (SCHEDULE_ITERS - 3)))),
        schedule("4 warm-up iterations, then constant", c -> c.setWarmupIters(4),
            t -> t <= 4 ? BASE * t / 4 : BASE),
        schedule("2 warm-up iterations, then step",
            c -> c.setWarmupIters(2).setLearningRateSchedule("step").setDecayRate(0.5)
                .setDecaySteps(3),
            t -> t <= 2 ? BASE * t / 2 : BASE * Math.pow(0.5, (t - 3) / 3)));
  }

  private static Arguments schedule(String name, Consumer<BackpropClassifier> configure,
      IntToDoubleFunction expected) {
    return Arguments.of(name, configure, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schedules")
  void stepSizeHistoryFollowsTheSchedule(String name, Consumer<BackpropClassifier> configure,
      IntToDoubleFunction expected) {
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(4).setSolver("gd")
        .setStepSize(BASE).setMaxIter(SCHEDULE_ITERS).setTol(0).setSeed(2);
    configure.accept(clf);
    double[] steps = clf.fit(small()).summary().stepSizeHistory();
    assertEquals(SCHEDULE_ITERS, steps.length);
    for (int t = 1; t <= SCHEDULE_ITERS; t++) {
      double want = expected.applyAsDouble(t);
      assertEquals(want, steps[t - 1], 1e-12 * want, name + " at iteration " + t + ": "
          + Arrays.toString(steps));
    }
  }

  @Test
  void theExpectedSchedulesAboveHitTheirLandmarks() {
    // The formulas above spelled out at a few points, in case they share a mistake with the code.
    IntToDoubleFunction step = expectedSchedule(1);
    assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025},
        IntStream.rangeClosed(1, 9).mapToDouble(step).toArray(), 1e-15);
    IntToDoubleFunction exponential = expectedSchedule(2);
    assertEquals(0.1 * 0.8 * 0.8, exponential.applyAsDouble(3), 1e-15);
    // Cosine over 9 iterations from 0.1 to 0.01: a third of the way, 0.01 + 0.09 * 3 / 4.
    IntToDoubleFunction cosine = expectedSchedule(3);
    assertEquals(0.1, cosine.applyAsDouble(1), 1e-15);
    assertEquals(0.0775, cosine.applyAsDouble(4), 1e-12);
    assertEquals(0.0325, cosine.applyAsDouble(7), 1e-12);
    IntToDoubleFunction warmupCosine = expectedSchedule(4);
    assertArrayEquals(new double[] {0.1 / 3, 0.2 / 3, 0.1, 0.1}, IntStream.rangeClosed(1, 4)
        .mapToDouble(warmupCosine).toArray(), 1e-15);
    assertEquals(0.05, warmupCosine.applyAsDouble(7), 1e-15); // half way through 6 cosine steps
  }

  private static IntToDoubleFunction expectedSchedule(int index) {
    return (IntToDoubleFunction) schedules().skip(index).findFirst().orElseThrow().get()[2];
  }

  @Test
  void aScheduleWithoutItsSettingsFailsAtFit() {
    for (Consumer<BackpropClassifier> incomplete : List.<Consumer<BackpropClassifier>>of(
        c -> c.setLearningRateSchedule("step"),
        c -> c.setLearningRateSchedule("step").setDecayRate(0.5),
        c -> c.setLearningRateSchedule("step").setDecaySteps(3),
        c -> c.setLearningRateSchedule("exponential"))) {
      BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(4).setMaxIter(3);
      incomplete.accept(clf);
      assertThrows(IllegalArgumentException.class, () -> clf.fit(small()));
    }
  }

  @Test
  void aScheduleWithoutItsSettingsFailsNamingTheMissingParams() {
    assertScheduleError(c -> c.setLearningRateSchedule("step"), "decayRate", "decaySteps");
    assertScheduleError(c -> c.setLearningRateSchedule("step").setDecayRate(0.5), "decaySteps");
    assertScheduleError(c -> c.setLearningRateSchedule("step").setDecaySteps(3), "decayRate");
    assertScheduleError(c -> c.setLearningRateSchedule("exponential"), "decayRate");
    assertScheduleError(c -> c.setLearningRateSchedule("cosine").setWarmupIters(3), "warmupIters",
        "maxIter");
  }

  private static void assertScheduleError(Consumer<BackpropClassifier> configure,
      String... params) {
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(4).setMaxIter(3);
    configure.accept(clf);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> clf.fit(small()));
    for (String param : params) {
      assertTrue(e.getMessage().contains(param), "should name " + param + ": " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- listener and summary

  @Test
  void theListenerGetsOneRecordPerIterationAndTheSummaryMatches() {
    List<IterationRecord> records = new ArrayList<>();
    BackpropClassificationModel model = new BackpropClassifier().setHiddenLayers(4).setMaxIter(7)
        .setTol(0).setSeed(6).setValidationFraction(0.3).setValidationInterval(2)
        .setTrainingListener(records::add).fit(small());
    BackpropTrainingSummary summary = model.summary();
    assertEquals(7, summary.totalIterations());
    assertEquals(summary.iterations(), records);
    for (int i = 0; i < records.size(); i++) {
      assertEquals(i + 1, records.get(i).iteration());
    }
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7}, summary.iterationNumbers());
    assertArrayEquals(records.stream().mapToDouble(IterationRecord::loss).toArray(),
        summary.objectiveHistory());

    Dataset<Row> frame = summary.toDataFrame();
    assertArrayEquals(new String[] {"iteration", "loss", "validationLoss", "validationAccuracy",
        "stepSize", "gradientNorm", "seconds"}, frame.columns());
    assertEquals(DataTypes.IntegerType, frame.schema().apply("iteration").dataType());
    for (StructField field : frame.schema().fields()) {
      if (!field.name().equals("iteration")) {
        assertEquals(DataTypes.DoubleType, field.dataType(), field.name());
      }
    }
    List<Row> rows = frame.orderBy("iteration").collectAsList();
    assertEquals(summary.totalIterations(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      IterationRecord record = records.get(i);
      assertEquals(record.iteration(), row.getInt(0));
      assertEquals(record.loss(), row.getDouble(1));
      assertEquals(record.validationLoss(), row.getDouble(2));
      assertEquals(record.validationAccuracy(), row.getDouble(3));
      assertEquals(record.stepSize(), row.getDouble(4));
      assertEquals(record.gradientNorm(), row.getDouble(5));
      assertEquals(record.elapsedMillis() / 1000.0, row.getDouble(6));
      assertTrue(row.getDouble(5) > 0);
      assertTrue(row.getDouble(6) >= 0);
    }
    // validationInterval 2: validation at iterations 1, 3, 5, 7.
    assertTrue(Double.isFinite(rows.get(2).getDouble(2)));
    assertTrue(Double.isNaN(rows.get(3).getDouble(2)));
  }

  @Test
  void copiesOfTheEstimatorKeepTheListener() {
    List<IterationRecord> records = new ArrayList<>();
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(3).setMaxIter(3).setTol(0)
        .setTrainingListener(records::add);
    clf.copy(ParamMap.empty()).fit(small());
    assertEquals(3, records.size());
    // fit with a ParamMap copies the estimator too.
    clf.fit(small(), new ParamMap().put(clf.maxIter(), 2));
    assertEquals(5, records.size());
    assertEquals(2, records.get(4).iteration());

    List<IterationRecord> regression = new ArrayList<>();
    new BackpropRegressor().setHiddenLayers(3).setMaxIter(4).setTol(0)
        .setTrainingListener(regression::add).copy(ParamMap.empty())
        .fit(TrainingData.frame(TrainingData.smoothRegression(20, 0.1, 3), 1));
    assertEquals(4, regression.size());
  }

  // ---------------------------------------------------------------- dropout through the API

  @Test
  void dropoutIsSeededAndOneRateAppliesToEveryHiddenLayer() {
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(6, 5).setMaxIter(6)
        .setTol(0).setSeed(8);
    BackpropClassificationModel one = clf.copy(ParamMap.empty()).setDropout(new double[] {0.3})
        .fit(small());
    BackpropClassificationModel perLayer = clf.copy(ParamMap.empty())
        .setDropout(new double[] {0.3, 0.3}).fit(small());
    BackpropClassificationModel none = clf.fit(small());
    assertEquals(0, TrainingData.maxAbsDiff(one.weights(), perLayer.weights()));
    assertTrue(TrainingData.maxAbsDiff(one.weights(), none.weights()) > 1e-4);
  }

  @Test
  void invalidDropoutFailsNamingTheParam() {
    for (double[] bad : new double[][] {{1.0}, {-0.2}, {0.5, Double.NaN}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new BackpropClassifier().setDropout(bad));
      assertTrue(e.getMessage().contains("dropout"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BackpropClassifier().setHiddenLayers(4, 4).setMaxIter(2)
            .setDropout(new double[] {0.1, 0.2, 0.3}).fit(small()));
    assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains("hidden layers"),
        e.getMessage());
  }

  // ---------------------------------------------------------------- divergence and clipping

  /**
   * Eight sigmoid hidden layers trained by plain gradient descent with a step far beyond what the
   * output layer's curvature allows: without help the loss explodes within a few iterations.
   */
  private static BackpropRegressor aggressive() {
    return new BackpropRegressor().setHiddenLayers(8, 8, 8, 8, 8, 8, 8, 8)
        .setActivation("sigmoid").setSolver("gd").setStepSize(5.0).setMaxIter(15).setTol(0)
        .setSeed(1);
  }

  private static Dataset<Row> regressionData() {
    return TrainingData.frame(TrainingData.smoothRegression(80, 0.1, 4), 1);
  }

  @Test
  void divergenceFailsNamingTheIterationAndSuggestingASmallerStep() {
    List<IterationRecord> records = new ArrayList<>();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> aggressive().setTrainingListener(records::add).fit(regressionData()));
    Matcher m = Pattern.compile("iteration (\\d+)").matcher(e.getMessage());
    assertTrue(m.find(), e.getMessage());
    int failedAt = Integer.parseInt(m.group(1));
    // The iteration named is the one after the last accepted iteration.
    assertEquals(records.size() + 1, failedAt, e.getMessage());
    assertTrue(failedAt > 1 && failedAt <= 15, e.getMessage());
    assertTrue(e.getMessage().contains("smaller stepSize"), e.getMessage());
    assertTrue(e.getMessage().contains("maxGradNorm"), e.getMessage());
    // The loss was climbing before the failure.
    assertTrue(records.get(records.size() - 1).loss() > records.get(0).loss());
  }

  private static void assertTrainedWell(BackpropRegressionModel model, String what) {
    assertTrue(allFinite(model.weights()), what + ": non-finite weights");
    double[] history = model.summary().objectiveHistory();
    assertEquals(15, history.length, what);
    double last = history[history.length - 1];
    assertTrue(Double.isFinite(last) && last < history[0],
        what + ": final loss " + last + " vs first " + history[0]);
    List<Row> predictions = model.transform(regressionData()).select("prediction").collectAsList();
    assertTrue(predictions.stream().allMatch(r -> Double.isFinite(r.getDouble(0))), what);
  }

  @Test
  void gradientNormClippingTamesTheSameSetting() {
    BackpropRegressionModel model = aggressive().setMaxGradNorm(0.1).fit(regressionData());
    assertTrainedWell(model, "maxGradNorm 0.1");
    // The recorded norms are before clipping: clipping did engage.
    assertTrue(max(model.summary().gradientNormHistory()) > 0.1);
  }

  @Test
  void valueClippingTamesTheSameSetting() {
    BackpropRegressionModel model = aggressive().setClipValue(0.02).fit(regressionData());
    assertTrainedWell(model, "clipValue 0.02");
  }

  @Test
  void automaticStepHalvingRecovers() {
    BackpropRegressionModel model = aggressive().setAutoStepSize(true).fit(regressionData());
    assertTrainedWell(model, "autoStepSize");
    double[] steps = model.summary().stepSizeHistory();
    assertEquals(5.0, steps[0]);
    double previous = steps[0];
    for (double s : steps) {
      assertTrue(s <= previous, "steps only shrink: " + Arrays.toString(steps));
      double halvings = Math.log(5.0 / s) / Math.log(2);
      assertEquals(Math.rint(halvings), halvings, 1e-9, "5 / 2^k: " + Arrays.toString(steps));
      previous = s;
    }
    assertTrue(steps[steps.length - 1] <= 2.5, "never halved: " + Arrays.toString(steps));
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElseThrow();
  }

  // ---------------------------------------------------------------- conflicting params

  private static void assertRefusedNaming(BackpropClassifier clf, String... params) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> clf.fit(small()));
    for (String param : params) {
      assertTrue(e.getMessage().contains(param), "should name " + param + ": " + e.getMessage());
    }
  }

  /**
   * L-BFGS's Wolfe line search needs the true gradient of the loss it measures: clipping changes
   * the gradient, and local steps return a pseudo-gradient that is no gradient of the loss. Failed
   * before the fix: both combinations trained silently.
   */
  @Test
  void lbfgsRefusesClippingAndLocalStepsNamingBothParams() {
    assertRefusedNaming(new BackpropClassifier().setSolver("l-bfgs").setMaxGradNorm(1),
        "l-bfgs", "maxGradNorm");
    assertRefusedNaming(new BackpropClassifier().setSolver("l-bfgs").setClipValue(0.5),
        "l-bfgs", "clipValue");
    assertRefusedNaming(new BackpropClassifier().setSolver("l-bfgs").setLocalSteps(4),
        "l-bfgs", "localSteps");
  }

  /**
   * Params that would silently override each other are refused when the user set both. Failed
   * before the fix: localSteps ignored miniBatchFraction, and validationIndicatorCol overrode
   * validationFraction, without a word.
   */
  @Test
  void explicitlySetParamsThatOverrideEachOtherAreRefused() {
    assertRefusedNaming(new BackpropClassifier().setSolver("gd").setLocalSteps(4)
        .setMiniBatchFraction(0.5), "localSteps", "miniBatchFraction");
    assertRefusedNaming(new BackpropClassifier().setValidationIndicatorCol("validation")
        .setValidationFraction(0.2), "validationIndicatorCol", "validationFraction");
    // Either alone, or a fraction of 1 with local steps, is fine.
    new BackpropClassifier().setSolver("gd").setLocalSteps(2).setMiniBatchFraction(1.0)
        .setMaxIter(2).fit(small());
    new BackpropClassifier().setValidationFraction(0.2).setMaxIter(2).fit(small());
  }
}
