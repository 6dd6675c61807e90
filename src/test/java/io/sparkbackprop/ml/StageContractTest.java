package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkbackprop.testing.Stages;
import io.sparkbackprop.testing.TestData;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Spark ML contract of every stage: params (getters, setters, defaults, docs, validation at set
 * time), {@code copy}, {@code fit(df, paramMap)} and the constructors Spark's reflection needs.
 */
class StageContractTest {

  /** Our own params, which every stage must expose. */
  private static final List<String> NETWORK_PARAMS = List.of("hiddenLayers", "layers", "activation",
      "solver", "stepSize", "maxIter", "tol", "seed", "blockSize", "miniBatchFraction",
      "initialWeights");
  private static final List<String> REGRESSION_PARAMS = List.of("loss", "huberDelta");
  /** Params that are optional: no default, unset until the user sets them. */
  private static final Set<String> OPTIONAL = Set.of("layers", "initialWeights", "thresholds",
      "decayRate", "decaySteps", "weightCol", "validationIndicatorCol", "initialModelPath",
      "checkpointDir", "classWeights");

  /** A valid non-default value for every param a stage may have. */
  private static final Map<String, Object> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("hiddenLayers", new int[] {7, 3});
    SAMPLES.put("layers", new int[] {4, 6, 3});
    SAMPLES.put("activation", "tanh");
    SAMPLES.put("solver", "gd");
    SAMPLES.put("stepSize", 0.25);
    SAMPLES.put("maxIter", 17);
    SAMPLES.put("tol", 1e-3);
    SAMPLES.put("seed", 987654321L);
    SAMPLES.put("blockSize", 33);
    SAMPLES.put("miniBatchFraction", 0.5);
    SAMPLES.put("initialWeights", Vectors.dense(0.1, -0.2, 0.3));
    SAMPLES.put("standardization", false);
    SAMPLES.put("regParam", 0.125);
    SAMPLES.put("elasticNetParam", 0.75);
    SAMPLES.put("momentum", 0.5);
    SAMPLES.put("beta1", 0.8);
    SAMPLES.put("beta2", 0.99);
    SAMPLES.put("epsilon", 1e-6);
    SAMPLES.put("weightDecay", 0.03);
    SAMPLES.put("learningRateSchedule", "cosine");
    SAMPLES.put("decayRate", 0.5);
    SAMPLES.put("decaySteps", 25);
    SAMPLES.put("minLearningRateFactor", 0.1);
    SAMPLES.put("warmupIters", 5);
    SAMPLES.put("maxGradNorm", 5.0);
    SAMPLES.put("clipValue", 0.5);
    SAMPLES.put("autoStepSize", true);
    SAMPLES.put("dropout", new double[] {0.25});
    SAMPLES.put("weightCol", "myWeight");
    SAMPLES.put("validationIndicatorCol", "isValidation");
    SAMPLES.put("validationFraction", 0.2);
    SAMPLES.put("validationInterval", 3);
    SAMPLES.put("earlyStoppingPatience", 4);
    SAMPLES.put("validationSmoothing", 0.9);
    SAMPLES.put("lossPatience", 5);
    SAMPLES.put("initialModelPath", "/tmp/some-model");
    SAMPLES.put("checkpointDir", "/tmp/checkpoints");
    SAMPLES.put("checkpointInterval", 7);
    SAMPLES.put("classWeights", new double[] {1.0, 2.0, 0.5});
    SAMPLES.put("balanceClasses", true);
    SAMPLES.put("localSteps", 8);
    SAMPLES.put("driverTrainingMaxMB", 4.0);
    SAMPLES.put("computeFisher", true);
    SAMPLES.put("fisherSampleFraction", 0.25);
    SAMPLES.put("consolidation", 100.0);
    SAMPLES.put("loss", "huber");
    SAMPLES.put("huberDelta", 2.5);
    SAMPLES.put("featuresCol", "myFeatures");
    SAMPLES.put("labelCol", "myLabel");
    SAMPLES.put("predictionCol", "myPrediction");
    SAMPLES.put("rawPredictionCol", "myRaw");
    SAMPLES.put("probabilityCol", "myProbability");
    SAMPLES.put("thresholds", new double[] {0.2, 0.5, 0.3});
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("hiddenLayers", new int[] {0}),
        Arguments.of("hiddenLayers", new int[] {-1}),
        Arguments.of("hiddenLayers", new int[] {8, 0}),
        Arguments.of("layers", new int[] {5}),
        Arguments.of("layers", new int[] {4, 0, 3}),
        Arguments.of("activation", "softplus"),
        Arguments.of("solver", "lbfgs2"),
        Arguments.of("stepSize", 0.0),
        Arguments.of("stepSize", Double.NaN),
        Arguments.of("stepSize", -0.1),
        Arguments.of("maxIter", -1),
        Arguments.of("tol", -1.0),
        Arguments.of("blockSize", 0),
        Arguments.of("miniBatchFraction", 0.0),
        Arguments.of("miniBatchFraction", 1.5),
        Arguments.of("loss", "absolute"),
        Arguments.of("huberDelta", 0.0),
        Arguments.of("regParam", -0.1),
        Arguments.of("regParam", Double.POSITIVE_INFINITY),
        Arguments.of("elasticNetParam", 1.5),
        Arguments.of("momentum", 1.0),
        Arguments.of("beta2", -0.1),
        Arguments.of("epsilon", 0.0),
        Arguments.of("learningRateSchedule", "linear"),
        Arguments.of("decayRate", 0.0),
        Arguments.of("decaySteps", 0),
        Arguments.of("warmupIters", -1),
        Arguments.of("maxGradNorm", -1.0),
        Arguments.of("dropout", new double[] {1.0}),
        Arguments.of("validationFraction", 1.0),
        Arguments.of("validationInterval", 0),
        Arguments.of("earlyStoppingPatience", -2),
        Arguments.of("validationSmoothing", 1.0),
        Arguments.of("lossPatience", -1),
        Arguments.of("checkpointInterval", 0),
        Arguments.of("localSteps", 0),
        Arguments.of("driverTrainingMaxMB", -1.0));
  }

  static Stream<Arguments> stagesTimesInvalidValues() {
    return Arrays.stream(Stages.values()).flatMap(stage -> invalidValues()
        .filter(a -> stage.isRegression() || !REGRESSION_PARAMS.contains((String) a.get()[0]))
        .map(a -> Arguments.of(stage, a.get()[0], a.get()[1])));
  }

  // ---------------------------------------------------------------- params

  @ParameterizedTest
  @EnumSource(Stages.class)
  void exposesEveryNetworkParamOwnedByTheStage(Stages which) {
    Params stage = which.create();
    Set<String> names = new HashSet<>();
    for (Param<?> p : stage.params()) {
      names.add(p.name());
      assertEquals(stage.uid(), p.parent(), "param " + p.name() + " must be owned by the stage");
    }
    assertTrue(names.containsAll(NETWORK_PARAMS), "missing network params in " + names);
    assertEquals(which.isRegression(), names.containsAll(REGRESSION_PARAMS), names.toString());
    assertTrue(names.containsAll(List.of("featuresCol", "labelCol", "predictionCol")), names.toString());
  }

  @ParameterizedTest
  @EnumSource(Stages.class)
  void everyParamHasADocAndADefaultUnlessOptional(Stages which) {
    Params stage = which.create();
    for (Param<?> p : stage.params()) {
      assertNotNull(p.doc(), p.name());
      assertFalse(p.doc().isBlank(), "param " + p.name() + " needs a doc");
      if (OPTIONAL.contains(p.name())) {
        assertFalse(stage.isSet(p) || stage.hasDefault(p), p.name() + " is optional: unset by default");
        assertFalse(stage.isDefined(p), p.name());
        if (!p.name().equals("thresholds")) { // Spark's getThresholds throws when unset
          assertNull(getter(stage, p.name()), "the getter of unset " + p.name() + " returns null");
        }
      } else {
        assertTrue(stage.hasDefault(p), "param " + p.name() + " needs a default");
        assertNotNull(getter(stage, p.name()), p.name());
      }
    }
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    BackpropClassifier c = new BackpropClassifier();
    assertArrayEquals(new int[] {64}, c.getHiddenLayers());
    assertEquals("relu", c.getActivation());
    assertEquals("adam", c.getSolver());
    assertEquals(0.01, c.getStepSize());
    assertEquals(300, c.getMaxIter());
    assertEquals(1e-6, c.getTol(), "unset: 1e-4 at fit, with lossPatience 10, but for l-bfgs");
    assertEquals(0, c.getLossPatience(), "unset: 10 at fit, with tol 1e-4, but for l-bfgs");
    assertEquals(128, c.getBlockSize());
    assertEquals(1.0, c.getMiniBatchFraction());
    assertNull(c.getLayers());
    assertNull(c.getInitialWeights());
    BackpropRegressor r = new BackpropRegressor();
    assertEquals(100, r.getMaxIter());
    assertEquals(0.0, r.getRegParam(), "unset: 12 / training rows at fit");
    assertEquals(0.0, c.getRegParam(), "unset: 1e-3 at fit");
    assertEquals("squaredError", r.getLoss());
    assertEquals(1.0, r.getHuberDelta());
  }

  @ParameterizedTest
  @EnumSource(value = Stages.class, names = {"CLASSIFIER", "REGRESSOR"})
  void estimatorSettersRoundTripThroughGetters(Stages which) throws Exception {
    Params stage = which.create();
    for (Param<?> p : stage.params()) {
      Object value = sample(p.name());
      Method setter = method(stage, "set" + capitalize(p.name()));
      assertNotNull(setter, "estimator needs a setter for " + p.name());
      Object returned = invoke(setter, stage, value);
      assertSame(stage, returned, "set" + capitalize(p.name()) + " must return this for chaining");
      assertTrue(stage.isSet(p), p.name());
      assertTrue(Objects.deepEquals(value, getter(stage, p.name())),
          p.name() + ": expected " + describe(value) + " got " + describe(getter(stage, p.name())));
      assertTrue(Objects.deepEquals(value, stage.getOrDefault(p)), p.name());
    }
  }

  @Test
  void arraySettersCopyTheirArgument() {
    int[] hidden = {4, 2};
    BackpropClassifier c = new BackpropClassifier().setHiddenLayers(hidden).setLayers(4, 5, 3);
    hidden[0] = 99;
    assertArrayEquals(new int[] {4, 2}, c.getHiddenLayers());
  }

  @Test
  void choiceParamsAreCaseInsensitiveAndCanonical() {
    BackpropClassifier c = new BackpropClassifier().setActivation("TANH").setSolver("Adam");
    assertEquals("tanh", c.getActivation());
    assertEquals("adam", c.getSolver());
    assertEquals("huber", new BackpropRegressor().setLoss("HUBER").getLoss());
    assertArrayEquals(new int[0], new BackpropClassifier().setHiddenLayers().getHiddenLayers(),
        "no hidden layer at all is allowed");
  }

  @ParameterizedTest
  @EnumSource(value = Stages.class, names = {"CLASSIFICATION_MODEL", "REGRESSION_MODEL"})
  @SuppressWarnings({"unchecked", "rawtypes"})
  void modelParamsRoundTripThroughCopyAndGetters(Stages which) {
    Params model = which.create();
    for (Param<?> p : model.params()) {
      Object value = sample(p.name());
      if (p.name().equals("thresholds")) {
        value = new double[] {0.2, 0.5, 0.3};
      }
      Params copy = model.copy(new ParamMap().put((Param) p, value));
      assertTrue(Objects.deepEquals(value, getter(copy, p.name())),
          p.name() + ": expected " + describe(value) + " got " + describe(getter(copy, p.name())));
    }
  }

  @ParameterizedTest
  @EnumSource(Stages.class)
  void explainParamsDescribesEveryParam(Stages which) {
    Params stage = which.create();
    String text = stage.explainParams();
    for (Param<?> p : stage.params()) {
      assertTrue(text.contains(p.name() + ": " + p.doc()), p.name() + " missing in\n" + text);
    }
    assertTrue(text.contains("default: relu"), text);
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void estimatorSettersRejectInvalidValuesNamingTheParam(String name, Object bad) throws Exception {
    for (Params stage : List.<Params>of(new BackpropClassifier(), new BackpropRegressor())) {
      Method setter = method(stage, "set" + capitalize(name));
      if (setter == null) {
        assertTrue(REGRESSION_PARAMS.contains(name) && stage instanceof BackpropClassifier, name);
        continue;
      }
      Param<?> param = stage.getParam(name);
      boolean wasSet = stage.isSet(param);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> invoke(setter, stage, bad), name + " = " + describe(bad));
      assertTrue(e.getMessage().contains(name), "message must name " + name + ": " + e.getMessage());
      assertEquals(wasSet, stage.isSet(param), "a rejected value must not be stored");
    }
  }

  @ParameterizedTest
  @MethodSource("stagesTimesInvalidValues")
  @SuppressWarnings({"unchecked", "rawtypes"})
  void paramValidatorsRejectInvalidValuesInParamMaps(Stages which, String name, Object bad) {
    // The path CrossValidator and copy(extra) take: values arrive through ParamMaps, not setters.
    Params stage = which.create();
    Param param = stage.getParam(name);
    assertFalse(param.isValid().apply(bad).equals(Boolean.TRUE), name + " accepts " + describe(bad));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ParamMap().put(param, bad));
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }

  @Test
  void nonFiniteInitialWeightsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BackpropClassifier().setInitialWeights(Vectors.dense(0.1, Double.NaN)));
    assertTrue(e.getMessage().contains("initialWeights"), e.getMessage());
  }

  // ---------------------------------------------------------------- copy and fit(df, paramMap)

  @ParameterizedTest
  @EnumSource(value = Stages.class, names = {"CLASSIFIER", "REGRESSOR"})
  @SuppressWarnings("unchecked")
  void estimatorCopyKeepsUidAndValuesAndAppliesExtra(Stages which) {
    BackpropEstimatorParams<?> stage = (BackpropEstimatorParams<?>) which.create();
    stage.setHiddenLayers(9).setStepSize(0.3);
    Params copy = stage.copy(new ParamMap().put(stage.maxIter(), 7).put(stage.stepSize(), 0.05));
    assertNotSame(stage, copy);
    assertEquals(stage.uid(), copy.uid());
    assertEquals(stage.getClass(), copy.getClass());
    BackpropParams c = (BackpropParams) copy;
    assertEquals(7, c.getMaxIter());
    assertEquals(0.05, c.getStepSize());
    assertArrayEquals(new int[] {9}, c.getHiddenLayers());
    assertEquals(0.3, stage.getStepSize(), "the original is untouched");
    assertEquals(((BackpropParams) which.create()).getMaxIter(), stage.getMaxIter(),
        "the original keeps its default");
    ((BackpropEstimatorParams<?>) copy).setBlockSize(5);
    assertEquals(128, stage.getBlockSize(), "copies do not share param maps");
  }

  @Test
  void classificationModelCopyKeepsUidWeightsAndAppliesExtra() {
    BackpropClassificationModel model = Stages.classificationModel();
    BackpropClassificationModel copy = model.copy(new ParamMap()
        .put(model.predictionCol(), "pred2").put(model.thresholds(), new double[] {1, 2, 3}));
    assertEquals(model.uid(), copy.uid());
    assertEquals("pred2", copy.getPredictionCol());
    assertArrayEquals(new double[] {1, 2, 3}, copy.getThresholds());
    assertEquals("prediction", model.getPredictionCol());
    assertEquals(model.weights(), copy.weights());
    assertArrayEquals(model.layerSizes(), copy.layerSizes());
    assertEquals(model.parent(), copy.parent());
    assertEquals(model.getMaxIter(), copy.getMaxIter());
  }

  @Test
  void regressionModelCopyKeepsUidWeightsAndAppliesExtra() {
    BackpropRegressionModel model = Stages.regressionModel();
    BackpropRegressionModel copy = model.copy(new ParamMap().put(model.predictionCol(), "yhat"));
    assertEquals(model.uid(), copy.uid());
    assertEquals("yhat", copy.getPredictionCol());
    assertEquals(model.weights(), copy.weights());
    assertArrayEquals(model.labelScaling(), copy.labelScaling());
    Dataset<Row> data = TestData.linear(5, 0, 9);
    List<Row> a = model.transform(data).select("prediction").collectAsList();
    List<Row> b = copy.transform(data).select("yhat").collectAsList();
    assertEquals(a, b);
  }

  @Test
  void classifierFitWithParamMapAppliesTheMap() {
    BackpropClassifier clf = new BackpropClassifier().setMaxIter(50).setSeed(3);
    ParamMap map = new ParamMap().put(clf.maxIter(), 2).put(clf.hiddenLayers(), new int[] {6, 2})
        .put(clf.tol(), 0.0).put(clf.predictionCol(), "p");
    BackpropClassificationModel model = clf.fit(TestData.blobs(6, 3, 4, 0.5, 4), map);
    assertArrayEquals(new int[] {4, 6, 2, 3}, model.layerSizes());
    assertEquals(2, model.getMaxIter());
    assertEquals(2, model.summary().totalIterations());
    assertEquals("p", model.getPredictionCol());
    assertEquals(clf.uid(), model.parent().uid());
    assertEquals(50, clf.getMaxIter(), "the estimator itself is unchanged");
  }

  @Test
  void regressorFitWithParamMapsFitsOneModelPerMap() {
    BackpropRegressor reg = new BackpropRegressor().setSeed(3).setTol(0);
    ParamMap[] maps = {
        new ParamMap().put(reg.maxIter(), 1).put(reg.hiddenLayers(), new int[] {2}),
        new ParamMap().put(reg.maxIter(), 3).put(reg.loss(), "huber")};
    scala.collection.immutable.Seq<BackpropRegressionModel> models =
        reg.fit(TestData.linear(20, 0.1, 5),
            scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(maps)).toSeq());
    assertEquals(2, models.size());
    assertArrayEquals(new int[] {3, 2, 1}, models.apply(0).layerSizes());
    assertEquals(1, models.apply(0).summary().totalIterations());
    assertEquals(3, models.apply(1).summary().totalIterations());
    assertEquals("huber", models.apply(1).getLoss());
    assertEquals("squaredError", models.apply(0).getLoss());
  }

  @Test
  void modelsInheritTheEstimatorsParams() {
    BackpropRegressor reg = new BackpropRegressor().setMaxIter(2).setActivation("tanh")
        .setLoss("huber").setHuberDelta(0.5).setHiddenLayers(3).setSeed(11);
    BackpropRegressionModel model = reg.fit(TestData.linear(20, 0.1, 6));
    assertEquals("tanh", model.getActivation());
    assertEquals("huber", model.getLoss());
    assertEquals(0.5, model.getHuberDelta());
    assertEquals(11L, model.getSeed());
    assertArrayEquals(new int[] {3}, model.getHiddenLayers());
    BackpropRegressor unseeded = new BackpropRegressor().setMaxIter(1).setHiddenLayers(2);
    assertEquals(unseeded.getSeed(), unseeded.fit(TestData.linear(8, 0, 1)).getSeed(),
        "defaults are carried over too");
  }

  // ---------------------------------------------------------------- constructors

  @ParameterizedTest
  @EnumSource(Stages.class)
  void publicNoArgAndUidConstructorsExist(Stages which) throws Exception {
    Class<?> cls = which.create().getClass();
    Constructor<?> noArg = cls.getConstructor();
    Constructor<?> withUid = cls.getConstructor(String.class);
    Params a = (Params) noArg.newInstance();
    Params b = (Params) noArg.newInstance();
    assertNotNull(a.uid());
    assertFalse(a.uid().equals(b.uid()), "random uids differ");
    Params named = (Params) withUid.newInstance("myStage_123");
    assertEquals("myStage_123", named.uid());
    for (Param<?> p : named.params()) {
      assertEquals("myStage_123", p.parent(), p.name());
    }
    // Spark's own column params are initialised before the Java constructor body: they must still
    // belong to this uid, so their getters work.
    assertEquals("features", getter(named, "featuresCol"));
    assertEquals("prediction", getter(named, "predictionCol"));
    if (which.isModel()) {
      assertEquals(-1, ((org.apache.spark.ml.PredictionModel<?, ?>) named).numFeatures(),
          "an empty model reports no features");
    }
  }

  @Test
  void stagesAreRegisteredForServiceLoader() {
    Set<Class<?>> estimators = ServiceLoader.load(Estimator.class).stream()
        .map(ServiceLoader.Provider::type).collect(Collectors.toSet());
    assertTrue(estimators.contains(BackpropClassifier.class), "BackpropClassifier not registered");
    assertTrue(estimators.contains(BackpropRegressor.class), "BackpropRegressor not registered");
    Set<Class<?>> transformers = ServiceLoader.load(Transformer.class).stream()
        .map(ServiceLoader.Provider::type).collect(Collectors.toSet());
    assertTrue(transformers.contains(BackpropClassificationModel.class));
    assertTrue(transformers.contains(BackpropRegressionModel.class));
  }

  @Test
  void emptyModelFailsClearlyInsteadOfPredicting() {
    BackpropClassificationModel empty = new BackpropClassificationModel("empty_1");
    IllegalStateException e = assertThrows(IllegalStateException.class, empty::layerSizes);
    assertTrue(e.getMessage().contains("empty_1"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new BackpropRegressionModel().weights());
  }

  // ---------------------------------------------------------------- helpers

  static Object sample(String name) {
    Object value = SAMPLES.get(name);
    if (value == null) {
      fail("no sample value for param '" + name + "': add one to StageContractTest.SAMPLES");
    }
    return value;
  }

  static Object getter(Params stage, String name) {
    Method m = method(stage, "get" + capitalize(name));
    assertNotNull(m, "no getter get" + capitalize(name) + " on " + stage.getClass().getSimpleName());
    return invoke(m, stage);
  }

  static Method method(Object target, String name) {
    List<Method> found = new ArrayList<>();
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && (name.startsWith("get") ? m.getParameterCount() == 0
          : m.getParameterCount() == 1)) {
        found.add(m);
      }
    }
    return found.isEmpty() ? null : found.get(0);
  }

  static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static String describe(Object value) {
    if (value instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (value instanceof double[] a) {
      return Arrays.toString(a);
    }
    return String.valueOf(value);
  }
}
