package io.sparkbackprop.cli;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.PredictionModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.ClassificationModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code predict}: applies a saved model to an input and writes the columns asked for plus the
 * prediction (and, for classifiers, the class probabilities).
 */
@Command(name = "predict", sortOptions = false, showDefaultValues = true,
    description = "Score an input with a saved model and write the predictions.")
final class PredictCommand extends BaseCommand {
  @Option(names = "--model", required = true, paramLabel = "PATH",
      description = "A model saved by train (or any saved Spark ML model or PipelineModel).")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Rows to score: a file, a folder or a glob, with the columns the model was "
          + "trained on.")
  String input;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Folder to write the predictions to (written aside, then renamed into place).")
  String output;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "Input format: libsvm, csv or parquet. Default: from the file extension.")
  String format;

  @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "parquet",
      description = "parquet (probability as an array column) or csv (with a header; one "
          + "probability_<class> column per class).")
  String outputFormat;

  @Option(names = "--keep-cols", paramLabel = "A,B,C", split = ",",
      description = "Input columns to copy to the output ('--keep-cols=' for none). Default: every "
          + "input column the output format can hold (vectors become arrays in Parquet; CSV keeps "
          + "only plain columns).")
  List<String> keepCols;

  @Option(names = "--overwrite", description = "Replace an existing --output. Default: off.")
  boolean overwrite;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    boolean csv = parseOutputFormat(outputFormat);
    try (Sessions.Handle session = Sessions.open("spark-backprop predict", verbose);
        SessionConf conf = new SessionConf(session.spark())) {
      SparkSession spark = session.spark();
      Outputs.checkTarget(spark, output, overwrite, "--output");
      Transformer loaded = SavedModels.load(spark, model);
      Params predictor = SavedModels.predictor(loaded);
      Integer numFeatures = predictor instanceof PredictionModel<?, ?> p && p.numFeatures() > 0
          ? p.numFeatures() : null;
      Inputs.Input data = Inputs.read(spark, input, format, numFeatures, null, conf);
      Dataset<Row> rows = data.rows();
      List<Column> columns = keptColumns(rows.schema(), csv);
      Dataset<Row> scored = loaded.transform(rows);
      String predictionCol = SavedModels.stringParam(loaded, "predictionCol", "prediction");
      columns.add(col(predictionCol));
      String probabilityCol = SavedModels.stringParam(loaded, "probabilityCol", null);
      if (probabilityCol != null && contains(scored.schema(), probabilityCol)) {
        Column probabilities = functions.vector_to_array(col(probabilityCol), "float64");
        if (csv) {
          int classes = predictor instanceof ClassificationModel<?, ?> c ? c.numClasses()
              : firstVectorSize(scored, probabilityCol);
          for (int k = 0; k < classes; k++) {
            columns.add(probabilities.getItem(k).as(probabilityCol + "_" + k));
          }
        } else {
          columns.add(probabilities.as(probabilityCol));
        }
      }
      Dataset<Row> result = scored.select(columns.toArray(new Column[0]));
      Outputs.writeAtomically(spark, output, overwrite, "--output", tmp -> result.write()
          .format(csv ? "csv" : "parquet").option("header", "true").save(tmp));
      out().printf(Locale.ROOT, "predictions of %s for %s written to %s (%s) in %.1fs%n", model,
          input, output, csv ? "csv" : "parquet", seconds(start));
      return 0;
    }
  }

  private static boolean parseOutputFormat(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (!v.equals("csv") && !v.equals("parquet")) {
      throw CliException.usage("--output-format must be parquet or csv, got '" + value + "'");
    }
    return v.equals("csv");
  }

  /** The input columns to copy, converted to what the output format holds. */
  private List<Column> keptColumns(StructType schema, boolean csv) {
    List<Column> columns = new ArrayList<>();
    if (keepCols == null) {
      for (StructField field : schema.fields()) {
        Column kept = keep(field, csv);
        if (kept != null) {
          columns.add(kept);
        }
      }
      return columns;
    }
    for (String name : keepCols) {
      if (name.isBlank()) {
        continue;
      }
      StructField field = null;
      for (StructField f : schema.fields()) {
        if (f.name().equals(name.trim())) {
          field = f;
        }
      }
      if (field == null) {
        throw CliException.failure("--keep-cols: column '" + name + "' does not exist; the input has "
            + Features.describe(schema));
      }
      Column kept = keep(field, csv);
      if (kept == null) {
        throw CliException.failure("--keep-cols: column '" + name + "' has type "
            + field.dataType().simpleString() + ", which CSV cannot hold; use --output-format parquet");
      }
      columns.add(kept);
    }
    return columns;
  }

  /** The column as the output holds it, or null when the format cannot hold it. */
  private static Column keep(StructField field, boolean csv) {
    DataType type = field.dataType();
    boolean vector = type.equals(SQLDataTypes.VectorType());
    if (csv) {
      boolean nested = vector || type instanceof ArrayType || type instanceof StructType
          || type instanceof MapType;
      return nested ? null : col(field.name());
    }
    return vector ? functions.vector_to_array(col(field.name()), "float64").as(field.name())
        : col(field.name());
  }

  private static boolean contains(StructType schema, String name) {
    for (String field : schema.fieldNames()) {
      if (field.equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static int firstVectorSize(Dataset<Row> scored, String column) {
    Row[] first = (Row[]) scored.select(column).limit(1).collect();
    return first.length == 0 ? 0 : ((org.apache.spark.ml.linalg.Vector) first[0].get(0)).size();
  }
}
