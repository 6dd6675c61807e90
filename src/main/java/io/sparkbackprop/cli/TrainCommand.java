package io.sparkbackprop.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.nn.training.IterationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train}: reads a labelled input, holds out test (and validation) rows at random, fits a
 * model, saves it (with the VectorAssembler that builds its features from raw columns, when there is
 * one), and reports metrics, the loss history and timings.
 */
@Command(name = "train", sortOptions = false, showDefaultValues = true,
    description = "Train a network on a labelled libsvm, CSV or Parquet input and save the model.")
final class TrainCommand extends BaseCommand {
  /** Column holding each row's uniform random draw for the split; dropped before saving. */
  static final String SPLIT_COL = "_split";
  /** Boolean column marking validation rows for the estimator's validationIndicatorCol. */
  static final String VALIDATION_COL = "_validation";
  /** Labels with at most this many distinct non-negative integer values mean classification. */
  static final int MAX_INFERRED_CLASSES = 20;

  @Option(names = "--input", paramLabel = "PATH",
      description = "Labelled input: a file, a folder or a glob. Required.")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "libsvm, csv (with a header line) or parquet. Default: from the file extension.")
  String format;

  @Option(names = "--label-col", paramLabel = "NAME", defaultValue = "label",
      description = "Label column: class indices 0..k-1 for classification, numbers for regression.")
  String labelCol;

  @Option(names = "--feature-cols", paramLabel = "A,B,C", split = ",",
      description = "Feature columns (CSV/Parquet; numeric or vector). Default: every other numeric "
          + "or vector column (the weightCol param's column excluded).")
  List<String> featureCols;

  @Option(names = "--task", paramLabel = "TASK",
      description = "classification or regression. Default: classification when the label has at "
          + "most " + MAX_INFERRED_CLASSES + " distinct non-negative integer values, else regression.")
  String task;

  @Option(names = "--model", paramLabel = "PATH",
      description = "Where to save the model: a PipelineModel (VectorAssembler + network) when "
          + "columns are assembled, else the network model itself. Required.")
  String model;

  @Option(names = "--metrics", paramLabel = "PATH",
      description = "Write a JSON report here (params, metrics per split, loss history, timings, "
          + "row counts) and the loss curve next to it as NAME-loss.png. Default: none.")
  String metrics;

  @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.2",
      description = "Share of rows held out at random for the test metrics.")
  double testFraction;

  @Option(names = "--validation-fraction", paramLabel = "F", defaultValue = "0.0",
      description = "Share of rows held out at random for validation (validation loss per iteration, "
          + "early stopping, validation metrics).")
  double validationFraction;

  @Option(names = "--split-seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of the random test/validation split.")
  long splitSeed;

  @Option(names = "--model-type", paramLabel = "TYPE", defaultValue = "feedforward",
      description = "Network family: ${COMPLETION-CANDIDATES}.", completionCandidates = TypeNames.class)
  String modelType;

  @Option(names = "--param", paramLabel = "NAME=VALUE", mapFallbackValue = "",
      description = "An estimator param by its Spark name, e.g. maxIter=200, hiddenLayers=128,64, "
          + "solver=adam (repeatable; wins over --config). See --list-params. Default: none.")
  Map<String, String> params;

  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON object of estimator params, e.g. {\"maxIter\": 200, \"hiddenLayers\": [128]}. "
          + "Default: none.")
  String config;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Read the input in N partitions (text files are split by size, without a "
          + "shuffle). Default: as the files come.")
  Integer partitions;

  @Option(names = "--progress-every", paramLabel = "N", defaultValue = "10",
      description = "Print a progress line every N iterations (0: none).")
  int progressEvery;

  @Option(names = "--overwrite", description = "Replace an existing --model. Default: off.")
  boolean overwrite;

  @Option(names = "--list-params",
      description = "List the params of the chosen --model-type and --task, with defaults, and exit. "
          + "Default: off.")
  boolean listParams;

  /** The names of the model types, for the help text. */
  static final class TypeNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return ModelTypes.ALL.stream().map(ModelType::name).iterator();
    }
  }

  @Override
  public Integer call() {
    long start = System.nanoTime();
    ModelType type = ModelTypes.named(modelType);
    Task chosenTask = task == null ? null : Task.parse(task);
    if (listParams) {
      printParams(type, chosenTask == null ? Task.CLASSIFICATION : chosenTask);
      return 0;
    }
    if (input == null || model == null) {
      throw CliException.usage("train needs --input and --model (see 'spark-backprop train --help')");
    }
    checkFraction("--test-fraction", testFraction);
    checkFraction("--validation-fraction", validationFraction);
    if (testFraction + validationFraction >= 1) {
      throw CliException.usage("--test-fraction + --validation-fraction must stay below 1, got "
          + (testFraction + validationFraction));
    }
    try (Sessions.Handle session = Sessions.open("spark-backprop train", verbose);
        SessionConf conf = new SessionConf(session.spark())) {
      return train(session.spark(), conf, type, chosenTask, start);
    }
  }

  private int train(SparkSession spark, SessionConf conf, ModelType type, Task chosenTask,
      long start) {
    JsonNode configJson = config == null ? null
        : Json.parse(Outputs.readText(spark, config, "--config"), "--config " + config);
    Map<String, JsonNode> paramValues = EstimatorParams.collect(configJson, params);
    // Unknown names and bad values fail before any data is read: the params must suit the chosen
    // task's estimator, or, while the task is still to be inferred, at least one of them.
    CliException rejected = null;
    Task[] candidates = chosenTask != null ? new Task[] {chosenTask} : Task.values();
    for (Task t : candidates) {
      try {
        EstimatorParams.apply(type.estimator(t, r -> { }), paramValues, owner(type, t));
        rejected = null;
        break;
      } catch (CliException e) {
        rejected = rejected == null ? e : rejected;
      }
    }
    if (rejected != null) {
      throw rejected;
    }
    Outputs.checkTarget(spark, model, overwrite, "--model");

    long readStart = System.nanoTime();
    Inputs.Input data = Inputs.read(spark, input, format, null, partitions, conf);
    Dataset<Row> rows = data.rows();
    Features.checkLabel(rows.schema(), labelCol);
    Set<String> excluded = new HashSet<>();
    JsonNode weightCol = paramValues.get("weightCol");
    if (weightCol != null && weightCol.isTextual()) {
      excluded.add(weightCol.textValue());
    }
    Features.Plan plan = Features.plan(rows.schema(), type.layout(), labelCol, featureCols, excluded);
    if (!plan.ignored().isEmpty() && (featureCols == null || featureCols.isEmpty())) {
      out().println("ignoring non-numeric columns: " + String.join(", ", plan.ignored()));
    }
    Task resolvedTask = chosenTask != null ? chosenTask : inferTask(rows, labelCol);

    ProgressPrinter progress = new ProgressPrinter(out(), progressEvery);
    Estimator<?> estimator = type.estimator(resolvedTask, progress);
    estimator.set(new ParamPair<>(stringParam(estimator, "featuresCol"), plan.featuresCol()));
    estimator.set(new ParamPair<>(stringParam(estimator, "labelCol"), labelCol));
    EstimatorParams.apply(estimator, paramValues, owner(type, resolvedTask));
    progress.setMaxIter(intParam(estimator, "maxIter"));

    Dataset<Row> prepared = rows.withColumn(labelCol, col(labelCol).cast("double"))
        .withColumn(SPLIT_COL, rand(splitSeed))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      double trainFrom = testFraction + validationFraction;
      Map<String, Long> counts = splitCounts(prepared, trainFrom);
      int numPartitions = prepared.rdd().getNumPartitions();
      double readSeconds = seconds(readStart);
      out().printf(Locale.ROOT, "%s %s on %s (%s): %d rows (train %d, validation %d, test %d) in "
              + "%d partitions; label '%s', features %s%n", type.name(), resolvedTask.label(), input,
          data.format().label(), counts.get("input"), counts.get("train"), counts.get("validation"),
          counts.get("test"), numPartitions, labelCol, plan.columns().size() <= 8
              ? plan.columns() : plan.columns().size() + " columns");
      if (counts.get("train") == 0) {
        throw CliException.failure("no training rows left after holding out test and validation rows");
      }

      Dataset<Row> fitInput = prepared.filter(col(SPLIT_COL).geq(testFraction));
      if (validationFraction > 0) {
        fitInput = fitInput.withColumn(VALIDATION_COL, col(SPLIT_COL).lt(trainFrom));
        estimator.set(new ParamPair<>(stringParam(estimator, "validationIndicatorCol"), VALIDATION_COL));
      }
      PipelineStage[] stages = plan.assemble()
          ? new PipelineStage[] {new VectorAssembler()
              .setInputCols(plan.columns().toArray(new String[0]))
              .setOutputCol(plan.featuresCol()), estimator}
          : new PipelineStage[] {estimator};
      long fitStart = System.nanoTime();
      PipelineModel fitted = new Pipeline().setStages(stages).fit(fitInput);
      double fitSeconds = seconds(fitStart);
      List<IterationRecord> history = progress.records();
      Transformer artefact = plan.assemble() ? fitted : fitted.stages()[fitted.stages().length - 1];
      Params predictor = SavedModels.predictor(artefact);
      String stopReason = stopReason(predictor);
      out().printf(Locale.ROOT, "trained %d iterations in %.1fs%s%n", history.size(), fitSeconds,
          stopReason == null ? "" : " (" + stopReason + ")");

      long saveStart = System.nanoTime();
      Outputs.writeAtomically(spark, model, overwrite, "--model", tmp -> save(artefact, tmp));
      double saveSeconds = seconds(saveStart);
      out().println("model saved to " + model);

      long evaluateStart = System.nanoTime();
      String predictionCol = SavedModels.stringParam(artefact, "predictionCol", "prediction");
      ObjectNode splitMetrics = Json.object();
      Map<String, Dataset<Row>> splits = new LinkedHashMap<>();
      splits.put("train", prepared.filter(col(SPLIT_COL).geq(trainFrom)));
      splits.put("validation", prepared.filter(col(SPLIT_COL).geq(testFraction)
          .and(col(SPLIT_COL).lt(trainFrom))));
      splits.put("test", prepared.filter(col(SPLIT_COL).lt(testFraction)));
      for (Map.Entry<String, Dataset<Row>> split : splits.entrySet()) {
        long n = counts.get(split.getKey());
        if (n == 0) {
          splitMetrics.putNull(split.getKey());
          continue;
        }
        ObjectNode m = Evaluation.metrics(resolvedTask, artefact.transform(split.getValue()),
            labelCol, predictionCol, n);
        splitMetrics.set(split.getKey(), m);
        out().printf("%-12s %s%n", split.getKey() + ":", Evaluation.summary(resolvedTask, m));
      }
      double evaluateSeconds = seconds(evaluateStart);

      if (metrics != null) {
        ObjectNode report = Json.object();
        report.put("command", "train");
        report.put("modelType", type.name());
        report.put("task", resolvedTask.label());
        report.put("taskInferred", chosenTask == null);
        report.put("estimator", estimator.getClass().getName());
        report.put("model", model);
        report.put("modelClass", artefact.getClass().getName());
        ObjectNode inputNode = report.putObject("input");
        inputNode.put("path", input);
        inputNode.put("format", data.format().label());
        inputNode.put("labelCol", labelCol);
        ArrayNode featureNode = inputNode.putArray("featureCols");
        plan.columns().forEach(featureNode::add);
        inputNode.put("featuresCol", plan.featuresCol());
        inputNode.put("partitions", numPartitions);
        ObjectNode split = report.putObject("split");
        split.put("testFraction", testFraction);
        split.put("validationFraction", validationFraction);
        split.put("seed", splitSeed);
        ObjectNode rowsNode = report.putObject("rows");
        counts.forEach(rowsNode::put);
        report.set("params", paramsJson(estimator));
        report.set("metrics", splitMetrics);
        report.set("training", trainingJson(history, stopReason));
        ObjectNode timings = report.putObject("timings");
        timings.put("readSeconds", readSeconds);
        timings.put("fitSeconds", fitSeconds);
        timings.put("saveSeconds", saveSeconds);
        timings.put("evaluateSeconds", evaluateSeconds);
        timings.put("totalSeconds", seconds(start));
        report.set("spark", sparkInfo(spark));
        String chart = Outputs.chartPath(metrics);
        report.put("lossCurve", chart);
        String yLabel = resolvedTask == Task.CLASSIFICATION ? "cross-entropy"
            : "loss (standardised label units)";
        Outputs.writeFile(spark, chart, LossChart.png(history,
            type.name() + " " + resolvedTask.label() + ": loss per iteration", yLabel));
        Outputs.writeFile(spark, metrics, Json.bytes(report));
        out().println("metrics written to " + metrics + ", loss curve to " + chart);
      }
      return 0;
    } finally {
      prepared.unpersist();
    }
  }

  private static void checkFraction(String option, double value) {
    if (!(value >= 0 && value < 1)) {
      throw CliException.usage(option + " must be in [0, 1), got " + value);
    }
  }

  private static String owner(ModelType type, Task task) {
    return "the " + type.name() + " " + task.label();
  }

  /**
   * Classification when the label has few distinct non-negative integer values (one small job over
   * the label column), else regression.
   */
  static Task inferTask(Dataset<Row> rows, String labelCol) {
    Row[] values = (Row[]) rows.select(col(labelCol).cast("double")).na().drop().distinct()
        .limit(MAX_INFERRED_CLASSES + 1).collect();
    if (values.length == 0 || values.length > MAX_INFERRED_CLASSES) {
      return Task.REGRESSION;
    }
    for (Row row : values) {
      double v = row.getDouble(0);
      if (v < 0 || v != Math.rint(v)) {
        return Task.REGRESSION;
      }
    }
    return Task.CLASSIFICATION;
  }

  /** Row counts of the whole input and of each split, in one Spark job. */
  private Map<String, Long> splitCounts(Dataset<Row> prepared, double trainFrom) {
    Row[] grouped = (Row[]) prepared.groupBy(
        when(col(SPLIT_COL).lt(testFraction), lit("test"))
            .when(col(SPLIT_COL).lt(trainFrom), lit("validation"))
            .otherwise(lit("train")).as("part")).count().collect();
    Map<String, Long> counts = new HashMap<>(Map.of("train", 0L, "validation", 0L, "test", 0L));
    long total = 0;
    for (Row row : grouped) {
      counts.put(row.getString(0), row.getLong(1));
      total += row.getLong(1);
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    ordered.put("input", total);
    ordered.put("train", counts.get("train"));
    ordered.put("validation", counts.get("validation"));
    ordered.put("test", counts.get("test"));
    return ordered;
  }

  private static void save(Transformer artefact, String path) {
    if (!(artefact instanceof MLWritable writable)) {
      throw CliException.failure(artefact.getClass().getName() + " cannot be saved");
    }
    try {
      writable.write().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Param<String> stringParam(Params stage, String name) {
    return (Param) stage.getParam(name);
  }

  private static int intParam(Params stage, String name) {
    if (!stage.hasParam(name)) {
      return 0;
    }
    Object value = stage.getOrDefault(stage.getParam(name));
    return value instanceof Integer i ? i : 0;
  }

  /** {@code summary().stopReason()} of a model fitted in this session, if it has one. */
  private static String stopReason(Params model) {
    try {
      Object summary = model.getClass().getMethod("summary").invoke(model);
      Object reason = summary.getClass().getMethod("stopReason").invoke(summary);
      return reason == null ? null : reason.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Every param of the estimator (set or default) with its value, as Spark encodes it. */
  static ObjectNode paramsJson(Params estimator) {
    ObjectNode node = Json.object();
    for (Param<?> param : estimator.params()) {
      if (estimator.isDefined(param)) {
        node.set(param.name(), encoded(estimator, param));
      }
    }
    return node;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static JsonNode encoded(Params estimator, Param param) {
    String json = param.jsonEncode(estimator.getOrDefault(param));
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(json);
    }
  }

  private static ObjectNode trainingJson(List<IterationRecord> history, String stopReason) {
    ObjectNode node = Json.object();
    node.put("iterations", history.size());
    if (stopReason != null) {
      node.put("stopReason", stopReason);
    }
    node.set("iteration", Json.numbers(history.stream().mapToDouble(IterationRecord::iteration).toArray()));
    node.set("loss", Json.numbers(history.stream().mapToDouble(IterationRecord::loss).toArray()));
    node.set("validationLoss",
        Json.numbers(history.stream().mapToDouble(IterationRecord::validationLoss).toArray()));
    node.set("validationAccuracy",
        Json.numbers(history.stream().mapToDouble(IterationRecord::validationAccuracy).toArray()));
    node.set("seconds",
        Json.numbers(history.stream().mapToDouble(r -> r.elapsedMillis() / 1000.0).toArray()));
    return node;
  }

  private void printParams(ModelType type, Task t) {
    Estimator<?> estimator = type.estimator(t, r -> { });
    out().println("params of " + owner(type, t) + " (" + estimator.getClass().getName()
        + "); set them with --param NAME=VALUE or --config FILE:");
    for (String name : EstimatorParams.settableNames(estimator)) {
      Param<?> param = estimator.getParam(name);
      String value = estimator.hasDefault(param) ? String.valueOf(encoded(estimator, param)) : "unset";
      out().printf("  %-24s default %-14s %s%n", name, value, param.doc());
    }
  }
}
