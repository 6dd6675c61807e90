package io.sparkbackprop.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code spark-submit --class io.sparkbackprop.cli.Main app.jar train|predict} on a real standalone
 * cluster (scripts/standalone-cluster.sh: a Master and two Workers with one core and 1 GiB each, all
 * separate JVMs), on libsvm, CSV and Parquet inputs, and with an executor JVM killed mid-training.
 * The application jar is the shaded one; nothing else is passed to spark-submit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final List<String> DIGITS_PARAMS = List.of("--param", "maxIter=80",
      "--param", "hiddenLayers=64", "--param", "stepSize=0.03", "--param", "regParam=0.001",
      // Train on the executors (one Spark job per iteration): this small table would otherwise
      // train on the driver, and the executor-kill test would kill an idle executor.
      "--param", "driverTrainingMaxMB=0");

  private Path work;
  private StandaloneCluster cluster;
  private SparkSession local;
  private double referenceAccuracy = Double.NaN;

  @BeforeAll
  void startCluster() throws Exception {
    work = Files.createTempDirectory("spark-backprop-cluster-it");
    local = ItSpark.session();
    cluster = StandaloneCluster.start(work.resolve("cluster"));
  }

  @AfterAll
  void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (work != null) {
      try (java.util.stream.Stream<Path> files = Files.walk(work)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private Submission.Result submit(List<String> args) throws Exception {
    return Submission.run(cluster.masterUrl(), work, args);
  }

  private static List<String> args(Object... parts) {
    List<String> out = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof List<?> list) {
        list.forEach(p -> out.add(String.valueOf(p)));
      } else {
        out.add(String.valueOf(part));
      }
    }
    return out;
  }

  private static JsonNode json(Path file) throws IOException {
    return Json.MAPPER.readTree(file.toFile());
  }

  @Test
  @Order(1)
  void libsvmTrainAndPredictOnTwoExecutors() throws Exception {
    Path model = work.resolve("digits/model");
    Path metrics = work.resolve("digits/metrics.json");
    Submission.Result train = submit(args("train", "--input",
        ItSpark.sampleData("digits.libsvm"), "--partitions", 2, "--model", model, "--metrics",
        metrics, "--progress-every", 20, DIGITS_PARAMS));
    assertEquals(0, train.exitCode(), train.toString());
    assertTrue(train.out().contains("iteration 80/80"), train.out());
    assertFalse(train.err().contains(" INFO "), "Spark's INFO log reached the console:\n" + train.err());
    JsonNode report = json(metrics);
    assertEquals(2, report.at("/spark/executors").asInt(), report.at("/spark").toString());
    assertTrue(report.at("/spark/master").asText().startsWith("spark://127.0.0.1:"));
    assertEquals(2, report.at("/input/partitions").asInt());
    assertEquals(1797, report.at("/rows/input").asLong());
    referenceAccuracy = report.at("/metrics/test/accuracy").asDouble();
    assertTrue(referenceAccuracy >= 0.9, "test accuracy " + referenceAccuracy);
    assertTrue(Files.size(Path.of(report.get("lossCurve").asText())) > 5_000);

    Path predictions = work.resolve("digits/predictions");
    Submission.Result predict = submit(args("predict", "--model", model, "--input",
        ItSpark.sampleData("digits.libsvm"), "--output", predictions));
    assertEquals(0, predict.exitCode(), predict.toString());
    Dataset<Row> written = local.read().parquet(predictions.toString());
    assertEquals(List.of("label", "features", "prediction", "probability"), List.of(written.columns()));
    assertEquals(1797, written.count());
    double accuracy = written.filter("label = prediction").count() / 1797.0;
    assertTrue(accuracy >= 0.9, "accuracy of the cluster's predictions " + accuracy);
    assertEquals(10, written.select(functions.array_to_vector(col("probability"))).first()
        .<org.apache.spark.ml.linalg.Vector>getAs(0).size());
  }

  @Test
  @Order(2)
  void csvTrainAndPredictOnTwoExecutors() throws Exception {
    Path csv = CliRun.csvFromLibsvm(ItSpark.sampleData("wine.libsvm"), work.resolve("wine/wine.csv"),
        13, "kind");
    Path model = work.resolve("wine/model");
    Path metrics = work.resolve("wine/metrics.json");
    Submission.Result train = submit(args("train", "--input", csv, "--label-col", "kind",
        "--partitions", 2, "--validation-fraction", 0.15, "--model", model, "--metrics", metrics,
        "--param", "maxIter=60", "--param", "hiddenLayers=16", "--param", "stepSize=0.03",
        "--param", "driverTrainingMaxMB=0"));
    assertEquals(0, train.exitCode(), train.toString());
    JsonNode report = json(metrics);
    assertEquals("classification", report.get("task").asText());
    assertEquals("org.apache.spark.ml.PipelineModel", report.get("modelClass").asText());
    assertEquals(13, report.at("/input/featureCols").size());
    assertEquals(2, report.at("/spark/executors").asInt());
    assertTrue(report.at("/metrics/test/accuracy").asDouble() >= 0.9, report.at("/metrics").toString());
    assertTrue(report.at("/metrics/validation/rows").asLong() > 0);

    Path predictions = work.resolve("wine/predictions");
    Submission.Result predict = submit(args("predict", "--model", model, "--input", csv, "--output",
        predictions, "--output-format", "csv", "--keep-cols", "kind"));
    assertEquals(0, predict.exitCode(), predict.toString());
    Dataset<Row> written = local.read().option("header", "true").option("inferSchema", "true")
        .csv(predictions.toString());
    assertEquals(List.of("kind", "prediction", "probability_0", "probability_1", "probability_2"),
        List.of(written.columns()));
    assertEquals(178, written.count());
    assertTrue(written.filter("kind = prediction").count() >= 0.9 * 178);
  }

  @Test
  @Order(3)
  void parquetRegressionTrainAndPredictOnTwoExecutors() throws Exception {
    Path parquet = work.resolve("diabetes/diabetes.parquet");
    Dataset<Row> libsvm = local.read().format("libsvm").option("numFeatures", "10")
        .load(ItSpark.sampleData("diabetes_regression.libsvm").toString());
    List<Column> columns = new ArrayList<>(List.of(col("label").as("target")));
    Column values = functions.vector_to_array(col("features"), "float64");
    for (int i = 0; i < 10; i++) {
      columns.add(values.getItem(i).as("x" + i));
    }
    libsvm.select(columns.toArray(new Column[0])).coalesce(1).write().parquet(parquet.toString());

    Path model = work.resolve("diabetes/model");
    Path metrics = work.resolve("diabetes/metrics.json");
    Submission.Result train = submit(args("train", "--input", parquet, "--label-col", "target",
        "--partitions", 2, "--model", model, "--metrics", metrics, "--param", "maxIter=150",
        "--param", "hiddenLayers=8", "--param", "stepSize=0.01", "--param", "regParam=0.01"));
    assertEquals(0, train.exitCode(), train.toString());
    JsonNode report = json(metrics);
    assertEquals("regression", report.get("task").asText(), "inferred from 214 distinct targets");
    assertEquals("parquet", report.at("/input/format").asText());
    assertEquals(2, report.at("/input/partitions").asInt());
    double r2 = report.at("/metrics/test/r2").asDouble();
    assertTrue(r2 >= 0.3, "test R^2 " + r2);

    Path predictions = work.resolve("diabetes/predictions");
    Submission.Result predict = submit(args("predict", "--model", model, "--input", parquet,
        "--output", predictions, "--keep-cols", "target"));
    assertEquals(0, predict.exitCode(), predict.toString());
    Dataset<Row> written = local.read().parquet(predictions.toString());
    assertEquals(List.of("target", "prediction"), List.of(written.columns()));
    assertEquals(442, written.count());
    double mean = written.selectExpr("avg(target)").first().getDouble(0);
    double residual = written.selectExpr("sum(pow(target - prediction, 2))").first().getDouble(0);
    double total = written.selectExpr("sum(pow(target - " + mean + ", 2))").first().getDouble(0);
    assertTrue(1 - residual / total >= 0.3, "R^2 over all rows " + (1 - residual / total));
  }

  @Test
  @Order(4)
  void anExecutorKilledMidTrainingIsReplacedAndTheModelIsAsGood() throws Exception {
    Path model = work.resolve("killed/model");
    Path metrics = work.resolve("killed/metrics.json");
    AtomicReference<ProcessHandle> killed = new AtomicReference<>();
    AtomicLong linesAfterKill = new AtomicLong();
    AtomicReference<Exception> killError = new AtomicReference<>();
    Submission.Result train = Submission.run(cluster.masterUrl(), work, args("train", "--input",
        ItSpark.sampleData("digits.libsvm"), "--partitions", 2, "--model", model, "--metrics",
        metrics, "--progress-every", 5, DIGITS_PARAMS), line -> {
          if (killed.get() != null && line.startsWith("iteration ")) {
            linesAfterKill.incrementAndGet();
          }
          if (killed.get() == null && line.startsWith("iteration 10/")) {
            try {
              List<ProcessHandle> executors = cluster.executors();
              if (executors.size() == 2) {
                ProcessHandle victim = executors.get(0);
                victim.destroyForcibly();
                killed.set(victim);
              }
            } catch (IOException e) {
              killError.set(e);
            }
          }
        });
    assertEquals(null, killError.get());
    assertNotNull(killed.get(), "no executor to kill at iteration 10:\n" + train);
    assertEquals(0, train.exitCode(), train.toString());
    assertTrue(linesAfterKill.get() >= 10, "training went on after the kill: " + train.out());
    assertTrue(train.out().contains("iteration 80/80"), train.out());
    assertTrue(train.err().contains("Lost executor") || train.err().contains("lost executor")
        || train.err().contains("Executor lost"), "Spark did not report the lost executor:\n"
        + train.err());
    double accuracy = json(metrics).at("/metrics/test/accuracy").asDouble();
    assertTrue(accuracy >= 0.9, "test accuracy after the kill " + accuracy);
    if (!Double.isNaN(referenceAccuracy)) {
      assertEquals(referenceAccuracy, accuracy, 0.03, "the same training without the kill");
    }
    assertFalse(killed.get().isAlive());
  }
}
