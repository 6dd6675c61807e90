package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.Stages;
import io.sparkbackprop.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading estimators, models and pipelines in Spark's layout. */
class PersistenceTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void startSpark() {
    SharedSpark.session(); // writers and readers use the active session; make sure there is one
  }

  private String path(String name) {
    return dir.resolve(name).toString();
  }

  // ---------------------------------------------------------------- estimators

  @Test
  void classifierSaveLoadKeepsUidAndEveryParam() throws IOException {
    BackpropClassifier clf = new BackpropClassifier("clf_saved")
        .setHiddenLayers(7, 3).setLayers(4, 7, 3, 3).setActivation("elu").setSolver("gd")
        .setStepSize(0.2).setMaxIter(17).setTol(1e-4).setSeed(-5L).setBlockSize(16)
        .setMiniBatchFraction(0.75).setInitialWeights(Vectors.dense(0.5, -1.5, 2.0))
        .setThresholds(new double[] {0.3, 0.3, 0.4})
        .setFeaturesCol("f").setLabelCol("y").setPredictionCol("p").setProbabilityCol("q")
        .setRawPredictionCol("r");
    clf.save(path("clf"));
    BackpropClassifier loaded = BackpropClassifier.load(path("clf"));
    assertEquals("clf_saved", loaded.uid());
    assertSameParams(clf, loaded);
    assertArrayEquals(new int[] {4, 7, 3, 3}, loaded.getLayers());
    assertEquals(Vectors.dense(0.5, -1.5, 2.0), loaded.getInitialWeights());
    assertEquals(-5L, loaded.getSeed());
  }

  @Test
  void regressorSaveLoadKeepsUidAndEveryParamAndLeavesOptionalOnesUnset() throws IOException {
    BackpropRegressor reg = new BackpropRegressor().setLoss("huber").setHuberDelta(0.25)
        .setHiddenLayers().setMaxIter(3);
    reg.save(path("reg"));
    BackpropRegressor loaded = BackpropRegressor.load(path("reg"));
    assertEquals(reg.uid(), loaded.uid());
    assertSameParams(reg, loaded);
    assertEquals("huber", loaded.getLoss());
    assertArrayEquals(new int[0], loaded.getHiddenLayers());
    assertNull(loaded.getLayers());
    assertNull(loaded.getInitialWeights());
    assertFalse(loaded.isSet(loaded.stepSize()));
  }

  @Test
  void estimatorSaveRefusesAnExistingPathUnlessOverwriting() throws IOException {
    new BackpropClassifier().setMaxIter(1).save(path("est"));
    Exception e = assertThrows(IOException.class,
        () -> new BackpropClassifier().setMaxIter(2).save(path("est")));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(1, BackpropClassifier.load(path("est")).getMaxIter(), "the first save is intact");
    new BackpropClassifier().setMaxIter(2).write().overwrite().save(path("est"));
    assertEquals(2, BackpropClassifier.load(path("est")).getMaxIter());
  }

  // ---------------------------------------------------------------- models

  @Test
  void classificationModelSaveLoadGivesTheSameModelAndPredictions() throws IOException {
    BackpropClassificationModel model = new BackpropClassifier().setHiddenLayers(5, 4).setMaxIter(5)
        .setActivation("tanh").setThresholds(new double[] {0.5, 0.2, 0.3})
        .fit(TestData.blobs(10, 3, 4, 1.0, 21));
    model.save(path("m"));
    BackpropClassificationModel loaded = BackpropClassificationModel.load(path("m"));
    assertEquals(model.uid(), loaded.uid());
    assertSameParams(model, loaded);
    assertArrayEquals(model.layerSizes(), loaded.layerSizes());
    assertArrayEquals(model.weights().toArray(), loaded.weights().toArray(), 0.0);
    assertEquals(model.numFeatures(), loaded.numFeatures());
    assertEquals(model.numClasses(), loaded.numClasses());
    assertArrayEquals(new double[] {0.5, 0.2, 0.3}, loaded.getThresholds(), 0.0);
    Dataset<Row> test = TestData.blobs(5, 3, 4, 2.0, 22);
    assertEquals(outputs(model.transform(test), "rawPrediction", "probability", "prediction"),
        outputs(loaded.transform(test), "rawPrediction", "probability", "prediction"));
    assertTrue(model.hasSummary());
    assertFalse(loaded.hasSummary(), "summaries are not saved");
    assertThrows(IllegalStateException.class, loaded::summary);
  }

  @Test
  void regressionModelSaveLoadGivesTheSameModelAndPredictions() throws IOException {
    BackpropRegressionModel model = new BackpropRegressor().setHiddenLayers(4).setMaxIter(5)
        .setLoss("huber").setHuberDelta(0.7).fit(TestData.linear(30, 0.2, 23));
    model.write().save(path("r"));
    BackpropRegressionModel loaded = BackpropRegressionModel.load(path("r"));
    assertEquals(model.uid(), loaded.uid());
    assertSameParams(model, loaded);
    assertArrayEquals(model.layerSizes(), loaded.layerSizes());
    assertArrayEquals(model.weights().toArray(), loaded.weights().toArray(), 0.0);
    assertArrayEquals(model.labelScaling(), loaded.labelScaling(), 0.0);
    assertEquals(3, loaded.numFeatures());
    Dataset<Row> test = TestData.linear(10, 0.2, 24);
    assertEquals(outputs(model.transform(test), "prediction"),
        outputs(loaded.transform(test), "prediction"));
    assertFalse(loaded.hasSummary());
  }

  @Test
  void modelSaveRefusesAnExistingPathUnlessOverwriting() throws IOException {
    BackpropClassificationModel first = Stages.classificationModel();
    BackpropClassificationModel second = new BackpropClassifier().setHiddenLayers(2).setMaxIter(1)
        .fit(TestData.blobs(4, 3, 4, 0.5, 25));
    first.save(path("m"));
    Exception e = assertThrows(IOException.class, () -> second.save(path("m")));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertArrayEquals(first.layerSizes(), BackpropClassificationModel.load(path("m")).layerSizes());

    second.write().overwrite().save(path("m"));
    BackpropClassificationModel loaded = BackpropClassificationModel.load(path("m"));
    assertEquals(second.uid(), loaded.uid());
    assertArrayEquals(new int[] {4, 2, 3}, loaded.layerSizes());
    assertEquals(second.weights(), loaded.weights());
  }

  @Test
  void readersRefuseTheOtherKindOfModel() throws IOException {
    Stages.classificationModel().save(path("clf"));
    Stages.regressionModel().save(path("reg"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BackpropRegressionModel.load(path("clf")));
    assertTrue(e.getMessage().contains(BackpropClassificationModel.class.getName())
        || e.getMessage().contains("classifier"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> BackpropClassificationModel.load(path("reg")));
    assertTrue(e2.getMessage().contains(BackpropRegressionModel.class.getName())
        || e2.getMessage().contains("not a classifier"), e2.getMessage());
  }

  @Test
  void estimatorReadersRefuseTheOtherEstimator() throws IOException {
    new BackpropClassifier().save(path("clf"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
      BackpropRegressor wrong = BackpropRegressor.load(path("clf"));
      wrong.getLoss();
    });
    assertTrue(e.getMessage().contains(BackpropClassifier.class.getName()), e.getMessage());
  }

  @Test
  void savedLayoutIsJsonMetadataAndParquetDataWithoutJavaSerialization() throws IOException {
    BackpropClassificationModel model = Stages.classificationModel();
    model.save(path("m"));
    Path root = dir.resolve("m");

    List<Path> metadataParts = partFiles(root.resolve("metadata"));
    assertEquals(1, metadataParts.size(), "one metadata part file");
    JsonNode json = new ObjectMapper().readTree(Files.readString(metadataParts.get(0)).trim());
    assertEquals(BackpropClassificationModel.class.getName(), json.get("class").asText());
    assertEquals(model.uid(), json.get("uid").asText());
    assertTrue(json.get("paramMap").has("hiddenLayers"), json.toString());
    assertTrue(json.get("defaultParamMap").has("solver"), json.toString());

    List<Path> dataParts = partFiles(root.resolve("data"));
    assertFalse(dataParts.isEmpty());
    for (Path p : dataParts) {
      assertTrue(p.getFileName().toString().endsWith(".parquet"), p.toString());
    }
    Dataset<Row> data = SharedSpark.session().read().parquet(root.resolve("data").toString());
    assertEquals(1, data.count());
    Row row = data.head();
    assertEquals(2, row.getInt(row.fieldIndex("formatVersion")));
    assertEquals("feedforward",
        new ObjectMapper().readTree(row.getString(row.fieldIndex("network"))).get("type").asText());
    assertEquals(List.of("standardize 4 features", "dense 4 -> 5 relu", "dense 5 -> 3 identity"),
        row.getList(row.fieldIndex("layers")));
    assertEquals(model.weights().size(), row.getList(row.fieldIndex("weights")).size());

    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        assertFalse(isJavaSerialized(p), "Java serialization found in " + p);
      }
    }
  }

  /**
   * Models saved by the first release (data format version 1: no network description) still load
   * and predict the same: the version-1 file is written here column by column as that release did.
   */
  @Test
  void version1ModelsStillLoad() throws IOException {
    BackpropClassificationModel model = Stages.classificationModel();
    model.save(path("v2"));
    Row saved = SharedSpark.session().read().parquet(dir.resolve("v2/data").toString()).head();
    org.apache.spark.sql.types.StructType v1 = new org.apache.spark.sql.types.StructType()
        .add("formatVersion", "int", false)
        .add("layerSizes", "array<int>", false)
        .add("activation", "string", false)
        .add("loss", "string", false)
        .add("huberDelta", "double", false)
        .add("targetCenter", "double", false)
        .add("targetScale", "double", false)
        .add("inputCenter", "array<double>", true)
        .add("inputScale", "array<double>", true)
        .add("weights", "array<double>", false);
    Object[] values = new Object[v1.size()];
    values[0] = 1;
    for (int i = 1; i < values.length; i++) {
      values[i] = saved.get(saved.fieldIndex(v1.fields()[i].name()));
    }
    Path v1Dir = dir.resolve("v1");
    Files.createDirectories(v1Dir);
    try (Stream<Path> metadata = Files.walk(dir.resolve("v2/metadata"))) {
      for (Path p : metadata.collect(Collectors.toList())) {
        Path target = v1Dir.resolve("metadata").resolve(dir.resolve("v2/metadata").relativize(p));
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    SharedSpark.session().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(values)),
        v1).repartition(1).write().parquet(v1Dir.resolve("data").toString());

    BackpropClassificationModel loaded = BackpropClassificationModel.load(v1Dir.toString());
    assertArrayEquals(model.weights().toArray(), loaded.weights().toArray());
    Dataset<Row> data = TestData.blobs(8, 3, 4, 0.5, 1);
    assertEquals(model.transform(data).select("probability").collectAsList(),
        loaded.transform(data).select("probability").collectAsList());
  }

  /**
   * A model directory without its weights (a copy or an upload that stopped half way) fails naming
   * the model's path and saying it is incomplete. Failed before the fix: Spark's "Unable to infer
   * schema for Parquet" (or "Path does not exist") about the data folder.
   */
  @Test
  void aModelWithoutItsWeightsFailsNamingThePathAndSayingItIsIncomplete() throws IOException {
    Stages.classificationModel().save(path("noWeights"));
    Path data = dir.resolve("noWeights").resolve("data");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        if (!p.equals(data)) {
          Files.delete(p);
        }
      }
    }
    // An empty data folder, then none at all.
    for (int attempt = 0; attempt < 2; attempt++) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> BackpropClassificationModel.load(path("noWeights")));
      assertTrue(e.getMessage().contains(path("noWeights")) && e.getMessage().contains("incomplete"),
          e.getMessage());
      Files.deleteIfExists(data);
    }
  }

  // ---------------------------------------------------------------- pipelines

  @Test
  void classifierPipelineFitsAndItsModelSavesAndLoadsWithIdenticalOutput() throws IOException {
    Dataset<Row> raw = irisWithNamedColumns();
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StringIndexer().setInputCol("species").setOutputCol("label"),
        new VectorAssembler().setInputCols(new String[] {"sl", "sw", "pl", "pw"})
            .setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
        new BackpropClassifier().setHiddenLayers(6).setMaxIter(8).setSeed(1)});
    PipelineModel fitted = pipeline.fit(raw);
    assertTrue(fitted.stages()[3] instanceof BackpropClassificationModel);
    assertEquals(3, ((BackpropClassificationModel) fitted.stages()[3]).numClasses());

    fitted.save(path("pm"));
    PipelineModel loaded = PipelineModel.load(path("pm"));
    assertTrue(loaded.stages()[3] instanceof BackpropClassificationModel);
    assertEquals(fitted.stages()[3].uid(), loaded.stages()[3].uid());
    assertEquals(outputs(fitted.transform(raw), "rawPrediction", "probability", "prediction"),
        outputs(loaded.transform(raw), "rawPrediction", "probability", "prediction"));

    // The unfitted pipeline round-trips too, with our estimator's params.
    pipeline.save(path("p"));
    Pipeline reloaded = Pipeline.load(path("p"));
    assertSameParams(pipeline.getStages()[3], reloaded.getStages()[3]);
    assertEquals(pipeline.getStages()[3].uid(), reloaded.getStages()[3].uid());
  }

  @Test
  void regressorPipelineModelSavesAndLoadsWithIdenticalOutput() throws IOException {
    Dataset<Row> data = TestData.linear(30, 0.1, 26).withColumnRenamed("features", "x");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("x").setOutputCol("features"),
        new BackpropRegressor().setHiddenLayers(3).setMaxIter(5)}).fit(data);
    fitted.write().overwrite().save(path("rpm"));
    PipelineModel loaded = PipelineModel.load(path("rpm"));
    assertTrue(loaded.stages()[1] instanceof BackpropRegressionModel);
    assertEquals(outputs(fitted.transform(data), "prediction"),
        outputs(loaded.transform(data), "prediction"));
  }

  // ---------------------------------------------------------------- helpers

  /** Iris as a user would have it: four numeric columns and a string species. */
  static Dataset<Row> irisWithNamedColumns() {
    Column x = org.apache.spark.ml.functions.vector_to_array(functions.col("features"), "float64");
    return TestData.iris().select(x.getItem(0).as("sl"), x.getItem(1).as("sw"),
        x.getItem(2).as("pl"), x.getItem(3).as("pw"),
        functions.expr("CASE label WHEN 0 THEN 'setosa' WHEN 1 THEN 'versicolor' "
            + "ELSE 'virginica' END").as("species"));
  }

  static List<Row> outputs(Dataset<Row> transformed, String... columns) {
    return transformed.selectExpr(columns).collectAsList();
  }

  /** Every param's set value and default agree between two stages. */
  static void assertSameParams(Params expected, Params actual) {
    assertEquals(expected.params().length, actual.params().length);
    for (Param<?> p : expected.params()) {
      Param<?> q = actual.getParam(p.name());
      assertEquals(expected.isSet(p), actual.isSet(q), "isSet " + p.name());
      assertEquals(expected.hasDefault(p), actual.hasDefault(q), "hasDefault " + p.name());
      if (expected.isDefined(p)) {
        assertTrue(Objects.deepEquals(expected.getOrDefault(p), actual.getOrDefault(q)),
            p.name() + ": " + StageContractTest.describe(expected.getOrDefault(p)) + " vs "
                + StageContractTest.describe(actual.getOrDefault(q)));
      }
      if (expected.hasDefault(p)) {
        assertTrue(Objects.deepEquals(expected.getDefault(p).get(), actual.getDefault(q).get()),
            "default of " + p.name());
      }
    }
  }

  static List<Path> partFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-"))
          .collect(Collectors.toList());
    }
  }

  /** True if the file starts with Java serialization's stream magic 0xACED. */
  static boolean isJavaSerialized(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0xAC && in.read() == 0xED;
    }
  }

  @Test
  void differentSeedsGiveDifferentSavedWeights() throws IOException {
    // Guards the equality assertions above: they would pass vacuously if weights did not vary.
    Dataset<Row> data = TestData.blobs(4, 3, 4, 0.5, 27);
    BackpropClassificationModel a = new BackpropClassifier().setHiddenLayers(3).setMaxIter(1)
        .setSeed(1).fit(data);
    BackpropClassificationModel b = new BackpropClassifier().setHiddenLayers(3).setMaxIter(1)
        .setSeed(2).fit(data);
    a.save(path("a"));
    b.save(path("b"));
    assertNotEquals(BackpropClassificationModel.load(path("a")).weights(),
        BackpropClassificationModel.load(path("b")).weights());
  }
}
