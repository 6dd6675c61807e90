package io.sparkbackprop.ml;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;

/**
 * What the fitted models of spark-backprop (feed-forward and recurrent, classification and
 * regression) have in common besides their params: training state, summary, attributions, the
 * Fisher information estimate and persistence. Spark's class hierarchy gives classifiers and
 * regressors no common superclass of ours, so these are default methods; the state they read is
 * held by each model.
 *
 * <p>Fisher information: a model fitted with {@code computeFisher}, or made by its
 * {@code withFisher(dataset)}, carries a diagonal Fisher information estimate of its weights,
 * saved with it. {@code withFisher} makes a copy of the model (same uid, params and weights)
 * with the estimate made on {@code dataset}: one distributed pass over its rows (features, label
 * and, if set, {@code weightCol}; {@code fisherSampleFraction} of them, seeded by {@code seed}).
 * Save the copy and pass its path as {@code initialModelPath} with {@code consolidation > 0} to
 * learn new data without forgetting {@code dataset}.
 */
public interface NetworkModel extends Params, MLWritable {

  /**
   * Iterations of training behind this model, counting those of any initial model it resumed; -1 if
   * unknown (the model was saved without its training state).
   */
  default int trainedIterations() {
    return ModelSupport.content(this).trainedIterations();
  }

  /** True if this model was produced by {@code fit} in this session (summaries are not saved). */
  default boolean hasSummary() {
    return ModelSupport.state(this).summary != null;
  }

  /** The training summary; only models fitted in this session have one. */
  default BackpropTrainingSummary summary() {
    return ModelSupport.requireSummary(ModelSupport.state(this).summary, this);
  }

  /**
   * The mean absolute attribution of each feature over {@code dataset} (integrated gradients from
   * the training mean, of the predicted class's probability for classifiers, of the prediction for
   * regressors): one distributed pass; see {@link Attributions} for other methods and targets.
   */
  default Vector featureImportances(Dataset<?> dataset) {
    return new Attributions((Model<?>) this).featureImportances(dataset);
  }

  /**
   * True if this model carries a diagonal Fisher information estimate of its weights (fitted with
   * {@code computeFisher}, or made by {@code withFisher(dataset)}), which a later fit warm-started
   * from it can consolidate towards ({@code consolidation}; see above).
   */
  default boolean hasFisher() {
    return ModelSupport.content(this).fisher() != null;
  }

  /**
   * The diagonal Fisher information estimate, one value per weight in the layout of the model's
   * weights; fails if the model carries none ({@link #hasFisher()}).
   */
  default Vector fisherInformation() {
    return FisherSupport.vector(ModelSupport.content(this), uid());
  }

  /** Saves the params as JSON and the network, weights and training state as Parquet. */
  @Override
  default MLWriter write() {
    return ModelSupport.writer(this);
  }
}
