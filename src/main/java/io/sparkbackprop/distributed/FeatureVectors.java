package io.sparkbackprop.distributed;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/** Copies Spark vectors, dense or sparse, into the engine's float buffers. */
public final class FeatureVectors {
  private FeatureVectors() {}

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
