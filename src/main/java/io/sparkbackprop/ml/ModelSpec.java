package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.SequentialNetwork;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.loss.HuberLoss;
import io.sparkbackprop.nn.loss.Loss;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.nn.loss.TargetScaling;
import java.io.Serializable;

/**
 * Everything needed to rebuild a fitted network apart from its weights: what a model persists next
 * to its weight vector. Feed-forward ({@link NetworkSpec}) and recurrent ({@link RecurrentSpec})
 * networks share the loss, target scaling and input scaling.
 */
public interface ModelSpec extends Serializable {
  String SOFTMAX_CROSS_ENTROPY = "softmaxCrossEntropy";
  String SQUARED_ERROR = "squaredError";
  String HUBER = "huber";

  /** One of {@link #SOFTMAX_CROSS_ENTROPY}, {@link #SQUARED_ERROR}, {@link #HUBER}. */
  String loss();

  /** Huber threshold in standardised label units (unused by other losses). */
  double huberDelta();

  double targetCenter();

  double targetScale();

  /** Feature standardisation applied inside the network, or null. */
  InputScaling inputScaling();

  /** Features per input column (per row, or per step of a sequence). */
  int numFeatures();

  /** Width of the raw output: classes, or regression targets. */
  int outputWidth();

  /** The network for inference (no training noise). */
  Network toNetwork();

  /**
   * The network to train.
   *
   * @param dropout the {@code dropout} param as the user gave it (this spec says what it means)
   * @param classWeights per-class loss weights for classifiers, or null
   */
  Network toTrainingNetwork(double[] dropout, double[] classWeights);

  /**
   * The same network for targets stored as {@code label - offset} (see
   * {@code StackedData.labelOffset}): the target centre moves by the offset, nothing else changes.
   */
  ModelSpec withTargetsShiftedBy(double offset);

  /** What the model's layers are, one line each, for saved metadata and messages. */
  String[] describeLayers();

  default boolean isClassifier() {
    return SOFTMAX_CROSS_ENTROPY.equals(loss());
  }

  /** The loss object this spec names. */
  default Loss toLoss(double[] classWeights) {
    TargetScaling scaling = new TargetScaling(targetCenter(), targetScale());
    switch (loss()) {
      case SOFTMAX_CROSS_ENTROPY:
        return new SoftmaxCrossEntropy(classWeights);
      case SQUARED_ERROR:
        return new SquaredError(scaling);
      case HUBER:
        return new HuberLoss(huberDelta(), scaling);
      default:
        throw new IllegalArgumentException("Unknown loss '" + loss() + "'");
    }
  }

  /** Layer descriptions of a network, one per layer. */
  static String[] describe(Network network) {
    if (network instanceof io.sparkbackprop.nn.SequentialNetwork sequential) {
      return sequential.layers().stream().map(Object::toString).toArray(String[]::new);
    }
    return new String[] {network.toString()};
  }
}
