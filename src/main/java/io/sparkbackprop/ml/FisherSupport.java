package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.FisherEstimation;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * The on-demand Fisher information estimate of feed-forward models ({@code withFisher(dataset)}):
 * the model's rows (features, label, weightCol) stacked into blocks as for training, one
 * distributed pass of {@link FisherEstimation} at the model's weights.
 */
final class FisherSupport {
  private FisherSupport() {}

  /** {@code content} carrying the Fisher information estimated on {@code dataset}. */
  static ModelContent estimate(ModelContent content, TrainingParams params, Dataset<?> dataset,
      String featuresCol, String labelCol) {
    ModelSpec spec = content.spec();
    TrainingInput input = spec.isClassifier()
        ? TrainingInput.classification(featuresCol, labelCol, spec.outputWidth())
        : TrainingInput.regression(featuresCol, labelCol);
    if (TrainingRun.isNonEmpty(params.getWeightCol())) {
      input = input.withWeightCol(params.getWeightCol());
    }
    try (StackedData data = BlockStacker.stack(dataset, input, params.getBlockSize(),
        StorageLevel.MEMORY_AND_DISK())) {
      if (data.numFeatures() != spec.numFeatures()) {
        throw new IllegalArgumentException("The model takes " + spec.numFeatures()
            + " features but column '" + featuresCol + "' holds vectors of size "
            + data.numFeatures());
      }
      double[] fisher = FisherEstimation.estimate(data, spec.toNetwork(), content.weights(),
          params.getFisherSampleFraction(), params.getSeed()).fisher();
      return content.withFisher(fisher);
    }
  }

  /** The model's Fisher estimate as a vector, or a clear error without one. */
  static Vector vector(ModelContent content, String uid) {
    double[] fisher = content.fisher();
    if (fisher == null) {
      throw new IllegalStateException("Model " + uid + " carries no Fisher information estimate:"
          + " fit it with computeFisher set to true, or call withFisher(dataset)");
    }
    return Vectors.dense(fisher);
  }
}
