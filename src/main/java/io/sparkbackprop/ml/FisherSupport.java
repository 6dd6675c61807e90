package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.BlockStacker;
import io.sparkbackprop.distributed.FisherEstimation;
import io.sparkbackprop.distributed.SequenceInput;
import io.sparkbackprop.distributed.SequenceStacker;
import io.sparkbackprop.distributed.StackedData;
import io.sparkbackprop.distributed.TrainingInput;
import io.sparkbackprop.nn.Network;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * The on-demand Fisher information estimate of the fitted models ({@code withFisher(dataset)}):
 * the model's rows (features, label, weightCol) stacked into blocks as for training (sequence
 * blocks for recurrent models), one distributed pass of {@link FisherEstimation} at the model's
 * weights.
 */
final class FisherSupport {
  private FisherSupport() {}

  /**
   * A copy of {@code model} (same uid, params, summary and parent) whose content carries the Fisher
   * information estimated on {@code dataset}.
   */
  static <M extends Model<M> & TrainingParams> M withFisher(M model, Dataset<?> dataset,
      String featuresCol, String labelCol) {
    ModelContent estimated = estimate(ModelSupport.content(model), model, dataset,
        featuresCol, labelCol);
    M copy = model.copy(ParamMap.empty());
    ModelSupport.state(copy).content = estimated;
    return copy;
  }

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
    if (spec instanceof RecurrentSpec recurrent) {
      return estimateRecurrent(content, recurrent, (RecurrentParams) params, dataset, input);
    }
    try (StackedData data = BlockStacker.stack(dataset, input, params.getBlockSize(),
        StorageLevel.MEMORY_AND_DISK())) {
      if (data.numFeatures() != spec.numFeatures()) {
        throw new IllegalArgumentException("The model takes " + spec.numFeatures()
            + " features but column '" + featuresCol + "' holds vectors of size "
            + data.numFeatures());
      }
      return withEstimate(content, data, spec.toNetwork(), params);
    }
  }

  /**
   * As for training a recurrent network: blocks sized by the network, per-step labels when the
   * model outputs a sequence (tokens of its vocabulary for a language model).
   */
  private static ModelContent estimateRecurrent(ModelContent content, RecurrentSpec spec,
      RecurrentParams params, Dataset<?> dataset, TrainingInput input) {
    String featuresCol = input.featuresCol();
    spec.encoding().checkColumn(dataset.schema(), featuresCol);
    boolean tokenLabels = RecurrentTraining.tokenLabels(dataset.schema(), params, input.labelCol(),
        spec.encoding().kind());
    int longest = Math.min(RecurrentTraining.longest(dataset, featuresCol),
        params.getMaxSequenceLength());
    int blockSize = RecurrentTraining.blockSize(params, spec.toNetwork(), longest);
    SequenceInput sequences = new SequenceInput(input, spec.encoding(), params.isSequenceOutput(),
        tokenLabels, params.getMaxSequenceLength());
    try (StackedData data = SequenceStacker.stack(dataset, sequences, blockSize,
        StorageLevel.MEMORY_AND_DISK())) {
      RecurrentSpec sized = spec.withMaxSteps(Math.max(spec.architecture().maxSteps(),
          data.summary().maxSteps()));
      return withEstimate(content, data, sized.toNetwork(), params);
    }
  }

  private static ModelContent withEstimate(ModelContent content, StackedData data,
      Network network, TrainingParams params) {
    double[] fisher = FisherEstimation.estimate(data, network, content.weights(),
        params.getFisherSampleFraction(), params.getSeed()).fisher();
    return content.withFisher(fisher);
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
