package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, predict and evaluate end to end in process (local mode): a CSV classifier saved as a
 * PipelineModel with its probabilities written as CSV columns, and a libsvm regressor saved as a bare
 * model with params from --config and --param.
 */
class MainIT {
  private static SparkSession spark;

  @TempDir
  Path tmp;

  @BeforeAll
  static void session() {
    spark = ItSpark.session();
  }

  private Path irisCsv() throws IOException {
    return CliRun.csvFromLibsvm(ItSpark.sampleData("iris.libsvm"), tmp.resolve("iris/iris.csv"), 4,
        "species");
  }

  private static void assertFailure(CliRun run, int exitCode, String expected) {
    assertEquals(exitCode, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().size(), run.toString());
    assertTrue(run.err().contains(expected), run.toString());
  }

  @Test
  void trainPredictEvaluateOnCsv() throws IOException {
    Path csv = irisCsv();
    Path model = tmp.resolve("out/model");
    Path metrics = tmp.resolve("out/metrics.json");
    CliRun train = CliRun.of("train", "--input", csv.toString(), "--label-col", "species",
        "--model", model.toString(), "--metrics", metrics.toString(), "--validation-fraction", "0.2",
        "--test-fraction", "0.2", "--param", "maxIter=40", "--param", "stepSize=0.05",
        "--param", "hiddenLayers=16", "--progress-every", "20");
    assertEquals(0, train.exitCode(), train.toString());
    assertEquals("", train.err().strip(), "nothing on stderr: " + train);
    assertTrue(train.out().contains("ignoring non-numeric columns: note"), train.out());
    assertTrue(train.out().contains("iteration 20/40  loss"), train.out());
    assertTrue(train.out().contains("validation loss"), train.out());

    String metadata = Files.readString(onlyPart(model.resolve("metadata")));
    assertTrue(metadata.contains("\"class\":\"org.apache.spark.ml.PipelineModel\""), metadata);
    JsonNode report = Json.MAPPER.readTree(metrics.toFile());
    assertEquals("classification", report.get("task").asText());
    assertTrue(report.get("taskInferred").asBoolean());
    assertEquals(List.of("f0", "f1", "f2", "f3"),
        Json.MAPPER.convertValue(report.at("/input/featureCols"), List.class));
    JsonNode rows = report.get("rows");
    assertEquals(150, rows.get("input").asLong());
    assertEquals(150, rows.get("train").asLong() + rows.get("validation").asLong()
        + rows.get("test").asLong());
    assertTrue(rows.get("validation").asLong() > 10 && rows.get("test").asLong() > 10, rows.toString());
    assertEquals(40, report.at("/params/maxIter").asInt());
    assertEquals(16, report.at("/params/hiddenLayers/0").asInt());
    assertEquals(40, report.at("/training/loss").size());
    assertTrue(report.at("/training/validationLoss/39").isNumber(), report.at("/training").toString());
    assertTrue(report.at("/metrics/test/accuracy").asDouble() >= 0.85, report.at("/metrics").toString());
    assertTrue(report.at("/metrics/validation/accuracy").isNumber());
    assertTrue(report.at("/timings/fitSeconds").asDouble() > 0);
    Path chart = tmp.resolve("out/metrics-loss.png");
    assertEquals(chart.toString(), report.get("lossCurve").asText());
    byte[] png = Files.readAllBytes(chart);
    assertTrue(png.length > 5_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG");

    Path predictions = tmp.resolve("out/predictions");
    CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input", csv.toString(),
        "--output", predictions.toString(), "--output-format", "csv", "--keep-cols", "species,note");
    assertEquals(0, predict.exitCode(), predict.toString());
    Dataset<Row> written = spark.read().option("header", "true").option("inferSchema", "true")
        .csv(predictions.toString());
    assertEquals(List.of("species", "note", "prediction", "probability_0", "probability_1",
        "probability_2"), List.of(written.columns()));
    assertEquals(150, written.count());
    long correct = written.filter("species = prediction").count();
    assertTrue(correct >= 0.85 * 150, correct + " of 150 right");
    double probabilitySum = written.selectExpr("sum(probability_0 + probability_1 + probability_2)")
        .first().getDouble(0);
    assertEquals(150.0, probabilitySum, 1e-6);

    Path evalMetrics = tmp.resolve("out/evaluation.json");
    CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--input", csv.toString(),
        "--metrics", evalMetrics.toString());
    assertEquals(0, evaluate.exitCode(), evaluate.toString());
    JsonNode printed = Json.MAPPER.readTree(evaluate.out());
    assertEquals("species", printed.at("/input/labelCol").asText());
    assertEquals(correct / 150.0, printed.at("/metrics/accuracy").asDouble(), 1e-9);
    assertEquals(printed, Json.MAPPER.readTree(evalMetrics.toFile()));
  }

  @Test
  void libsvmRegressionWithConfigAndPartitions() throws IOException {
    Path config = Files.writeString(tmp.resolve("params.json"),
        "{\"maxIter\": 50, \"hiddenLayers\": [8], \"stepSize\": 0.02}", StandardCharsets.UTF_8);
    Path model = tmp.resolve("model");
    Path metrics = tmp.resolve("metrics.json");
    CliRun train = CliRun.of("train", "--input", ItSpark.sampleData("diabetes_regression.libsvm")
        .toString(), "--model", model.toString(), "--metrics", metrics.toString(), "--config",
        config.toString(), "--param", "maxIter=30", "--partitions", "3", "--progress-every", "0");
    assertEquals(0, train.exitCode(), train.toString());
    assertFalse(train.out().contains("iteration 10"), "progress lines with --progress-every 0");
    String metadata = Files.readString(onlyPart(model.resolve("metadata")));
    assertTrue(metadata.contains("io.sparkbackprop.ml.BackpropRegressionModel"),
        "a single vector column needs no PipelineModel: " + metadata);
    JsonNode report = Json.MAPPER.readTree(metrics.toFile());
    assertEquals("regression", report.get("task").asText());
    assertEquals(3, report.at("/input/partitions").asInt());
    assertEquals(30, report.at("/params/maxIter").asInt(), "--param wins over --config");
    assertEquals(8, report.at("/params/hiddenLayers/0").asInt());
    assertTrue(report.at("/metrics/test/r2").asDouble() > 0.2, report.at("/metrics").toString());

    Path predictions = tmp.resolve("predictions");
    CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input",
        ItSpark.sampleData("diabetes_regression.libsvm").toString(), "--output",
        predictions.toString());
    assertEquals(0, predict.exitCode(), predict.toString());
    Dataset<Row> written = spark.read().parquet(predictions.toString());
    assertEquals(List.of("label", "features", "prediction"), List.of(written.columns()));
    assertEquals("array<double>", written.schema().apply("features").dataType().simpleString());
    assertEquals(442, written.count());

    CliRun again = CliRun.of("predict", "--model", model.toString(), "--input",
        ItSpark.sampleData("diabetes_regression.libsvm").toString(), "--output",
        predictions.toString());
    assertFailure(again, 1, "--output " + predictions + " already exists");
  }

  /**
   * {@code --model-type recurrent} on Parquet sequences: a label that depends on the order of the
   * steps (does the series end higher than it starts?), which no bag of values can tell, trained,
   * saved, used to predict and evaluated through the CLI.
   */
  @Test
  void recurrentModelOnParquetSequences() throws IOException {
    java.util.Random rng = new java.util.Random(17);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int length = 6 + rng.nextInt(5);
      double[] steps = new double[length];
      for (int t = 0; t < length; t++) {
        steps[t] = rng.nextGaussian();
      }
      double up = steps[length - 1] > steps[0] ? 1.0 : 0.0;
      rows.add(org.apache.spark.sql.RowFactory.create("s" + i,
          scala.jdk.javaapi.CollectionConverters.asScala(
              java.util.Arrays.stream(steps).boxed().toList()).toSeq(), up));
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("id", "string").add("series", "array<double>").add("up", "double");
    Path parquet = tmp.resolve("series.parquet");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(parquet.toString());

    Path model = tmp.resolve("rnn/model");
    Path metrics = tmp.resolve("rnn/metrics.json");
    CliRun train = CliRun.of("train", "--model-type", "recurrent", "--input", parquet.toString(),
        "--label-col", "up", "--feature-cols", "series", "--model", model.toString(),
        "--metrics", metrics.toString(), "--test-fraction", "0.25", "--param", "cell=gru",
        "--param", "hiddenSize=16", "--param", "maxIter=150", "--param", "stepSize=0.03",
        "--progress-every", "0");
    assertEquals(0, train.exitCode(), train.toString());
    JsonNode report = Json.MAPPER.readTree(metrics.toFile());
    assertEquals("classification", report.get("task").asText());
    double accuracy = report.at("/metrics/test/accuracy").asDouble();
    // Chance is about 0.5; first-against-last needs the order of the steps.
    assertTrue(accuracy >= 0.85, "test accuracy " + accuracy + ": " + report.at("/metrics"));

    Path predictions = tmp.resolve("rnn/predictions");
    CliRun predict = CliRun.of("predict", "--model", model.toString(), "--input",
        parquet.toString(), "--output", predictions.toString(), "--keep-cols", "id,up");
    assertEquals(0, predict.exitCode(), predict.toString());
    Dataset<Row> written = spark.read().parquet(predictions.toString());
    assertEquals(400, written.count());
    assertTrue(List.of(written.columns()).containsAll(List.of("id", "up", "prediction")),
        List.of(written.columns()).toString());
    long right = written.filter("prediction = up").count();
    assertTrue(right >= 0.85 * 400, right + " of 400 right");

    CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--input",
        parquet.toString(), "--label-col", "up");
    assertEquals(0, evaluate.exitCode(), evaluate.toString());
    JsonNode printed = Json.MAPPER.readTree(evaluate.out());
    assertEquals(right / 400.0, printed.at("/metrics/accuracy").asDouble(), 1e-9);
  }

  private static Path onlyPart(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst()
          .orElseThrow();
    }
  }
}
