package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.DataSummary;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.TrainingData.Example;
import io.sparkbackprop.testing.TrainingData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Instance weights (weightCol), class weights (classWeights, balanceClasses) and validation rows
 * (validationFraction, validationIndicatorCol) through the estimator API.
 */
class WeightsAndValidationTest {

  @BeforeAll
  static void startSpark() {
    SharedSpark.session();
  }

  /**
   * Full-batch gradient descent in one block per partition (one partition in these tests): models
   * differ from an equivalent dataset only by float32 summation order.
   */
  private static BackpropClassifier exactClassifier(int maxIter) {
    return new BackpropClassifier().setHiddenLayers(5).setActivation("tanh").setSolver("gd")
        .setStepSize(0.5).setMaxIter(maxIter).setTol(0).setSeed(11).setBlockSize(10_000);
  }

  private static void assertSameModel(BackpropClassificationModel expected,
      BackpropClassificationModel actual, double tolerance) {
    assertArrayEquals(expected.layerSizes(), actual.layerSizes());
    double diff = TrainingData.maxAbsDiff(expected.weights(), actual.weights());
    assertTrue(diff <= tolerance, "weights differ by " + diff);
    double[] h1 = expected.summary().objectiveHistory();
    double[] h2 = actual.summary().objectiveHistory();
    assertEquals(h1.length, h2.length);
    for (int i = 0; i < h1.length; i++) {
      assertEquals(h1[i], h2[i], 1e-6 * Math.abs(h1[i]), "objective at iteration " + (i + 1));
    }
  }

  private static double accuracy(BackpropClassificationModel model, Dataset<Row> data) {
    List<Row> rows = model.transform(data).select("label", "prediction").collectAsList();
    return rows.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count()
        / (double) rows.size();
  }

  private static double recallOfClassOne(BackpropClassificationModel model, Dataset<Row> data) {
    List<Row> rows = model.transform(data).filter("label = 1").select("prediction")
        .collectAsList();
    return rows.stream().filter(r -> r.getDouble(0) == 1).count() / (double) rows.size();
  }

  private static void assertFailsNaming(Executable fit, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment),
          "message should mention '" + fragment + "': " + e.getMessage());
    }
  }

  // ---------------------------------------------------------------- weightCol

  @Test
  void weightTwoGivesTheSameModelAsDuplicatingTheRow() {
    List<Example> base = TrainingData.blobs(15, 3, 4, 1.0, 21);
    List<Example> weighted = new ArrayList<>();
    List<Example> duplicated = new ArrayList<>(base);
    for (int i = 0; i < base.size(); i++) {
      boolean twice = i % 3 == 0 || i == 7;
      weighted.add(base.get(i).withWeight(twice ? 2.0 : 1.0));
      if (twice) {
        duplicated.add(base.get(i));
      }
    }
    BackpropClassificationModel byWeight = exactClassifier(10).setWeightCol("weight")
        .fit(TrainingData.frame(weighted, 1));
    BackpropClassificationModel byCopies = exactClassifier(10)
        .fit(TrainingData.frame(duplicated, 1));
    assertSameModel(byCopies, byWeight, 1e-5);

    // The weights matter: ignoring them gives another model.
    BackpropClassificationModel unweighted = exactClassifier(10)
        .fit(TrainingData.frame(weighted, 1));
    assertTrue(TrainingData.maxAbsDiff(unweighted.weights(), byWeight.weights()) > 1e-3);
  }

  @Test
  void rowsOfWeightZeroAreIgnored() {
    List<Example> base = TrainingData.blobs(12, 3, 4, 1.0, 22);
    Random rng = new Random(5);
    List<Example> withIgnored = new ArrayList<>();
    for (int i = 0; i < base.size(); i++) {
      withIgnored.add(base.get(i));
      if (i % 4 == 1) {
        // Far-away rows with arbitrary labels: they would move the model (and the
        // standardisation) a lot if they counted.
        withIgnored.add(new Example(rng.nextInt(3), new double[] {40, -30, 25 * rng.nextDouble(), 9},
            0.0, false));
      }
    }
    BackpropClassificationModel zeroWeights = exactClassifier(12).setWeightCol("weight")
        .fit(TrainingData.frame(withIgnored, 1));
    BackpropClassificationModel dropped = exactClassifier(12).setWeightCol("weight")
        .fit(TrainingData.frame(base, 1));
    assertSameModel(dropped, zeroWeights, 1e-6);
  }

  @Test
  void aZeroWeightRowWithAnUnseenLabelDoesNotAddAClass() {
    List<Example> base = TrainingData.blobs(10, 2, 3, 0.5, 23);
    List<Example> withIgnored = new ArrayList<>(base);
    withIgnored.add(new Example(2, new double[] {9, 9, 9}, 0.0, false));
    BackpropClassificationModel model = exactClassifier(3).setWeightCol("weight")
        .fit(TrainingData.frame(withIgnored, 1));
    assertArrayEquals(new int[] {3, 5, 2}, model.layerSizes());
  }

  @Test
  void negativeNaNAndNullWeightsFailNamingTheColumn() {
    List<Example> base = TrainingData.blobs(4, 2, 3, 0.5, 24);
    for (double bad : new double[] {-1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
      List<Example> rows = new ArrayList<>(base);
      rows.set(5, rows.get(5).withWeight(bad));
      Dataset<Row> data = TrainingData.frame(rows, 1).withColumnRenamed("weight", "importance");
      assertFailsNaming(() -> exactClassifier(2).setWeightCol("importance").fit(data),
          "'importance'", String.valueOf(bad));
    }
    Dataset<Row> withNull = TrainingData.frame(base, 1).withColumnRenamed("weight", "importance")
        .selectExpr("label", "features",
            "CASE WHEN label = 1 THEN NULL ELSE importance END AS importance");
    assertFailsNaming(() -> exactClassifier(2).setWeightCol("importance").fit(withNull),
        "'importance'", "null");
  }

  @Test
  void weightsSummingToZeroFailClearly() {
    List<Example> rows = new ArrayList<>();
    for (Example e : TrainingData.blobs(3, 2, 3, 0.5, 25)) {
      rows.add(e.withWeight(0));
    }
    assertFailsNaming(() -> exactClassifier(2).setWeightCol("weight")
        .fit(TrainingData.frame(rows, 1)), "'weight'", "zero");
  }

  // ---------------------------------------------------------------- class weights

  @Test
  void balancingClassesRaisesTheMinorityRecall() {
    // 95 / 5, the minority shifted by 1.5 standard deviations on both axes: heavily overlapping.
    Dataset<Row> train = TrainingData.frame(TrainingData.imbalanced(600, 0.05, 1.5, 1), 1);
    Dataset<Row> test = TrainingData.frame(TrainingData.imbalanced(2000, 0.05, 1.5, 2), 1);
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(8).setMaxIter(25)
        .setStepSize(0.05).setSeed(3).setTol(0);
    double plain = recallOfClassOne(clf.fit(train), test);
    double balanced = recallOfClassOne(clf.copy(ParamMap.empty()).setBalanceClasses(true)
        .fit(train), test);
    assertTrue(plain < 0.65, "unweighted minority recall " + plain);
    assertTrue(balanced > 0.8, "balanced minority recall " + balanced);
    assertTrue(balanced > plain + 0.25, "balanced " + balanced + " vs unweighted " + plain);
  }

  @Test
  void classWeightsOfTheWrongLengthFailClearly() {
    Dataset<Row> data = TrainingData.frame(TrainingData.blobs(5, 2, 3, 0.5, 26), 1);
    assertFailsNaming(() -> exactClassifier(2).setClassWeights(1, 2, 3).fit(data),
        "classWeights", "3", "2 classes");
    assertFailsNaming(() -> exactClassifier(2).setClassWeights(5).fit(data), "classWeights",
        "1", "2 classes");
  }

  @Test
  void equalClassWeightsEqualNoWeighting() {
    Dataset<Row> data = TrainingData.frame(TrainingData.imbalanced(120, 0.2, 1.0, 27), 1);
    BackpropClassificationModel none = exactClassifier(10).fit(data);
    assertSameModel(none, exactClassifier(10).setClassWeights(1, 1).fit(data), 1e-12);
    // Class weights are rescaled to an average row weight of 1, so any equal weights are none.
    assertSameModel(none, exactClassifier(10).setClassWeights(3, 3).fit(data), 1e-9);
    // Explicit class weights take precedence over balanceClasses.
    assertSameModel(none, exactClassifier(10).setClassWeights(1, 1).setBalanceClasses(true)
        .fit(data), 1e-12);
  }

  @Test
  void classWeightsActLikeRowWeightsOfTheirClass() {
    List<Example> rows = TrainingData.imbalanced(120, 0.2, 1.0, 28);
    List<Example> weighted = new ArrayList<>();
    for (Example e : rows) {
      weighted.add(e.withWeight(e.label() == 1 ? 4.0 : 1.0));
    }
    // Without standardisation, whose statistics row weights (but not class weights) change.
    BackpropClassificationModel byClass = exactClassifier(10).setStandardization(false)
        .setClassWeights(1, 4).fit(TrainingData.frame(rows, 1));
    BackpropClassificationModel byRow = exactClassifier(10).setStandardization(false)
        .setWeightCol("weight").fit(TrainingData.frame(weighted, 1));
    // Class weights are rescaled to an average row weight of 1, which makes the mean loss
    // sum(w * loss) / sum(w) of the row-weighted data: the same objective, the same model.
    assertSameModel(byRow, byClass, 1e-5);
  }

  @Test
  void balanceClassesWeighsClassesInverselyToTheirWeightedFrequency() {
    // 96 rows of class 0 and 24 of class 1, class-1 rows carrying instance weight 2: weighted
    // totals 96 and 48, so balancing is classWeights (1, 2) = (48, 96) normalised.
    List<Example> rows = new ArrayList<>();
    for (Example e : TrainingData.imbalanced(120, 0.2, 1.0, 29)) {
      rows.add(e.withWeight(e.label() == 1 ? 2.0 : 1.0));
    }
    Dataset<Row> data = TrainingData.frame(rows, 1);
    BackpropClassificationModel balanced = exactClassifier(10).setWeightCol("weight")
        .setBalanceClasses(true).fit(data);
    BackpropClassificationModel explicit = exactClassifier(10).setWeightCol("weight")
        .setClassWeights(1, 2).fit(data);
    assertSameModel(explicit, balanced, 1e-9);
    BackpropClassificationModel plain = exactClassifier(10).setWeightCol("weight").fit(data);
    assertTrue(TrainingData.maxAbsDiff(plain.weights(), balanced.weights()) > 1e-3);
  }

  // ---------------------------------------------------------------- validation rows

  @Test
  void validationFractionHoldsOutAboutThatShareOfTheRows() {
    Dataset<Row> data = TrainingData.frame(TrainingData.blobs(100, 4, 3, 1.0, 30), 2);
    long seed = 17;
    TrainingInput input = TrainingInput.classification("features", "label", -1)
        .withValidationFraction(0.25, seed);
    long trainRows;
    long validationRows;
    try (StackedData stacked = BlockStacker.stack(data, input, 32, StorageLevel.MEMORY_ONLY())) {
      DataSummary summary = stacked.summary();
      trainRows = summary.rows();
      validationRows = summary.validationRows();
    }
    assertEquals(400, trainRows + validationRows);
    // Binomial(400, 0.25): mean 100, standard deviation 8.7.
    assertTrue(validationRows >= 70 && validationRows <= 130, validationRows + " validation rows");
    try (StackedData again = BlockStacker.stack(data, input, 32, StorageLevel.MEMORY_ONLY())) {
      assertEquals(validationRows, again.summary().validationRows(), "the hold-out is seeded");
    }

    // The estimator holds out the same rows (seeded by its seed) and trains on the others only: at
    // the shared initial weights (no standardisation, which would differ), the mean loss over all
    // rows splits into the training and validation losses weighted by their row counts (without
    // the L2 penalty, which the training objective adds and the validation loss does not).
    BackpropClassifier clf = new BackpropClassifier().setHiddenLayers(4).setStandardization(false)
        .setMaxIter(1).setTol(0).setSeed(seed).setRegParam(0);
    double all = clf.fit(data).summary().objectiveHistory()[0];
    BackpropTrainingSummary split = clf.copy(ParamMap.empty()).setValidationFraction(0.25)
        .fit(data).summary();
    double train = split.objectiveHistory()[0];
    double validation = split.validationLossHistory()[0];
    assertTrue(Math.abs(train - validation) > 1e-4, "the split should be visible");
    assertEquals(all, (trainRows * train + validationRows * validation) / 400, 1e-5 * all);
  }

  @Test
  void validationLossIsRecordedEveryValidationInterval() {
    Dataset<Row> data = TrainingData.frame(TrainingData.blobs(20, 3, 4, 1.0, 31), 1);
    BackpropTrainingSummary summary = new BackpropClassifier().setHiddenLayers(4).setMaxIter(10)
        .setTol(0).setSeed(4).setValidationFraction(0.25).setValidationInterval(3).fit(data)
        .summary();
    double[] loss = summary.validationLossHistory();
    double[] accuracy = summary.validationAccuracyHistory();
    assertEquals(10, loss.length);
    for (int i = 0; i < loss.length; i++) {
      int iteration = i + 1;
      boolean validated = iteration % 3 == 1; // 1, 4, 7, 10
      assertEquals(validated, Double.isFinite(loss[i]), "validation loss at iteration " + iteration
          + ": " + loss[i]);
      assertEquals(!validated, Double.isNaN(loss[i]), "iteration " + iteration);
      assertEquals(!validated, Double.isNaN(accuracy[i]), "iteration " + iteration);
      if (validated) {
        assertTrue(loss[i] > 0 && accuracy[i] >= 0 && accuracy[i] <= 1);
      }
    }
    // Without validation rows nothing is recorded.
    BackpropTrainingSummary none = new BackpropClassifier().setHiddenLayers(4).setMaxIter(2)
        .setSeed(4).fit(data).summary();
    for (double v : none.validationLossHistory()) {
      assertTrue(Double.isNaN(v));
    }
  }

  @Test
  void theIndicatorColumnHoldsOutExactlyTheFlaggedRows() {
    List<Example> clean = TrainingData.blobs(20, 3, 4, 0.8, 32);
    Random rng = new Random(8);
    List<Example> mixed = new ArrayList<>();
    List<Example> unflagged = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      mixed.add(clean.get(i));
      unflagged.add(clean.get(i));
      if (i % 2 == 0) {
        // A copy of the row with a wrong label, flagged for validation.
        Example bad = clean.get(i).withLabel((clean.get(i).label() + 1 + rng.nextInt(2)) % 3);
        mixed.add(bad.withValidation(true));
        unflagged.add(bad);
      }
    }
    BackpropClassifier clf = exactClassifier(12);
    BackpropClassificationModel heldOut = clf.copy(ParamMap.empty())
        .setValidationIndicatorCol("validation").fit(TrainingData.frame(mixed, 1));
    BackpropClassificationModel cleanOnly = clf.fit(TrainingData.frame(clean, 1));
    BackpropClassificationModel everything = clf.fit(TrainingData.frame(unflagged, 1));

    // Training on the unflagged rows only is training on the clean rows.
    double diff = TrainingData.maxAbsDiff(cleanOnly.weights(), heldOut.weights());
    assertTrue(diff <= 1e-6, "weights differ from the clean-only model by " + diff);
    assertTrue(TrainingData.maxAbsDiff(everything.weights(), heldOut.weights()) > 1e-3);
    // The corrupted rows were evaluated as validation rows, and they hurt only the model trained on them.
    double[] validationLoss = heldOut.summary().validationLossHistory();
    assertTrue(Double.isFinite(validationLoss[validationLoss.length - 1]));
    Dataset<Row> test = TrainingData.frame(TrainingData.blobs(50, 3, 4, 0.8, 33), 1);
    double heldOutAccuracy = accuracy(heldOut, test);
    double everythingAccuracy = accuracy(everything, test);
    assertTrue(heldOutAccuracy >= everythingAccuracy,
        heldOutAccuracy + " with the corrupted rows held out vs " + everythingAccuracy);
  }

  @Test
  void aClassSeenOnlyInTheValidationRowsIsStillAClassOfTheModel() {
    List<Example> rows = new ArrayList<>(TrainingData.blobs(10, 2, 3, 0.5, 38));
    rows.add(new Example(2, new double[] {3, 3, 3}, 1.0, true));
    BackpropClassificationModel model = exactClassifier(3).setValidationIndicatorCol("validation")
        .fit(TrainingData.frame(rows, 1));
    assertArrayEquals(new int[] {3, 5, 3}, model.layerSizes());
    assertTrue(Double.isFinite(model.summary().validationLossHistory()[0]));
  }

  @Test
  void aNullValidationIndicatorFailsNamingTheColumn() {
    List<Example> rows = new ArrayList<>(TrainingData.blobs(5, 2, 3, 0.5, 34));
    rows.set(3, rows.get(3).withValidation(null));
    Dataset<Row> data = TrainingData.frame(rows, 1).withColumnRenamed("validation", "isVal");
    assertFailsNaming(() -> exactClassifier(2).setValidationIndicatorCol("isVal").fit(data),
        "'isVal'", "null");
  }

  @Test
  void onlyValidationRowsFailClearly() {
    List<Example> rows = new ArrayList<>();
    for (Example e : TrainingData.blobs(3, 2, 3, 0.5, 35)) {
      rows.add(e.withValidation(true));
    }
    assertFailsNaming(() -> exactClassifier(2).setValidationIndicatorCol("validation")
        .fit(TrainingData.frame(rows, 1)), "validation rows");
  }

  @Test
  void earlyStoppingWithoutValidationRowsFailsNamingTheParams() {
    Dataset<Row> data = TrainingData.frame(TrainingData.blobs(5, 2, 3, 0.5, 36), 1);
    assertFailsNaming(() -> exactClassifier(5).setEarlyStoppingPatience(3).fit(data),
        "earlyStoppingPatience", "validationIndicatorCol", "validationFraction");
    assertFailsNaming(() -> new BackpropRegressor().setMaxIter(5).setEarlyStoppingPatience(2)
            .fit(TrainingData.frame(TrainingData.smoothRegression(10, 0.1, 1), 1)),
        "earlyStoppingPatience", "validationIndicatorCol", "validationFraction");
  }

  @Test
  void emptyColumnNamesMeanUnset() {
    Dataset<Row> data = TrainingData.frame(TrainingData.blobs(6, 2, 3, 0.5, 37), 1);
    BackpropClassificationModel plain = exactClassifier(4).fit(data);
    BackpropClassificationModel empty = exactClassifier(4).setWeightCol("")
        .setValidationIndicatorCol("").fit(data);
    assertSameModel(plain, empty, 0);
    assertFalse(Double.isFinite(empty.summary().validationLossHistory()[0]));
  }

  // ---------------------------------------------------------------- validationSmoothing

  /**
   * Where patience runs out for validation losses {@code v}: the first index (1-based) after which
   * {@code patience} evaluations in a row bring no new best of their exponential average of weight
   * {@code weight}, or 0 if it never does.
   */
  private static int patienceRunsOut(double[] v, int patience, double weight) {
    double average = Double.NaN;
    double best = Double.POSITIVE_INFINITY;
    int since = 0;
    for (int i = 0; i < v.length; i++) {
      average = Double.isNaN(average) ? v[i] : weight * average + (1 - weight) * v[i];
      if (average < best) {
        best = average;
        since = 0;
      } else if (++since >= patience) {
        return i + 1;
      }
    }
    return 0;
  }

  /**
   * Sampled mini-batches make the validation loss noisy. Each fit stops exactly where its own rule,
   * replayed on its validation history, says: on single losses with the default, on their average
   * with validationSmoothing 0.9, which rides out the noise that ends the plain fit. Fails if the
   * param does not reach the training loop.
   */
  @Test
  void validationSmoothingCountsPatienceOnAnAverageOfTheValidationLosses() {
    Dataset<Row> data = io.sparkbackprop.testing.GeneratedData.friedman1(3_000, 31, 2).cache();
    java.util.function.Supplier<BackpropRegressor> regressor = () -> new BackpropRegressor()
        .setHiddenLayers(32).setMaxIter(400).setMiniBatchFraction(0.05).setValidationFraction(0.2)
        .setEarlyStoppingPatience(5).setTol(0).setSeed(3);
    BackpropTrainingSummary plain = regressor.get().fit(data).summary();
    BackpropTrainingSummary smoothed = regressor.get().setValidationSmoothing(0.9).fit(data)
        .summary();
    data.unpersist();
    assertEquals("EARLY_STOPPED", plain.stopReason());
    assertEquals(plain.totalIterations(),
        patienceRunsOut(plain.validationLossHistory(), 5, 0));
    int smoothedStop = patienceRunsOut(smoothed.validationLossHistory(), 5, 0.9);
    assertEquals(smoothedStop == 0 ? 400 : smoothedStop, smoothed.totalIterations());
    assertTrue(smoothed.totalIterations() > plain.totalIterations(),
        "smoothed " + smoothed.totalIterations() + ", plain " + plain.totalIterations());
  }
}
