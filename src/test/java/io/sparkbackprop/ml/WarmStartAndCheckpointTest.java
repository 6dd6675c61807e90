package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.TrainingData.Example;
import io.sparkbackprop.testing.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Continuing training from a saved model ({@code initialModelPath}) and from checkpoints: a run split
 * in two must equal the uninterrupted run, whatever the solver, sampling or dropout.
 */
class WarmStartAndCheckpointTest {

  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  /** A classifier saved after 20 adam iterations on {@link #data()}, for the failure tests. */
  private static String saved;

  @BeforeAll
  static void saveAModel() throws IOException {
    SharedSpark.session();
    saved = shared.resolve("adam20").toString();
    classifier("adam").setMaxIter(20).fit(data()).write().save(saved);
  }

  /** 60 rows, 3 classes, 4 features, in 2 partitions (the same partitioning on every call). */
  private static Dataset<Row> data() {
    return TrainingData.frame(TrainingData.blobs(20, 3, 4, 0.8, 51), 2);
  }

  /** Blocks of 8 rows, so that miniBatchFraction has blocks to sample. */
  private static BackpropClassifier classifier(String solver) {
    return new BackpropClassifier().setHiddenLayers(6).setSolver(solver).setStepSize(0.05)
        .setSeed(5).setTol(0).setBlockSize(8);
  }

  private static String trainingState(String modelPath) {
    return modelPath + "/trainingState";
  }

  private static Row readState(String modelPath) {
    return SharedSpark.session().read().parquet(trainingState(modelPath)).head();
  }

  // ---------------------------------------------------------------- resume = uninterrupted run

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("adam", 1.0, 0.0),
        Arguments.of("momentum", 1.0, 0.0),
        Arguments.of("l-bfgs", 1.0, 0.0),
        // Sampled blocks and dropout masks both hang on the draw counter the state carries.
        Arguments.of("adam", 0.5, 0.3));
  }

  @ParameterizedTest(name = "{0}, miniBatchFraction {1}, dropout {2}")
  @MethodSource("variants")
  void twentyPlusTwentyIterationsEqualFortyIterations(String solver, double fraction,
      double dropout) throws IOException {
    BackpropClassifier clf = classifier(solver).setMiniBatchFraction(fraction);
    if (dropout > 0) {
      clf.setDropout(new double[] {dropout});
    }
    Dataset<Row> data = data();
    BackpropClassificationModel full = clf.copy(ParamMap.empty()).setMaxIter(40).fit(data);
    assertEquals(40, full.summary().totalIterations());
    BackpropClassificationModel half = clf.copy(ParamMap.empty()).setMaxIter(20).fit(data);
    String path = dir.resolve("half").toString();
    half.write().save(path);

    BackpropClassificationModel resumed = clf.copy(ParamMap.empty()).setMaxIter(40)
        .setInitialModelPath(path).fit(data);
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "resumed weights differ from the uninterrupted run's by " + diff);
    assertArrayEquals(IntStream.rangeClosed(21, 40).toArray(), resumed.summary().iterationNumbers());
    double[] fullHistory = full.summary().objectiveHistory();
    double[] resumedHistory = resumed.summary().objectiveHistory();
    for (int i = 0; i < resumedHistory.length; i++) {
      assertEquals(fullHistory[20 + i], resumedHistory[i], 1e-9 * fullHistory[20 + i],
          "loss at iteration " + (21 + i));
    }
    // The second half mattered (otherwise equality would prove nothing).
    assertTrue(TrainingData.maxAbsDiff(full.weights(), half.weights()) > 1e-3);
  }

  @Test
  void aRegressorResumesExactlyToo() throws IOException {
    Dataset<Row> data = TrainingData.frame(TrainingData.smoothRegression(40, 0.1, 9), 2);
    BackpropRegressor reg = new BackpropRegressor().setHiddenLayers(5).setActivation("tanh")
        .setStepSize(0.05).setSeed(4).setTol(0).setBlockSize(8).setMiniBatchFraction(0.6);
    BackpropRegressionModel full = reg.copy(ParamMap.empty()).setMaxIter(12).fit(data);
    String path = dir.resolve("reg6").toString();
    reg.copy(ParamMap.empty()).setMaxIter(6).fit(data).write().save(path);
    BackpropRegressionModel resumed = reg.copy(ParamMap.empty()).setMaxIter(12)
        .setInitialModelPath(path).fit(data);
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "weights differ by " + diff);
    assertArrayEquals(IntStream.rangeClosed(7, 12).toArray(), resumed.summary().iterationNumbers());
  }

  /** 60 training rows and 60 validation rows of an easily overfitted two-class problem. */
  private static Dataset<Row> overfittingData() {
    List<TrainingData.Example> rows = new ArrayList<>();
    List<TrainingData.Example> train = TrainingData.noisyTwoClass(60, 0.2, 8, 5);
    List<TrainingData.Example> validation = TrainingData.noisyTwoClass(60, 0.2, 8, 6);
    for (int i = 0; i < train.size(); i++) {
      rows.add(train.get(i));
      rows.add(validation.get(i).withValidation(true));
    }
    return TrainingData.frame(rows, 2);
  }

  /**
   * An interrupted run with early stopping and tol > 0, resumed from the model saved at the
   * interruption, equals the uninterrupted run: same stop, same iterations, the same best weights,
   * whether the best iterate came before or after the interruption. Failed before the fix: the
   * saved model held the best weights and the resumed run started from them instead of the current
   * iterate, and a run resumed after its best iterate returned its last weights.
   */
  @Test
  void aResumedRunWithEarlyStoppingAndTolEqualsTheUninterruptedRun() throws IOException {
    Dataset<Row> data = overfittingData();
    int patience = 3;
    Supplier<BackpropClassifier> clf = () -> new BackpropClassifier().setHiddenLayers(64)
        .setStepSize(0.003).setSeed(3).setTol(1e-6).setMaxIter(200)
        .setValidationIndicatorCol("validation").setEarlyStoppingPatience(patience);
    BackpropClassificationModel full = clf.get().fit(data);
    assertEquals("EARLY_STOPPED", full.summary().stopReason());
    int n = full.summary().totalIterations();
    int best = n - patience;
    assertTrue(best > 2, "the best iterate came too early: " + n + " iterations");
    for (int k : new int[] {best - 1, best + 1}) {
      String path = dir.resolve("first" + k).toString();
      clf.get().setMaxIter(k).fit(data).write().save(path);
      BackpropClassificationModel resumed = clf.get().setInitialModelPath(path).fit(data);
      assertEquals("EARLY_STOPPED", resumed.summary().stopReason(), "interrupted at " + k);
      assertArrayEquals(IntStream.rangeClosed(k + 1, n).toArray(),
          resumed.summary().iterationNumbers(), "interrupted at " + k);
      double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
      assertTrue(diff <= 1e-6, "interrupted at " + k + ": weights differ by " + diff);
    }
  }

  /**
   * With tol > 0 and sampled blocks (a convergence window of two iterations), a resumed run
   * converges at the same iteration as the uninterrupted one. Failed before the fix: the
   * convergence window started empty after the resume, so the run went on.
   */
  @Test
  void aResumedRunWithTolConvergesWhereTheUninterruptedRunConverges() throws IOException {
    Dataset<Row> data = TrainingData.frame(TrainingData.smoothRegression(40, 0.1, 9), 2);
    Supplier<BackpropRegressor> reg = () -> new BackpropRegressor().setHiddenLayers(5)
        .setActivation("tanh").setStepSize(0.05).setSeed(4).setTol(0.03).setBlockSize(8)
        .setMiniBatchFraction(0.5).setMaxIter(300);
    BackpropRegressionModel full = reg.get().fit(data);
    assertEquals("CONVERGED", full.summary().stopReason());
    int n = full.summary().totalIterations();
    assertTrue(n > 4 && n < 300, n + " iterations");
    for (int k : new int[] {n - 1, n - 2}) {
      String path = dir.resolve("first" + k).toString();
      reg.get().setMaxIter(k).fit(data).write().save(path);
      BackpropRegressionModel resumed = reg.get().setInitialModelPath(path).fit(data);
      assertEquals("CONVERGED", resumed.summary().stopReason(), "interrupted at " + k);
      assertArrayEquals(IntStream.rangeClosed(k + 1, n).toArray(),
          resumed.summary().iterationNumbers(), "interrupted at " + k);
      double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
      assertTrue(diff <= 1e-6, "interrupted at " + k + ": weights differ by " + diff);
    }
  }

  // ---------------------------------------------------------------- what a saved model holds

  @Test
  void aSavedModelHoldsItsTrainingStateAsParquet() throws IOException {
    Path state = Paths.get(trainingState(saved));
    assertTrue(Files.isDirectory(state), state + " is missing");
    try (Stream<Path> files = Files.list(state)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet")),
          "no parquet file in " + state);
    }
    Row row = readState(saved);
    assertEquals("adam", row.getString(row.fieldIndex("solver")));
    assertEquals(20, row.getInt(row.fieldIndex("iterationsDone")));
    assertEquals(20, row.getInt(row.fieldIndex("draw")));
    List<String> names = row.getList(row.fieldIndex("stateNames"));
    assertTrue(names.containsAll(List.of("m", "v")), names.toString());

    // Loading and saving again keeps the state, value for value.
    String copy = dir.resolve("copy").toString();
    BackpropClassificationModel.load(saved).write().save(copy);
    assertEquals(row, readState(copy));
  }

  /**
   * Models saved before Adam counted its own steps hold its moments {@code m} and {@code v} but no
   * {@code steps}; Adam's bias correction then counted the loop's iterations, so the step count is
   * the saved iteration count, and such a model resumes exactly as before.
   */
  @Test
  void anAdamStateSavedWithoutItsStepCountResumesExactly() throws IOException {
    Dataset<Row> data = data();
    BackpropClassifier clf = classifier("adam");
    BackpropClassificationModel full = clf.copy(ParamMap.empty()).setMaxIter(30).fit(data);
    String path = dir.resolve("legacy").toString();
    clf.copy(ParamMap.empty()).setMaxIter(15).fit(data).write().save(path);
    Row state = readState(path);
    List<String> names = new ArrayList<>(state.getList(state.fieldIndex("stateNames")));
    List<Object> values = new ArrayList<>(state.getList(state.fieldIndex("stateValues")));
    int steps = names.indexOf("steps");
    if (steps >= 0) {
      names.remove(steps);
      values.remove(steps);
    }
    Object[] fields = new Object[state.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = state.get(i);
    }
    fields[state.fieldIndex("stateNames")] = names.toArray(new String[0]);
    fields[state.fieldIndex("stateValues")] = values.toArray();
    SharedSpark.session().createDataFrame(List.of(RowFactory.create(fields)), state.schema())
        .write().mode("overwrite").parquet(trainingState(path));
    assertEquals(List.of("m", "v"), readState(path).getList(state.fieldIndex("stateNames")));

    BackpropClassificationModel resumed = clf.copy(ParamMap.empty()).setMaxIter(30)
        .setInitialModelPath(path).fit(data);
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "resumed weights differ from the uninterrupted run's by " + diff);
  }

  /**
   * Training states of format version 1 (before the best weights, first loss and convergence window
   * were saved) still load and resume: exactly, for runs that need none of them.
   */
  @Test
  void aVersionOneTrainingStateStillResumes() throws IOException {
    Dataset<Row> data = data();
    BackpropClassifier clf = classifier("momentum");
    BackpropClassificationModel full = clf.copy(ParamMap.empty()).setMaxIter(30).fit(data);
    String path = dir.resolve("version1").toString();
    clf.copy(ParamMap.empty()).setMaxIter(15).fit(data).write().save(path);
    Dataset<Row> state = SharedSpark.session().read().parquet(trainingState(path));
    assertEquals(ModelIO.STATE_FORMAT_VERSION, state.head().getInt(0));
    Dataset<Row> version1 = state.select("formatVersion", "solver", "iterationsDone", "draw",
        "nextWeights", "stepScale", "bestValidationLoss", "validationsSinceBest", "stateNames",
        "stateValues").withColumn("formatVersion", org.apache.spark.sql.functions.lit(1));
    List<Row> rows = version1.collectAsList();
    SharedSpark.session().createDataFrame(rows, version1.schema()).write().mode("overwrite")
        .parquet(trainingState(path));

    BackpropClassificationModel resumed = clf.copy(ParamMap.empty()).setMaxIter(30)
        .setInitialModelPath(path).fit(data);
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "resumed weights differ from the uninterrupted run's by " + diff);
    assertArrayEquals(IntStream.rangeClosed(16, 30).toArray(), resumed.summary().iterationNumbers());
  }

  /**
   * A version 2 training state (saved before patience could count on a smoothed validation loss)
   * resumes early stopping exactly: its best validation loss stands in for the smoothed best.
   * Interrupted just after the best iterate, a resumed run that took +Infinity as the smoothed best
   * would count its first validation as a new best and stop one iteration later.
   */
  @Test
  void aVersionTwoTrainingStateResumesEarlyStoppingExactly() throws IOException {
    Dataset<Row> data = overfittingData();
    Supplier<BackpropClassifier> clf = () -> new BackpropClassifier().setHiddenLayers(64)
        .setStepSize(0.003).setSeed(3).setTol(1e-6).setMaxIter(200)
        .setValidationIndicatorCol("validation").setEarlyStoppingPatience(3);
    BackpropClassificationModel full = clf.get().fit(data);
    assertEquals("EARLY_STOPPED", full.summary().stopReason());
    int n = full.summary().totalIterations();
    int interruptedAt = n - 2;
    String path = dir.resolve("version2").toString();
    clf.get().setMaxIter(interruptedAt).fit(data).write().save(path);
    Dataset<Row> state = SharedSpark.session().read().parquet(trainingState(path));
    assertEquals(ModelIO.STATE_FORMAT_VERSION, state.head().getInt(0));
    Dataset<Row> version2 = state.drop("smoothedValidationLoss", "bestSmoothedValidationLoss")
        .withColumn("formatVersion", org.apache.spark.sql.functions.lit(2));
    List<Row> rows = version2.collectAsList();
    SharedSpark.session().createDataFrame(rows, version2.schema()).write().mode("overwrite")
        .parquet(trainingState(path));

    BackpropClassificationModel resumed = clf.get().setInitialModelPath(path).fit(data);
    assertEquals("EARLY_STOPPED", resumed.summary().stopReason());
    assertArrayEquals(IntStream.rangeClosed(interruptedAt + 1, n).toArray(),
        resumed.summary().iterationNumbers());
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "resumed weights differ from the uninterrupted run's by " + diff);
  }

  /** A new task on the same features: every label moved to the next class. */
  private static List<Example> relabelled(List<Example> task) {
    List<Example> next = new ArrayList<>();
    for (Example e : task) {
      next.add(new Example((e.label() + 1) % 3, e.features()));
    }
    return next;
  }

  /**
   * A warm start on other data with the default stopping rule learns the new task: the plateau
   * rule counts afresh in every fit instead of measuring the new losses against the old data's
   * best. Failed while the count was carried over: every epoch of task B lay above task A's best
   * loss, so the fine-tuning stopped 11 iterations after the warm start.
   */
  @Test
  void aWarmStartOnOtherDataDoesNotStopOnTheOldDatasBestLoss() throws IOException {
    List<Example> taskA = TrainingData.blobs(20, 3, 4, 0.8, 51);
    List<Example> taskB = relabelled(taskA);
    Supplier<BackpropClassifier> clf = () -> new BackpropClassifier().setHiddenLayers(6)
        .setSeed(5).setBlockSize(8);
    String path = dir.resolve("taskA").toString();
    BackpropClassificationModel a = clf.get().setMaxIter(150)
        .fit(TrainingData.frame(taskA, 2));
    a.write().save(path);
    int doneA = a.summary().totalIterations();
    Dataset<Row> b = TrainingData.frame(taskB, 2);
    BackpropClassificationModel fineTuned = clf.get().setMaxIter(doneA + 300)
        .setInitialModelPath(path).fit(b);
    int[] numbers = fineTuned.summary().iterationNumbers();
    assertTrue(numbers[numbers.length - 1] > doneA + 30,
        "fine-tuning stopped at iteration " + numbers[numbers.length - 1] + ", " + doneA
            + " were task A's");
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(fineTuned.transform(b));
    assertTrue(accuracy > 0.9, "task B training accuracy " + accuracy);
  }

  /**
   * A warm start on a new task with early stopping learns the new task: the saved best validation
   * loss and weights belong to the old rows (the state records a fingerprint of the data) and are
   * not carried over. Failed before: task B's validation losses never beat task A's best, so the
   * fit stopped after the patience and returned task A's weights (accuracy 0 on B's labels).
   */
  @Test
  void aWarmStartOnANewTaskStartsEarlyStoppingAfresh() throws IOException {
    List<Example> taskA = TrainingData.blobs(20, 3, 4, 0.8, 51);
    List<Example> taskB = relabelled(taskA);
    Supplier<BackpropClassifier> clf = () -> new BackpropClassifier().setHiddenLayers(6)
        .setSeed(5).setBlockSize(8).setValidationFraction(0.25).setEarlyStoppingPatience(5);
    String path = dir.resolve("earlyStoppingTaskA").toString();
    clf.get().setMaxIter(100).fit(TrainingData.frame(taskA, 2)).write().save(path);
    Dataset<Row> b = TrainingData.frame(taskB, 2);
    BackpropClassificationModel fineTuned = clf.get().setMaxIter(400).setInitialModelPath(path)
        .fit(b);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(fineTuned.transform(b));
    assertTrue(accuracy > 0.9, "task B accuracy " + accuracy + ", stopped "
        + fineTuned.summary().stopReason() + " at iteration "
        + fineTuned.summary().iterationNumbers()[fineTuned.summary().totalIterations() - 1]);
  }

  @Test
  void warmStartingWithAnotherSolverStartsFromTheSavedWeights() {
    BackpropClassificationModel model = BackpropClassificationModel.load(saved);
    BackpropClassificationModel continued = classifier("gd").setMaxIter(21).setRegParam(0)
        .setInitialModelPath(saved).fit(data());
    // The first loss is that of the saved weights: recompute it from the saved model's output
    // (regParam 0: the objective would add the L2 penalty, which the model's output does not see).
    List<Row> rows = model.transform(data()).select("label", "probability").collectAsList();
    double loss = rows.stream().mapToDouble(r -> -Math.log(
        ((org.apache.spark.ml.linalg.Vector) r.get(1)).apply((int) r.getDouble(0)))).average()
        .orElseThrow();
    double first = continued.summary().objectiveHistory()[0];
    assertEquals(loss, first, 1e-5 * loss);
    assertArrayEquals(new int[] {21}, continued.summary().iterationNumbers());
    assertArrayEquals(model.layerSizes(), continued.layerSizes());
  }

  // ---------------------------------------------------------------- rejected initial models

  private static void assertRejected(Executable fit, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit);
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment),
          "message should mention '" + fragment + "': " + e.getMessage());
    }
  }

  @Test
  void anInitialModelWithAnotherShapeIsRejectedNamingInitialModelPath() {
    Dataset<Row> fiveFeatures = TrainingData.frame(TrainingData.blobs(5, 3, 5, 0.8, 52), 1);
    assertRejected(() -> classifier("adam").setMaxIter(25).setInitialModelPath(saved)
        .fit(fiveFeatures), "initialModelPath", saved, "5");
    assertRejected(() -> classifier("adam").setMaxIter(25).setHiddenLayers(7)
        .setInitialModelPath(saved).fit(data()), "initialModelPath", "hiddenLayers", "[7]");
    assertRejected(() -> classifier("adam").setMaxIter(25).setLayers(4, 6, 6, 3)
        .setInitialModelPath(saved).fit(data()), "initialModelPath", "layers");
    assertRejected(() -> classifier("adam").setMaxIter(25).setActivation("tanh")
        .setInitialModelPath(saved).fit(data()), "initialModelPath", "activation", "tanh");
    // A fourth class in the data cannot be trained into a three-class model.
    Dataset<Row> fourClasses = TrainingData.frame(TrainingData.blobs(5, 4, 4, 0.8, 53), 1);
    assertRejected(() -> classifier("adam").setMaxIter(25).setInitialModelPath(saved)
        .fit(fourClasses), "3 classes");
    // A classifier is no initial model for a regressor (Spark's metadata check says so; it does not
    // name initialModelPath).
    assertRejected(() -> new BackpropRegressor().setMaxIter(25).setInitialModelPath(saved)
        .fit(TrainingData.frame(TrainingData.smoothRegression(10, 0.1, 2), 1)),
        "BackpropClassificationModel");
  }

  @Test
  void explicitlySettingTheSavedShapeIsFine() {
    BackpropClassificationModel model = classifier("adam").setMaxIter(21).setHiddenLayers(6)
        .setActivation("relu").setInitialModelPath(saved).fit(data());
    assertArrayEquals(new int[] {4, 6, 3}, model.layerSizes());
  }

  @Test
  void maxIterMustExceedTheIterationsAlreadyDone() {
    for (int maxIter : new int[] {20, 5}) {
      assertRejected(() -> classifier("adam").setMaxIter(maxIter).setInitialModelPath(saved)
          .fit(data()), "maxIter", "20", saved);
    }
  }

  // ---------------------------------------------------------------- checkpoints

  @Test
  void checkpointsHoldTheLatestIntervalAndResumeExactly() throws IOException {
    String checkpointDir = dir.resolve("checkpoints").toString();
    BackpropClassificationModel full = classifier("adam").setMaxIter(12)
        .setCheckpointDir(checkpointDir).setCheckpointInterval(5).fit(data());
    String latest = Checkpoints.latest(checkpointDir);
    assertTrue(Files.isDirectory(Paths.get(latest)), latest + " is missing");
    assertFalse(Files.exists(Paths.get(latest + ".tmp")), "latest.tmp was left behind");
    try (Stream<Path> entries = Files.list(Paths.get(checkpointDir))) {
      List<String> names = entries.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).collect(Collectors.toList());
      assertEquals(List.of("latest"), names);
    }
    assertEquals(10, readState(latest).getInt(readState(latest).fieldIndex("iterationsDone")));

    BackpropClassificationModel checkpoint = BackpropClassificationModel.load(latest);
    assertArrayEquals(full.layerSizes(), checkpoint.layerSizes());
    assertTrue(TrainingData.maxAbsDiff(full.weights(), checkpoint.weights()) > 1e-4,
        "the checkpoint should hold the weights after 10 iterations, not 12");

    BackpropClassificationModel resumed = classifier("adam").setMaxIter(12)
        .setInitialModelPath(latest).fit(data());
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "weights differ from the uninterrupted run's by " + diff);
    assertArrayEquals(new int[] {11, 12}, resumed.summary().iterationNumbers());
  }

  /** The local file system, except that moving a {@code .tmp} path fails (a crash at that moment). */
  public static final class CrashOnRenameOfTmp extends org.apache.hadoop.fs.LocalFileSystem {
    @Override
    public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst)
        throws IOException {
      if (src.getName().endsWith(".tmp")) {
        throw new IOException("simulated crash before moving " + src + " to " + dst);
      }
      return super.rename(src, dst);
    }
  }

  /**
   * A crash while a new checkpoint replaces the previous one (after the new one is written, before
   * it is moved into place) leaves a checkpoint that resumes exactly. Failed before the fix: the
   * previous {@code latest} was deleted before the move, so nothing was left to resume from.
   */
  @Test
  void aCrashWhileReplacingTheCheckpointLeavesOneToResumeFrom() throws IOException {
    String checkpointDir = dir.resolve("checkpoints").toString();
    BackpropClassificationModel full = classifier("adam").setMaxIter(12)
        .setCheckpointDir(checkpointDir).setCheckpointInterval(5).fit(data());
    String latest = Checkpoints.latest(checkpointDir);
    org.apache.hadoop.conf.Configuration conf =
        SharedSpark.session().sparkContext().hadoopConfiguration();
    conf.set("fs.file.impl", CrashOnRenameOfTmp.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    try {
      assertThrows(RuntimeException.class, () -> Checkpoints.replace(latest,
          tmp -> copyTree(Paths.get(saved), Paths.get(tmp))));
    } finally {
      conf.unset("fs.file.impl");
      conf.unset("fs.file.impl.disable.cache");
    }
    assertTrue(Files.isDirectory(Paths.get(latest + ".tmp")), "the new checkpoint was written");

    BackpropClassificationModel resumed = classifier("adam").setMaxIter(12)
        .setInitialModelPath(latest).fit(data());
    assertArrayEquals(new int[] {11, 12}, resumed.summary().iterationNumbers());
    double diff = TrainingData.maxAbsDiff(full.weights(), resumed.weights());
    assertTrue(diff <= 1e-6, "weights differ from the uninterrupted run's by " + diff);

    // The next checkpoint replaces the leftovers.
    classifier("adam").setMaxIter(6).setCheckpointDir(checkpointDir).setCheckpointInterval(5)
        .fit(data());
    try (Stream<Path> entries = Files.list(Paths.get(checkpointDir))) {
      assertEquals(List.of("latest"), entries.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).collect(Collectors.toList()));
    }
    assertEquals(5, readState(latest).getInt(readState(latest).fieldIndex("iterationsDone")));
  }

  private static void copyTree(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(from.relativize(f).toString()));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
