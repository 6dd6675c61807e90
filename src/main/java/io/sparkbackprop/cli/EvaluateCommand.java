package io.sparkbackprop.cli;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code evaluate}: scores a labelled input with a saved model and reports the metrics as JSON. */
@Command(name = "evaluate", sortOptions = false, showDefaultValues = true,
    description = "Score a labelled input with a saved model; print (and write) the metrics JSON.")
final class EvaluateCommand extends BaseCommand {
  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "A model saved by train (or any saved Spark ML model or PipelineModel).")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Labelled rows: a file, a folder or a glob.")
  String input;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "libsvm, csv or parquet. Default: from the file extension.")
  String format;

  @Option(names = "--label-col", paramLabel = "NAME",
      description = "Label column. Default: the label column the model was trained with.")
  String labelCol;

  @Option(names = "--metrics", paramLabel = "PATH",
      description = "Also write the metrics JSON to this file. Default: only print it.")
  String metrics;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    try (Sessions.Handle session = Sessions.open("spark-backprop evaluate", verbose);
        SessionConf conf = new SessionConf(session.spark())) {
      SparkSession spark = session.spark();
      Transformer loaded = SavedModels.load(spark, model);
      Params predictor = SavedModels.predictor(loaded);
      Integer numFeatures = predictor instanceof PredictionModel<?, ?> p && p.numFeatures() > 0
          ? p.numFeatures() : null;
      Inputs.Input data = Inputs.read(spark, input, format, numFeatures, null, conf);
      String label = labelCol != null ? labelCol : SavedModels.stringParam(loaded, "labelCol", "label");
      Features.checkLabel(data.rows().schema(), label);
      Task task = SavedModels.isClassifier(loaded) ? Task.CLASSIFICATION : Task.REGRESSION;
      Dataset<Row> scored = loaded.transform(data.rows()).filter(col(label).isNotNull()).cache();
      try {
        long rows = scored.count();
        if (rows == 0) {
          throw CliException.failure("--input " + input + " has no rows with a label in '" + label + "'");
        }
        String predictionCol = SavedModels.stringParam(loaded, "predictionCol", "prediction");
        ObjectNode values = Evaluation.metrics(task, scored, label, predictionCol, rows);
        ObjectNode report = Json.object();
        report.put("command", "evaluate");
        report.put("model", model);
        report.put("modelClass", loaded.getClass().getName());
        report.put("task", task.label());
        ObjectNode inputNode = report.putObject("input");
        inputNode.put("path", input);
        inputNode.put("format", data.format().label());
        inputNode.put("labelCol", label);
        report.set("metrics", values);
        report.putObject("timings").put("totalSeconds", seconds(start));
        report.set("spark", sparkInfo(spark));
        byte[] json = Json.bytes(report);
        if (metrics != null) {
          Outputs.writeFile(spark, metrics, json);
        }
        out().print(new String(json, StandardCharsets.UTF_8));
        out().flush();
        return 0;
      } finally {
        scored.unpersist();
      }
    }
  }
}
