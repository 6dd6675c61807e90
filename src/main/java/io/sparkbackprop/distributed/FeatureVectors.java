package io.sparkbackprop.distributed;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/** Copies Spark vectors, dense or sparse, into the engine's float buffers. */
public final class FeatureVectors {
  private FeatureVectors() {}

  /**
   * Fails unless every stored value of {@code v} is finite, naming the column, the value, its index
   * and {@code where} (e.g. "partition 0, row 5"; omitted when null). Training and inference use
   * the same check, so they refuse the same rows with the same message.
   */
  public static void checkFinite(Vector v, String column, Object where) {
    if (allFinite(v)) {
      return;
    }
    double[] values = v instanceof SparseVector s ? s.values() : ((DenseVector) v).values();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        int index = v instanceof SparseVector s ? s.indices()[i] : i;
        throw new InvalidRowException("Column '" + column + "' has a non-finite value "
            + values[i] + " at index " + index + (where == null ? "" : " (" + where + ")"));
      }
    }
  }

  /** Whether every stored value of {@code v} is finite. */
  public static boolean allFinite(Vector v) {
    double[] values = v instanceof SparseVector s ? s.values() : ((DenseVector) v).values();
    for (double value : values) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  /** Writes the vector's values at {@code offset} of a buffer whose other entries are already zero. */
  public static void copy(Vector v, float[] buffer, int offset) {
    if (v instanceof SparseVector s) {
      int[] indices = s.indices();
      double[] values = s.values();
      for (int k = 0; k < indices.length; k++) {
        buffer[offset + indices[k]] = (float) values[k];
      }
    } else {
      double[] values = ((DenseVector) v).values();
      for (int k = 0; k < values.length; k++) {
        buffer[offset + k] = (float) values[k];
      }
    }
  }
}
