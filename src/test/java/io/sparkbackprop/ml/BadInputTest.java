package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkbackprop.testing.SharedSpark;
import io.sparkbackprop.testing.Stages;
import io.sparkbackprop.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Invalid input fails fast with an IllegalArgumentException that names the column or param and the
 * offending value, whether the problem is found on the driver or inside a Spark task.
 */
class BadInputTest {

  private static BackpropClassifier classifier() {
    return new BackpropClassifier().setHiddenLayers(3).setMaxIter(2);
  }

  private static BackpropRegressor regressor() {
    return new BackpropRegressor().setHiddenLayers(3).setMaxIter(2);
  }

  /** Good rows followed by one bad row, so the bad one is not the first the stacker sees. */
  private static Dataset<Row> goodRowsThen(Object label, Object features) {
    return TestData.blobs(5, 3, 3, 0.5, 51).union(TestData.labelled(label, features));
  }

  /** Asserts an IllegalArgumentException whose message contains every fragment. */
  static IllegalArgumentException assertRejected(Executable fit, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit);
    String message = e.getMessage();
    for (String fragment : fragments) {
      assertTrue(message != null && message.contains(fragment),
          "message should contain '" + fragment + "': " + message);
    }
    return e;
  }

  // ---------------------------------------------------------------- empty data

  @Test
  void emptyDatasetIsRejected() {
    assertRejected(() -> classifier().fit(TestData.blobs(3, 3, 3, 0.5, 52).limit(0)), "empty");
    assertRejected(() -> regressor().fit(TestData.linear(5, 0.1, 53).limit(0)), "empty");
    // With ML attribute metadata the width is known without a row; still empty.
    assertRejected(() -> classifier().fit(TestData.iris().filter("label > 5")), "empty");
  }

  // ---------------------------------------------------------------- feature values

  @Test
  void nanInADenseVectorIsRejectedWithColumnValueAndIndex() {
    assertRejected(() -> classifier().fit(goodRowsThen(1.0, Vectors.dense(0.5, Double.NaN, 1.0))),
        "'features'", "NaN", "index 1");
  }

  @Test
  void infinityInADenseVectorIsRejected() {
    assertRejected(() -> regressor().fit(goodRowsThen(1.0,
        Vectors.dense(Double.POSITIVE_INFINITY, 0, 1))), "'features'", "Infinity", "index 0");
  }

  @Test
  void nanAndInfinityInSparseVectorsAreRejectedWithTheirIndex() {
    assertRejected(() -> classifier().fit(goodRowsThen(0.0,
        Vectors.sparse(3, new int[] {0, 2}, new double[] {1.0, Double.NaN}))),
        "'features'", "NaN", "index 2");
    assertRejected(() -> regressor().fit(goodRowsThen(0.0,
        Vectors.sparse(3, new int[] {1}, new double[] {Double.POSITIVE_INFINITY}))),
        "'features'", "Infinity", "index 1");
  }

  @Test
  void theConfiguredFeaturesColumnIsNamed() {
    Dataset<Row> data = goodRowsThen(1.0, Vectors.dense(Double.NaN, 0, 0))
        .withColumnRenamed("features", "pixels");
    assertRejected(() -> classifier().setFeaturesCol("pixels").fit(data), "'pixels'", "NaN");
  }

  @Test
  void vectorsOfInconsistentSizeAreRejected() {
    assertRejected(() -> classifier().fit(goodRowsThen(1.0, Vectors.dense(1, 2))),
        "'features'", "expected 3", "found 2");
    assertRejected(() -> regressor().fit(goodRowsThen(1.0,
        Vectors.sparse(5, new int[] {4}, new double[] {1}))), "'features'", "expected 3", "found 5");
  }

  @Test
  void nullFeatureVectorIsRejected() {
    assertRejected(() -> classifier().fit(goodRowsThen(1.0, null)), "'features'", "null");
  }

  // ---------------------------------------------------------------- labels

  @Test
  void negativeClassLabelIsRejected() {
    assertRejected(() -> classifier().fit(goodRowsThen(-1.0, Vectors.dense(1, 2, 3))),
        "'label'", "-1.0");
  }

  @Test
  void nonIntegerClassLabelIsRejected() {
    assertRejected(() -> classifier().fit(goodRowsThen(1.5, Vectors.dense(1, 2, 3))),
        "'label'", "1.5");
  }

  @Test
  void nullLabelIsRejected() {
    assertRejected(() -> classifier().fit(goodRowsThen(null, Vectors.dense(1, 2, 3))),
        "'label'", "null");
    assertRejected(() -> regressor().fit(goodRowsThen(null, Vectors.dense(1, 2, 3))),
        "'label'", "null");
  }

  @Test
  void classLabelBeyondTheClassesDeclaredByLayersIsRejected() {
    assertRejected(() -> classifier().setLayers(3, 4, 3).fit(goodRowsThen(3.0,
        Vectors.dense(1, 2, 3))), "'label'", "3.0", "3 classes");
    // The blobs hold labels 0..2: layers ending in 2 outputs cannot fit them.
    assertRejected(() -> classifier().setLayers(3, 2).fit(TestData.blobs(3, 3, 3, 0.5, 54)),
        "'label'", "2.0", "2 classes");
  }

  @Test
  void classLabelBeyondTheClassesDeclaredByMetadataIsRejected() {
    Dataset<Row> indexed = new StringIndexer().setInputCol("name").setOutputCol("label")
        .fit(named("a", "b")).transform(named("a", "b"));
    // A label the metadata does not know about (2 when only 0 and 1 are declared).
    Dataset<Row> bad = indexed.union(indexed.limit(1).withColumn("label", functions.lit(2.0)));
    Dataset<Row> withMetadata = bad.withColumn("label", functions.col("label"),
        indexed.schema().apply("label").metadata());
    assertRejected(() -> classifier().fit(withMetadata), "'label'", "2.0", "2 classes");
  }

  /**
   * Without a class count from {@code layers} or label metadata, labels beyond the cap on inferred
   * classes are refused on the executors, before any array of that size exists. Failed before the
   * fix: 3e9 failed with an ArrayIndexOutOfBoundsException inside a task (1e9 made the executors
   * allocate an array of 1e9 entries and die of OutOfMemoryError; it comes second here so that the
   * old code failed on 3e9 first instead of taking the test JVM down).
   */
  @Test
  void hugeClassLabelsWithoutDeclaredClassesAreRefused() {
    for (double label : new double[] {3e9, 1e9, 1000}) {
      assertRejected(() -> classifier().fit(goodRowsThen(label, Vectors.dense(1, 2, 3))),
          "'label'", String.valueOf(label), "StringIndexer");
    }
  }

  /**
   * An inferred class count far above the number of distinct labels means the labels are codes,
   * not class indices. Failed before the fix: labels 0, 1 and 40 trained a 41-class model.
   */
  @Test
  void mostlyUnusedInferredClassesAreRefused() {
    Dataset<Row> sparseCodes = TestData.blobs(5, 2, 3, 0.5, 57)
        .union(TestData.labelled(40.0, Vectors.dense(1, 2, 3)));
    assertRejected(() -> classifier().fit(sparseCodes), "'label'", "41 classes", "3 distinct",
        "StringIndexer");
    // Declared classes are not capped: the layers say there are 1,001.
    BackpropClassificationModel declared = classifier().setLayers(3, 2, 1001)
        .fit(goodRowsThen(1000.0, Vectors.dense(1, 2, 3)));
    assertEquals(1001, declared.numClasses());
    // A few unused classes are fine (labels 1..3: class 0 unused).
    BackpropClassificationModel oneBased = classifier().fit(TestData.blobs(5, 4, 3, 0.5, 58)
        .filter("label > 0"));
    assertEquals(4, oneBased.numClasses());
  }

  @Test
  void regressionLabelThatIsNotFiniteIsRejected() {
    assertRejected(() -> regressor().fit(goodRowsThen(Double.NaN, Vectors.dense(1, 2, 3))),
        "'label'", "NaN");
    assertRejected(() -> regressor().fit(goodRowsThen(Double.NEGATIVE_INFINITY,
        Vectors.dense(1, 2, 3))), "'label'", "-Infinity");
  }

  @Test
  void theConfiguredLabelColumnIsNamed() {
    Dataset<Row> data = goodRowsThen(-2.0, Vectors.dense(1, 2, 3)).withColumnRenamed("label", "y");
    assertRejected(() -> classifier().setLabelCol("y").fit(data), "'y'", "-2.0");
  }

  // ---------------------------------------------------------------- column types

  @Test
  void featuresOfTheWrongTypeAreRejected() {
    Dataset<Row> good = TestData.blobs(2, 3, 3, 0.5, 55);
    for (Estimator<?> estimator : List.<Estimator<?>>of(classifier(), regressor())) {
      assertRejected(() -> estimator.fit(good.withColumn("features", functions.lit("1,2,3"))),
          "features", "string");
      assertRejected(() -> estimator.fit(good.withColumn("features", functions.lit(1.0))),
          "features", "double");
    }
  }

  @Test
  void labelOfTheWrongTypeIsRejected() {
    Dataset<Row> good = TestData.blobs(2, 3, 3, 0.5, 56);
    for (Estimator<?> estimator : List.<Estimator<?>>of(classifier(), regressor())) {
      assertRejected(() -> estimator.fit(good.withColumn("label",
          functions.col("label").cast("string"))), "label", "string");
    }
  }

  @Test
  void missingColumnIsRejected() {
    Dataset<Row> good = TestData.blobs(2, 3, 3, 0.5, 57);
    Exception e = assertThrows(Exception.class, () -> classifier().setFeaturesCol("nope").fit(good));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
  }

  // ---------------------------------------------------------------- layers and initialWeights

  @Test
  void layersWhoseInputDoesNotMatchTheFeaturesAreRejected() {
    assertRejected(() -> classifier().setLayers(5, 4, 3).fit(TestData.blobs(3, 3, 3, 0.5, 58)),
        "layers", "[5, 4, 3]", "'features'", "size 3");
    assertRejected(() -> regressor().setLayers(2, 1).fit(TestData.linear(5, 0.1, 59)),
        "layers", "[2, 1]", "size 3");
  }

  @Test
  void layersWhoseOutputDoesNotMatchTheTaskAreRejected() {
    Dataset<Row> indexed = new StringIndexer().setInputCol("name").setOutputCol("label")
        .fit(named("a", "b", "c")).transform(named("a", "b", "c"));
    assertRejected(() -> classifier().setLayers(2, 4).fit(indexed), "layers", "4", "'label'",
        "3 classes");
    assertRejected(() -> classifier().setLayers(3, 1).fit(TestData.blobs(3, 2, 3, 0.5, 60)),
        "layers", "1");
    assertRejected(() -> regressor().setLayers(3, 4, 2).fit(TestData.linear(5, 0.1, 61)),
        "layers", "[3, 4, 2]", "2 outputs");
  }

  @Test
  void initialWeightsOfTheWrongLengthAreRejected() {
    // layers [3, 2, 3] need 3*2 + 2 + 2*3 + 3 = 17 weights.
    assertRejected(() -> classifier().setLayers(3, 2, 3).setInitialWeights(Vectors.dense(1, 2, 3))
        .fit(TestData.blobs(3, 3, 3, 0.5, 62)), "initialWeights", "3", "17");
    assertRejected(() -> regressor().setHiddenLayers(2).setInitialWeights(Vectors.zeros(20))
        .fit(TestData.linear(5, 0.1, 63)), "initialWeights", "20", "11");
  }

  @Test
  void initialWeightsOfTheRightLengthAreUsed() {
    // Guards the test above: a correct length must be accepted, and maxIter 0 keeps the weights.
    BackpropClassificationModel m = classifier().setLayers(3, 2, 3).setMaxIter(0)
        .setInitialWeights(Vectors.dense(new double[17])).fit(TestData.blobs(3, 3, 3, 0.5, 62));
    assertEquals(Vectors.dense(new double[17]), m.weights());
  }

  // ---------------------------------------------------------------- transform

  @Test
  void transformingVectorsOfTheWrongSizeFailsClearly() {
    BackpropClassificationModel model = Stages.classificationModel(); // trained on 4 features
    Exception e = assertThrows(Exception.class,
        () -> model.transform(TestData.blobs(2, 3, 3, 0.5, 64)).collect());
    IllegalArgumentException cause = findCause(e, IllegalArgumentException.class);
    assertTrue(cause.getMessage().contains("size 3") && cause.getMessage().contains("4 features"),
        cause.getMessage());
    assertTrue(e.getMessage().contains("size 3"), "the top-level message says why: " + e.getMessage());

    BackpropRegressionModel reg = Stages.regressionModel(); // trained on 3 features
    Exception e2 = assertThrows(Exception.class,
        () -> reg.transform(TestData.blobs(2, 3, 5, 0.5, 65)).collect());
    assertTrue(findCause(e2, IllegalArgumentException.class).getMessage().contains("size 5"));
  }

  @Test
  void transformFailsFastWhenMetadataDeclaresTheWrongWidth() {
    Dataset<Row> threeColumns = SharedSpark.session().createDataFrame(
        List.of(RowFactory.create(1.0, 2.0, 3.0)),
        new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
            .add("c", DataTypes.DoubleType));
    Dataset<Row> assembled = new VectorAssembler().setInputCols(new String[] {"a", "b", "c"})
        .setOutputCol("features").transform(threeColumns);
    assertRejected(() -> Stages.classificationModel().transform(assembled), "'features'", "3",
        "4");
  }

  /**
   * transform refuses NaN and infinite features with the same message as fit (column, value,
   * index, position). Failed before the fix: the rows were scored, a NaN giving NaN probabilities
   * and prediction 0.
   */
  @Test
  void transformRefusesNonFiniteFeaturesLikeFit() {
    BackpropClassificationModel clf = Stages.classificationModel(); // 4 features
    Exception e = assertThrows(Exception.class, () -> clf.transform(
        TestData.labelled(0.0, Vectors.dense(0.5, Double.NaN, 1.0, 2.0))).collect());
    String message = findCause(e, IllegalArgumentException.class).getMessage();
    assertTrue(message.contains("Column 'features' has a non-finite value NaN at index 1")
        && message.contains("row 0"), message);
    BackpropRegressionModel reg = Stages.regressionModel(); // 3 features
    Exception e2 = assertThrows(Exception.class, () -> reg.transform(TestData.labelled(0.0,
        Vectors.sparse(3, new int[] {2}, new double[] {Double.NEGATIVE_INFINITY}))).collect());
    String message2 = findCause(e2, IllegalArgumentException.class).getMessage();
    assertTrue(message2.contains("Column 'features' has a non-finite value -Infinity at index 2"),
        message2);
    // The single-row path says the same.
    IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
        () -> reg.predict(Vectors.dense(Double.NaN, 0, 0)));
    assertTrue(single.getMessage().contains("non-finite value NaN at index 0"),
        single.getMessage());
  }

  // ---------------------------------------------------------------- helpers

  /** One row per name, with two features that depend on the name's position. */
  private static Dataset<Row> named(String... names) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      for (int k = 0; k < 3; k++) {
        rows.add(RowFactory.create(names[i], Vectors.dense(i, k)));
      }
    }
    return SharedSpark.session().createDataFrame(rows, new StructType()
        .add("name", DataTypes.StringType)
        .add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType()));
  }

  static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    fail("no " + type.getSimpleName() + " in the cause chain of " + e);
    return null;
  }
}
