package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FittedNetwork;
import io.sparkbackprop.nn.training.TrainingState;
import java.io.Serializable;

/**
 * What a fitted model holds besides its params: the network description, the weights ready for
 * inference and, for models that can continue training, the optimizer's state. The training state
 * is transient: it is saved with the model but never shipped to executors inside transform closures.
 */
final class ModelContent implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelSpec spec;
  private final FittedNetwork fitted;
  private final transient TrainingState trainingState;

  ModelContent(ModelSpec spec, double[] weights, TrainingState trainingState) {
    this.spec = spec;
    this.fitted = new FittedNetwork(spec.toNetwork(), weights);
    this.trainingState = trainingState;
  }

  ModelSpec spec() {
    return spec;
  }

  /** The spec of a feed-forward model. */
  NetworkSpec feedForward() {
    if (!(spec instanceof NetworkSpec ff)) {
      throw new IllegalStateException("Expected a feed-forward network, found a recurrent one");
    }
    return ff;
  }

  /** The spec of a recurrent model. */
  RecurrentSpec recurrent() {
    if (!(spec instanceof RecurrentSpec r)) {
      throw new IllegalStateException("Expected a recurrent network, found a feed-forward one");
    }
    return r;
  }

  FittedNetwork fitted() {
    return fitted;
  }

  /** The state to resume training from, or null (e.g. after Java deserialization on an executor). */
  TrainingState trainingState() {
    return trainingState;
  }

  /** Iterations done by the training behind this content, or -1 without its training state. */
  int trainedIterations() {
    return trainingState == null ? -1 : trainingState.iterationsDone();
  }

  double[] weights() {
    return fitted.weights();
  }

  /** Raw outputs for one feature vector, checked against the trained width. */
  double[] predictRaw(org.apache.spark.ml.linalg.Vector features, String featuresCol) {
    return fitted.predictRaw(VectorRows.source(features, spec.numFeatures(), featuresCol));
  }
}
