package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FittedNetwork;
import io.sparkbackprop.nn.training.TrainingState;
import java.io.Serializable;

/**
 * What a fitted model holds besides its params: the network description, the weights ready for
 * inference and, for models that can continue training, the optimizer's state and a Fisher
 * information estimate of the weights (for elastic weight consolidation). Both are transient: they
 * are saved with the model but never shipped to executors inside transform closures.
 */
final class ModelContent implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ModelSpec spec;
  private final FittedNetwork fitted;
  private final transient TrainingState trainingState;
  private final transient double[] fisher;

  ModelContent(ModelSpec spec, double[] weights, TrainingState trainingState) {
    this(spec, weights, trainingState, null);
  }

  /**
   * @param fisher the diagonal Fisher information estimate of the weights, or null
   */
  ModelContent(ModelSpec spec, double[] weights, TrainingState trainingState, double[] fisher) {
    this.spec = spec;
    this.fitted = new FittedNetwork(spec.toNetwork(), weights);
    this.trainingState = trainingState;
    if (fisher != null && fisher.length != fitted.network().paramCount()) {
      throw new IllegalArgumentException("A Fisher estimate needs one value per weight ("
          + fitted.network().paramCount() + "), got " + fisher.length);
    }
    this.fisher = fisher == null ? null : fisher.clone();
  }

  private ModelContent(ModelContent content, double[] fisher) {
    this.spec = content.spec;
    this.fitted = content.fitted;
    this.trainingState = content.trainingState;
    this.fisher = fisher.clone();
  }

  /** The same content carrying {@code fisher} as its Fisher information estimate. */
  ModelContent withFisher(double[] fisher) {
    if (fisher.length != fitted.network().paramCount()) {
      throw new IllegalArgumentException("A Fisher estimate needs one value per weight ("
          + fitted.network().paramCount() + "), got " + fisher.length);
    }
    return new ModelContent(this, fisher);
  }

  /** The diagonal Fisher information estimate of the weights, or null (a copy). */
  double[] fisher() {
    return fisher == null ? null : fisher.clone();
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
