package io.sparkbackprop.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Checks the label column and picks the feature columns of a training input. */
final class Features {
  private Features() {}

  /**
   * The columns that feed the model.
   *
   * @param columns the input columns, in order
   * @param featuresCol the column the estimator reads: the single input column, or the assembled one
   * @param assemble whether a VectorAssembler builds {@code featuresCol} from {@code columns}
   * @param ignored input columns left out of the default selection because they are not numeric
   */
  record Plan(List<String> columns, String featuresCol, boolean assemble, List<String> ignored) {}

  /** Throws a clear error unless {@code label} is a numeric column of {@code schema}. */
  static void checkLabel(StructType schema, String label) {
    StructField field = field(schema, label, "label column");
    if (!(field.dataType() instanceof NumericType)) {
      throw CliException.failure("label column '" + label + "' has type "
          + field.dataType().simpleString() + "; it must be numeric (class indices 0..k-1 for "
          + "classification)");
    }
  }

  /**
   * Picks the feature columns.
   *
   * @param requested the {@code --feature-cols}, or null for the default (every column that is not
   *     the label or one of {@code excluded} and that the layout accepts)
   * @param excluded other columns that are never features (weight and validation columns)
   */
  static Plan plan(StructType schema, FeatureLayout layout, String label, List<String> requested,
      Set<String> excluded) {
    List<String> columns = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    if (requested != null && !requested.isEmpty()) {
      for (String name : requested) {
        StructField field = field(schema, name, "feature column");
        if (name.equals(label)) {
          throw CliException.usage("--feature-cols includes the label column '" + label + "'");
        }
        if (!accepts(layout, field.dataType())) {
          throw CliException.failure("feature column '" + name + "' has type "
              + field.dataType().simpleString() + ", not " + expected(layout));
        }
        columns.add(name);
      }
    } else {
      for (StructField field : schema.fields()) {
        String name = field.name();
        if (name.equals(label) || excluded.contains(name)) {
          continue;
        }
        if (accepts(layout, field.dataType())) {
          columns.add(name);
        } else {
          ignored.add(name);
        }
      }
      if (columns.isEmpty()) {
        throw CliException.failure("no " + expected(layout) + " feature column besides the label '"
            + label + "'; the input has " + describe(schema));
      }
    }
    if (layout == FeatureLayout.SEQUENCE) {
      if (columns.size() != 1) {
        throw CliException.usage("this model type reads one array column of sequences; got "
            + columns + " (choose one with --feature-cols)");
      }
      return new Plan(columns, columns.get(0), false, ignored);
    }
    boolean single = columns.size() == 1
        && schema.apply(columns.get(0)).dataType().equals(SQLDataTypes.VectorType());
    if (single) {
      return new Plan(columns, columns.get(0), false, ignored);
    }
    String assembled = "features";
    Set<String> taken = Arrays.stream(schema.fieldNames()).collect(Collectors.toSet());
    while (taken.contains(assembled)) {
      assembled = "_" + assembled;
    }
    return new Plan(columns, assembled, true, ignored);
  }

  private static boolean accepts(FeatureLayout layout, DataType type) {
    if (layout == FeatureLayout.SEQUENCE) {
      return type instanceof ArrayType;
    }
    return type instanceof NumericType || type.equals(SQLDataTypes.VectorType());
  }

  private static String expected(FeatureLayout layout) {
    return layout == FeatureLayout.SEQUENCE ? "an array (sequence)" : "numeric (or a vector)";
  }

  private static StructField field(StructType schema, String name, String what) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    throw CliException.failure(what + " '" + name + "' does not exist; the input has "
        + describe(schema));
  }

  /** The columns of a schema with their types, for error messages. */
  static String describe(StructType schema) {
    return "columns " + Arrays.stream(schema.fields())
        .map(f -> f.name() + " (" + f.dataType().simpleString() + ")")
        .collect(Collectors.joining(", "));
  }
}
