package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FittedNetwork;
import io.sparkbackprop.train.FeatureVectors;
import org.apache.spark.ml.linalg.Vector;

/** Feeds Spark vectors, dense or sparse, to the engine's float buffers. */
final class VectorRows {
  private VectorRows() {}

  /** A row source for one feature vector, checked against the width the model was trained on. */
  static FittedNetwork.RowSource source(Vector features, int numFeatures) {
    if (features == null) {
      throw new IllegalArgumentException("Cannot predict a null feature vector");
    }
    if (features.size() != numFeatures) {
      throw new IllegalArgumentException("Feature vector has size " + features.size()
          + " but the model was trained on " + numFeatures + " features");
    }
    return buffer -> FeatureVectors.copy(features, buffer, 0);
  }
}
