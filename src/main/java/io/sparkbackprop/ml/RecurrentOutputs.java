package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceInference;
import io.sparkbackprop.nn.FittedNetwork;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.loss.TargetScaling;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The output columns of the recurrent models: their schema, and the block functions that fill them
 * from the network's raw outputs. Many-to-one models give one value per row, sequence models an
 * array with one value per valid step of the row.
 */
final class RecurrentOutputs {
  private RecurrentOutputs() {}

  /** The classifier's columns appended to {@code schema} (empty names are skipped). */
  static StructType classifierSchema(StructType schema,
      org.apache.spark.ml.classification.ProbabilisticClassifierParams params, boolean sequence,
      int numClasses) {
    DataType vector = new VectorUDT();
    DataType number = DataTypes.DoubleType;
    StructType out = schema;
    out = append(out, params.getRawPredictionCol(), sequence ? arrayOf(vector) : vector);
    out = append(out, params.getProbabilityCol(), sequence ? arrayOf(vector) : vector);
    return append(out, params.getPredictionCol(), sequence ? arrayOf(number) : number);
  }

  /** The regressor's prediction column appended to {@code schema}. */
  static StructType regressorSchema(StructType schema, String predictionCol, boolean sequence) {
    return append(schema, predictionCol, sequence ? arrayOf(DataTypes.DoubleType)
        : DataTypes.DoubleType);
  }

  private static DataType arrayOf(DataType element) {
    return DataTypes.createArrayType(element, false);
  }

  private static StructType append(StructType schema, String column, DataType type) {
    if (column.isEmpty()) {
      return schema;
    }
    if (java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("Output column '" + column + "' already exists");
    }
    return schema.add(column, type, false);
  }

  /** Logits of a block of sequences turned into the classifier's columns. */
  static final class Classes implements SequenceInference.BlockFunction {
    private static final long serialVersionUID = 1L;

    private final FittedNetwork network;
    private final double[] thresholds;
    private final boolean raw;
    private final boolean probability;
    private final boolean prediction;
    private final boolean sequence;

    Classes(FittedNetwork network, double[] thresholds, boolean raw, boolean probability,
        boolean prediction, boolean sequence) {
      this.network = network;
      this.thresholds = thresholds;
      this.raw = raw;
      this.probability = probability;
      this.prediction = prediction;
      this.sequence = sequence;
    }

    @Override
    public Object[][] apply(float[] features, BatchShape shape) {
      int k = network.network().outputWidth();
      float[] logits = network.forwardBlock(features, shape);
      int rows = shape.rows();
      int columns = (raw ? 1 : 0) + (probability ? 1 : 0) + (prediction ? 1 : 0);
      Object[][] out = new Object[rows][columns];
      for (int j = 0; j < rows; j++) {
        int steps = sequence ? shape.length(j) : 1;
        Vector[] raws = new Vector[steps];
        Vector[] probabilities = new Vector[steps];
        double[] predictions = new double[steps];
        for (int t = 0; t < steps; t++) {
          int column = sequence ? t * rows + j : j;
          ClassScores scores = new ClassScores(logits, column * k, k);
          raws[t] = scores.raw();
          probabilities[t] = scores.probabilities();
          predictions[t] = scores.predictedClass(thresholds);
        }
        int c = 0;
        if (raw) {
          out[j][c++] = sequence ? raws : raws[0];
        }
        if (probability) {
          out[j][c++] = sequence ? probabilities : probabilities[0];
        }
        if (prediction) {
          out[j][c] = sequence ? predictions : predictions[0];
        }
      }
      return out;
    }
  }

  /** Outputs of a block of sequences turned into the regressor's prediction column. */
  static final class Values implements SequenceInference.BlockFunction {
    private static final long serialVersionUID = 1L;

    private final FittedNetwork network;
    private final TargetScaling scaling;
    private final boolean sequence;

    Values(FittedNetwork network, TargetScaling scaling, boolean sequence) {
      this.network = network;
      this.scaling = scaling;
      this.sequence = sequence;
    }

    @Override
    public Object[][] apply(float[] features, BatchShape shape) {
      float[] values = network.forwardBlock(features, shape);
      int rows = shape.rows();
      Object[][] out = new Object[rows][1];
      for (int j = 0; j < rows; j++) {
        if (!sequence) {
          out[j][0] = unscale(values[j]);
          continue;
        }
        double[] predictions = new double[shape.length(j)];
        for (int t = 0; t < predictions.length; t++) {
          predictions[t] = unscale(values[t * rows + j]);
        }
        out[j][0] = predictions;
      }
      return out;
    }

    private double unscale(float value) {
      return value * scaling.scale() + scaling.center();
    }
  }
}
