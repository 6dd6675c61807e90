package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.FeatureVectors;
import io.sparkbackprop.nn.FittedNetwork;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.StructType;

/** Feeds Spark vectors, dense or sparse, to the engine's float buffers. */
final class VectorRows {
  private VectorRows() {}

  /** A row source for one feature vector, checked against the width the model was trained on. */
  static FittedNetwork.RowSource source(Vector features, int numFeatures, String column) {
    if (features == null) {
      throw new IllegalArgumentException("Column '" + column + "' has a null feature vector");
    }
    if (features.size() != numFeatures) {
      throw new IllegalArgumentException("Column '" + column + "' has a vector of size "
          + features.size() + " but the model was trained on " + numFeatures + " features");
    }
    FeatureVectors.checkFinite(features, column, null);
    return buffer -> FeatureVectors.copy(features, buffer, 0);
  }

  /**
   * Fails before any task runs when the column's ML attribute metadata (as written by
   * VectorAssembler, for example) declares a width other than the model's.
   */
  static void checkDeclaredWidth(StructType schema, String column, int numFeatures) {
    if (numFeatures < 0 || !java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
      return;
    }
    int declared = AttributeGroup.fromStructField(schema.apply(column)).size();
    if (declared >= 0 && declared != numFeatures) {
      throw new IllegalArgumentException("Column '" + column + "' holds vectors of size " + declared
          + " (from its metadata) but the model was trained on " + numFeatures + " features");
    }
  }
}
