package io.sparkbackprop.distributed;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;

/**
 * Checks one input row as it is stacked and says exactly what is wrong, naming the column and the
 * offending value. Runs inside tasks; its {@link InvalidRowException}s are the ones
 * {@link SparkErrors} turns back into {@link IllegalArgumentException}s on the driver.
 */
final class RowValidator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TrainingInput input;
  private final int numFeatures;

  /** Where a row sits, spelled out only when an error message needs it. */
  record Position(int partition, long row) {
    @Override
    public String toString() {
      return "partition " + partition + ", row " + row;
    }
  }

  RowValidator(TrainingInput input, int numFeatures) {
    this.input = input;
    this.numFeatures = numFeatures;
  }

  Vector features(Object value, Position where) {
    if (value == null) {
      throw new InvalidRowException("Column '" + input.featuresCol() + "' has a null vector ("
          + where + ")");
    }
    Vector v = (Vector) value;
    if (v.size() != numFeatures) {
      throw new InvalidRowException("Column '" + input.featuresCol() + "' holds vectors of "
          + "different sizes: expected " + numFeatures + ", found " + v.size() + " (" + where + ")");
    }
    FeatureVectors.checkFinite(v, input.featuresCol(), where);
    return v;
  }

  double label(boolean isNull, double value, Position where) {
    String column = input.labelCol();
    if (isNull) {
      throw new InvalidRowException("Column '" + column + "' has a null label (" + where + ")");
    }
    if (!Double.isFinite(value)) {
      throw new InvalidRowException("Column '" + column + "' has a non-finite label " + value
          + " (" + where + ")");
    }
    if (input.labelKind() == TrainingInput.LabelKind.CLASS_INDEX) {
      if (value < 0 || value != Math.rint(value)) {
        throw new InvalidRowException("Column '" + column + "' must hold class indices 0, 1, 2, ...,"
            + " found " + value + " (" + where + "); index string labels with StringIndexer first");
      }
      int known = input.knownNumClasses();
      if (known <= 0 && value >= TrainingInput.MAX_INFERRED_CLASSES) {
        throw new InvalidRowException("Column '" + column + "' has label " + value + " (" + where
            + "), but without a class count from layers or the column's metadata at most "
            + TrainingInput.MAX_INFERRED_CLASSES + " classes (labels 0.."
            + (TrainingInput.MAX_INFERRED_CLASSES - 1) + ") are inferred from the data; index the"
            + " labels with StringIndexer (it records the classes in the column's metadata) or "
            + "declare the classes with layers");
      }
      if (known > 0 && value >= known) {
        throw new InvalidRowException("Column '" + column + "' has label " + value
            + " but the model has " + known + " classes (0.." + (known - 1) + ") (" + where + ")");
      }
    }
    return value;
  }

  boolean validationFlag(Boolean value, Position where) {
    if (value == null) {
      throw new InvalidRowException("Column '" + input.validationCol() + "' has a null "
          + "validation indicator (" + where + "); use true or false");
    }
    return value;
  }

  double weight(boolean isNull, double value, Position where) {
    String column = input.weightCol();
    if (isNull || !Double.isFinite(value) || value < 0) {
      throw new InvalidRowException("Column '" + column + "' must hold finite non-negative "
          + "weights, found " + (isNull ? "null" : String.valueOf(value)) + " (" + where + ")");
    }
    return value;
  }
}
