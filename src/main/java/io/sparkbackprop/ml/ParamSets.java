package io.sparkbackprop.ml;

import org.apache.spark.ml.param.Params;

/**
 * The param holders of one stage, created in its constructor once its uid is known, with the
 * defaults of its family. An estimator and its model get theirs from the same factory, so they
 * declare the same params with the same defaults; the param interfaces ({@link BackpropParams},
 * {@link RecurrentParams}, {@link ClassWeightingParams}, {@link RegressionParams}) read them
 * through {@link Owner#paramSets()}.
 */
public final class ParamSets implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  final TrainingParamSet training;
  /** Feed-forward stages' network shape, else null. */
  final NetworkParams network;
  /** Recurrent stages' network shape and sequence reading, else null. */
  final RecurrentParamSet recurrent;
  /** Classifiers' class weighting, else null. */
  final ClassificationParams classification;
  /** Regressors' loss, else null. */
  final RegressionLossParams loss;

  /** A stage holding its params in a {@link ParamSets}. */
  public interface Owner extends Params {

    /** The holders of this stage's params. */
    ParamSets paramSets();
  }

  private ParamSets(TrainingParamSet training, NetworkParams network, RecurrentParamSet recurrent,
      ClassificationParams classification, RegressionLossParams loss) {
    this.training = training;
    this.network = network;
    this.recurrent = recurrent;
    this.classification = classification;
    this.loss = loss;
  }

  /** The params of a feed-forward classifier or regressor (estimator or model). */
  static ParamSets feedForward(Params owner, boolean classifier) {
    TrainingParamSet training = new TrainingParamSet(owner);
    NetworkParams network = new NetworkParams(owner);
    if (!classifier) {
      return new ParamSets(training, network, null, null, new RegressionLossParams(owner));
    }
    ClassificationParams classification = new ClassificationParams(owner);
    FeedForwardDefaults.classifier(owner, training);
    return new ParamSets(training, network, null, classification, null);
  }

  /** The params of a recurrent classifier or regressor (estimator or model). */
  static ParamSets recurrent(Params owner, boolean classifier) {
    TrainingParamSet training = new TrainingParamSet(owner);
    RecurrentParamSet recurrent = new RecurrentParamSet(owner);
    RecurrentParamSet.setRecurrentTrainingDefaults(owner, training);
    return classifier
        ? new ParamSets(training, null, recurrent, new ClassificationParams(owner), null)
        : new ParamSets(training, null, recurrent, null, new RegressionLossParams(owner));
  }
}
