package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.SharedSpark;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML contract of the recurrent stages (params, copy, persistence, pipelines,
 * cross-validation, registration), every accepted sequence column type, and a clear error for every
 * kind of bad input.
 */
class RecurrentStagesTest {
  @TempDir
  Path dir;

  private static final Map<String, Object> SAMPLES = Map.ofEntries(
      Map.entry("cell", "gru"), Map.entry("hiddenSize", 9), Map.entry("numLayers", 3),
      Map.entry("bidirectional", true), Map.entry("bpttSteps", 5),
      Map.entry("maxSequenceLength", 77), Map.entry("outputMode", "sequence"),
      Map.entry("vocabSize", 300), Map.entry("embeddingSize", 12));

  /** Rows of (label, a sequence in the given column type); a short window of a sine wave. */
  private static Dataset<Row> series(int rows, DataType featuresType, long seed) {
    Random random = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int length = 3 + random.nextInt(6);
      double phase = random.nextDouble() * 6;
      double[] values = new double[length];
      for (int t = 0; t < length; t++) {
        values[t] = Math.sin(phase + 0.7 * t);
      }
      double label = Math.sin(phase + 0.7 * length) > 0 ? 1 : 0;
      out.add(RowFactory.create(label, column(values, featuresType)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
        .add("features", featuresType, false);
    return SharedSpark.session().createDataFrame(out, schema);
  }

  private static Object column(double[] values, DataType type) {
    DataType element = ((org.apache.spark.sql.types.ArrayType) type).elementType();
    Object[] steps = new Object[values.length];
    for (int t = 0; t < values.length; t++) {
      if (element.equals(DataTypes.DoubleType)) {
        steps[t] = values[t];
      } else if (element.equals(SQLDataTypes.VectorType())) {
        steps[t] = Vectors.dense(values[t], values[t] * values[t]);
      } else if (element instanceof org.apache.spark.sql.types.ArrayType) {
        steps[t] = new double[] {values[t], values[t] * values[t]};
      } else if (element.equals(DataTypes.IntegerType)) {
        steps[t] = (int) Math.round(3 * values[t]) + 3;
      } else {
        steps[t] = "v" + Math.round(3 * values[t]);
      }
    }
    return steps;
  }

  private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, false);
  private static final DataType VECTORS = DataTypes.createArrayType(SQLDataTypes.VectorType(), false);
  private static final DataType NESTED = DataTypes.createArrayType(DOUBLES, false);
  private static final DataType INTS = DataTypes.createArrayType(DataTypes.IntegerType, false);
  private static final DataType STRINGS = DataTypes.createArrayType(DataTypes.StringType, false);

  private static RecurrentClassifier quickClassifier() {
    return new RecurrentClassifier().setHiddenSize(6).setMaxIter(40).setStepSize(0.05).setSeed(1);
  }

  private static double accuracy(Dataset<Row> predictions) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
  }

  // ---------------------------------------------------------------- column types

  @Test
  void everySequenceColumnTypeTrainsAndPredicts() {
    for (DataType type : List.of(DOUBLES, VECTORS, NESTED, INTS, STRINGS)) {
      Dataset<Row> train = series(120, type, 1);
      RecurrentClassificationModel model = quickClassifier().fit(train);
      Dataset<Row> out = model.transform(series(60, type, 2));
      assertEquals(60, out.count(), type.simpleString());
      double acc = accuracy(out);
      assertTrue(acc >= 0.75, type.simpleString() + ": accuracy " + acc);
      boolean tokens = type == INTS || type == STRINGS;
      assertEquals(tokens, model.vocabulary() != null, type.simpleString());
      assertEquals(tokens ? 1 : (type == DOUBLES ? 1 : 2), model.numFeatures(), type.simpleString());
    }
  }

  @Test
  void sequenceOutputRegressionPredictsOneValuePerStep() {
    // Label per step: the running maximum so far, which needs memory of earlier steps.
    Random random = new Random(4);
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 200; r++) {
      int length = 2 + random.nextInt(8);
      double[] x = new double[length];
      double[] y = new double[length];
      double max = Double.NEGATIVE_INFINITY;
      for (int t = 0; t < length; t++) {
        x[t] = random.nextGaussian();
        max = Math.max(max, x[t]);
        y[t] = max;
      }
      rows.add(RowFactory.create(y, x));
    }
    StructType schema = new StructType().add("label", DOUBLES, false).add("features", DOUBLES, false);
    Dataset<Row> data = SharedSpark.session().createDataFrame(rows, schema);
    RecurrentRegressionModel model = new RecurrentRegressor().setOutputMode("sequence")
        .setHiddenSize(12).setMaxIter(120).setStepSize(0.02).setSeed(2).fit(data);
    List<Row> out = model.transform(data).select("label", "prediction").collectAsList();
    double squared = 0;
    double variance = 0;
    int n = 0;
    for (Row row : out) {
      List<Double> label = row.getList(0);
      List<Double> prediction = row.getList(1);
      assertEquals(label.size(), prediction.size(), "one prediction per step");
      for (int t = 0; t < label.size(); t++) {
        squared += Math.pow(label.get(t) - prediction.get(t), 2);
        variance += Math.pow(label.get(t) - 0.8, 2);
        n++;
      }
    }
    double r2 = 1 - squared / variance;
    assertTrue(r2 > 0.8, "per-step R2 " + r2);
  }

  // ---------------------------------------------------------------- bad input

  private static Dataset<Row> rows(DataType featuresType, DataType labelType, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    StructType schema = new StructType().add("label", labelType, true)
        .add("features", featuresType, true);
    return SharedSpark.session().createDataFrame(list, schema);
  }

  private static String failure(Runnable fit) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit::run);
    return e.getMessage();
  }

  @Test
  void badSequencesFailBeforeTrainingNamingTheColumnAndTheProblem() {
    DataType d = DataTypes.DoubleType;
    String ragged = failure(() -> quickClassifier().fit(rows(NESTED, d,
        new Object[] {0.0, new double[][] {{1, 2}, {3, 4}}},
        new Object[] {1.0, new double[][] {{1, 2}, {3}}})));
    assertTrue(ragged.contains("'features'") && ragged.contains("ragged"), ragged);
    String empty = failure(() -> quickClassifier().fit(rows(DOUBLES, d,
        new Object[] {0.0, new double[] {1, 2}}, new Object[] {1.0, new double[0]})));
    assertTrue(empty.contains("'features'") && empty.contains("empty sequence"), empty);
    String nullStep = failure(() -> quickClassifier().fit(rows(
        DataTypes.createArrayType(DataTypes.DoubleType, true), d,
        new Object[] {0.0, new Double[] {1.0, 2.0}}, new Object[] {1.0, new Double[] {1.0, null}})));
    assertTrue(nullStep.contains("'features'") && nullStep.contains("null at step 1"), nullStep);
    String tooLong = failure(() -> quickClassifier().setMaxSequenceLength(3).fit(rows(DOUBLES, d,
        new Object[] {0.0, new double[] {1, 2}}, new Object[] {1.0, new double[] {1, 2, 3, 4}})));
    assertTrue(tooLong.contains("maxSequenceLength 3") && tooLong.contains("4 steps"), tooLong);
    String nonFinite = failure(() -> quickClassifier().fit(rows(DOUBLES, d,
        new Object[] {0.0, new double[] {1, Double.NaN}}, new Object[] {1.0, new double[] {1}})));
    assertTrue(nonFinite.contains("non-finite"), nonFinite);
    String wrongType = failure(() -> quickClassifier().fit(rows(
        DataTypes.createArrayType(DataTypes.BooleanType, false), d,
        new Object[] {0.0, new Boolean[] {true}}, new Object[] {1.0, new Boolean[] {false}})));
    assertTrue(wrongType.contains("'features'") && wrongType.contains("array<boolean>"), wrongType);
    String stringLabels = failure(() -> new RecurrentRegressor().setOutputMode("sequence").fit(
        rows(STRINGS, STRINGS, new Object[] {new String[] {"a"}, new String[] {"b"}})));
    assertTrue(stringLabels.contains("'label'") && stringLabels.contains("regressor"), stringLabels);
    String arrayLabelLastMode = failure(() -> new RecurrentRegressor().fit(
        rows(DOUBLES, DOUBLES, new Object[] {new double[] {1}, new double[] {2}})));
    assertTrue(arrayLabelLastMode.contains("outputMode to 'sequence'"), arrayLabelLastMode);
    String labelLength = failure(() -> new RecurrentRegressor().setOutputMode("sequence").fit(
        rows(DOUBLES, DOUBLES, new Object[] {new double[] {1, 2}, new double[] {2, 3, 4}})));
    assertTrue(labelLength.contains("2 labels") && labelLength.contains("3 steps"), labelLength);
  }

  @Test
  void transformRefusesAColumnOfAnotherKindThanTheModelWasTrainedOn() {
    RecurrentClassificationModel model = quickClassifier().setMaxIter(2).fit(series(30, DOUBLES, 1));
    String message = failure(() -> model.transform(series(5, STRINGS, 2)));
    assertTrue(message.contains("tokens") && message.contains("numbers"), message);
  }

  // ---------------------------------------------------------------- contract

  private static List<Params> stages() {
    RecurrentClassificationModel classifier = quickClassifier().setMaxIter(3)
        .fit(series(30, DOUBLES, 1));
    RecurrentRegressionModel regressor = new RecurrentRegressor().setHiddenSize(4).setMaxIter(3)
        .fit(series(30, VECTORS, 1));
    return List.of(new RecurrentClassifier(), new RecurrentRegressor(), classifier, regressor);
  }

  @Test
  void paramsHaveDocsDefaultsAndRoundTripThroughSettersAndCopies() throws Exception {
    for (Params stage : stages()) {
      Set<String> names = Arrays.stream(stage.params()).map(Param::name)
          .collect(Collectors.toSet());
      assertTrue(names.containsAll(SAMPLES.keySet()), stage + " lacks recurrent params: " + names);
      assertTrue(names.containsAll(List.of("solver", "stepSize", "maxIter", "maxGradNorm",
          "dropout", "validationFraction", "earlyStoppingPatience", "initialModelPath",
          "checkpointDir", "weightCol")), names.toString());
      assertFalse(names.contains("hiddenLayers") || names.contains("activation"), names.toString());
      for (Param<?> p : stage.params()) {
        assertEquals(stage.uid(), p.parent(), p.name());
        assertFalse(p.doc().isBlank(), p.name());
      }
      for (Map.Entry<String, Object> e : SAMPLES.entrySet()) {
        Param<?> p = stage.getParam(e.getKey());
        assertTrue(stage.hasDefault(p), e.getKey());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Params copy = stage.copy(new ParamMap().put((Param) p, e.getValue()));
        assertEquals(stage.uid(), copy.uid());
        assertTrue(Objects.deepEquals(e.getValue(), copy.getOrDefault(p)), e.getKey());
        if (stage instanceof Estimator) {
          Method setter = stage.getClass().getMethod("set"
              + Character.toUpperCase(e.getKey().charAt(0)) + e.getKey().substring(1),
              primitive(e.getValue()));
          assertSame(stage, setter.invoke(stage, e.getValue()), "setters chain");
          assertTrue(Objects.deepEquals(e.getValue(), stage.getOrDefault(p)), e.getKey());
        }
      }
    }
    RecurrentClassifier c = new RecurrentClassifier();
    assertEquals("lstm", c.getCell());
    assertEquals("last", c.getOutputMode());
    assertThrows(IllegalArgumentException.class, () -> c.setCell("transformer"));
    assertThrows(IllegalArgumentException.class, () -> c.setHiddenSize(0));
    assertThrows(IllegalArgumentException.class, () -> c.setOutputMode("every"));
    assertEquals("gru", new RecurrentRegressor().setCell("GRU").getCell());
  }

  private static Class<?> primitive(Object value) {
    if (value instanceof Integer) {
      return int.class;
    }
    return value instanceof Boolean ? boolean.class : value.getClass();
  }

  @Test
  void stagesAreRegisteredAndHaveTheConstructorsSparkNeeds() throws Exception {
    Set<Class<?>> estimators = ServiceLoader.load(Estimator.class).stream()
        .map(ServiceLoader.Provider::type).collect(Collectors.toSet());
    assertTrue(estimators.containsAll(List.of(RecurrentClassifier.class, RecurrentRegressor.class)));
    Set<Class<?>> transformers = ServiceLoader.load(Transformer.class).stream()
        .map(ServiceLoader.Provider::type).collect(Collectors.toSet());
    assertTrue(transformers.containsAll(List.of(RecurrentClassificationModel.class,
        RecurrentRegressionModel.class)));
    for (Class<?> cls : List.of(RecurrentClassifier.class, RecurrentRegressor.class,
        RecurrentClassificationModel.class, RecurrentRegressionModel.class)) {
      Params named = (Params) cls.getConstructor(String.class).newInstance("stage_7");
      assertEquals("stage_7", named.uid());
      assertEquals("features", named.getOrDefault(named.getParam("featuresCol")));
      assertNotNull(cls.getConstructor().newInstance());
    }
  }

  @Test
  void modelsSaveAndLoadWithTheirVocabularyAndPredictTheSame() throws IOException {
    Dataset<Row> train = series(60, STRINGS, 1);
    RecurrentClassificationModel model = quickClassifier().setCell("gru").setBidirectional(true)
        .setNumLayers(2).fit(train);
    String path = dir.resolve("rc").toString();
    model.save(path);
    RecurrentClassificationModel loaded = RecurrentClassificationModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertArrayEquals(model.vocabulary(), loaded.vocabulary());
    assertArrayEquals(model.layers(), loaded.layers());
    assertEquals("gru", loaded.getCell());
    Dataset<Row> test = series(20, STRINGS, 2);
    assertEquals(model.transform(test).select("probability").collectAsList(),
        loaded.transform(test).select("probability").collectAsList());
    assertThrows(IOException.class, () -> model.save(path), "saving over a model needs overwrite");
    model.write().overwrite().save(path);

    RecurrentRegressionModel regression = new RecurrentRegressor().setHiddenSize(5).setMaxIter(10)
        .setSeed(2).fit(series(40, NESTED, 3));
    String regressionPath = dir.resolve("rr").toString();
    regression.save(regressionPath);
    RecurrentRegressionModel back = RecurrentRegressionModel.load(regressionPath);
    assertEquals(regression.transform(series(10, NESTED, 4)).select("prediction").collectAsList(),
        back.transform(series(10, NESTED, 4)).select("prediction").collectAsList());
    assertThrows(IllegalArgumentException.class, () -> RecurrentClassificationModel.load(regressionPath));
  }

  @Test
  void pipelinesAndCrossValidationWork() throws IOException {
    RecurrentClassifier classifier = quickClassifier();
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {classifier});
    Dataset<Row> train = series(90, DOUBLES, 5);
    CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline)
        .setEstimatorParamMaps(new ParamGridBuilder()
            .addGrid(classifier.hiddenSize(), new int[] {4, 8}).build())
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
        .setNumFolds(2).setSeed(1).fit(train);
    PipelineModel best = (PipelineModel) cv.bestModel();
    String path = dir.resolve("pipe").toString();
    best.save(path);
    PipelineModel loaded = PipelineModel.load(path);
    Dataset<Row> test = series(20, DOUBLES, 6);
    List<Row> expected = best.transform(test).select("prediction", "probability").collectAsList();
    assertEquals(expected, loaded.transform(test).select("prediction", "probability").collectAsList());
    RecurrentClassifier estimator = RecurrentClassifier.load(saved(classifier.setCell("rnn")));
    assertEquals("rnn", estimator.getCell());
    assertEquals(classifier.uid(), estimator.uid());
  }

  private String saved(RecurrentClassifier estimator) throws IOException {
    String path = dir.resolve("estimator").toString();
    estimator.save(path);
    return path;
  }

  @Test
  void outputsFollowSparkConventionsForThresholdsAndSingleRows() {
    Dataset<Row> train = series(80, DOUBLES, 7);
    RecurrentClassificationModel model = quickClassifier().fit(train);
    Row first = model.transform(train.limit(1)).head();
    Vector raw = first.getAs("rawPrediction");
    Vector probability = first.getAs("probability");
    assertEquals(1.0, probability.apply(0) + probability.apply(1), 1e-9);
    Object features = train.head().get(1);
    assertArrayEquals(raw.toArray(), model.predictRaw(features).toArray(), 1e-9,
        "a single row predicts as its block");
    // A threshold of almost 0 for class 1 makes every prediction class 1.
    List<Row> all = model.setThresholds(new double[] {1, 1e-9}).transform(train)
        .select("prediction").collectAsList();
    assertTrue(all.stream().allMatch(r -> r.getDouble(0) == 1.0));
  }
}
