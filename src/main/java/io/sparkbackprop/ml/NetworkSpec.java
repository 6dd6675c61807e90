package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.loss.HuberLoss;
import io.sparkbackprop.nn.loss.Loss;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.nn.loss.TargetScaling;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything needed to rebuild a fitted feed-forward network apart from its weights: what the model
 * persists next to the weight vector.
 *
 * @param loss one of {@link #SOFTMAX_CROSS_ENTROPY}, {@link #SQUARED_ERROR}, {@link #HUBER}
 * @param huberDelta Huber threshold in standardised label units (unused by other losses)
 * @param inputScaling feature standardisation applied inside the network, or null
 */
public record NetworkSpec(int[] layerSizes, String activation, String loss, double huberDelta,
    double targetCenter, double targetScale, InputScaling inputScaling) implements Serializable {

  public static final String SOFTMAX_CROSS_ENTROPY = "softmaxCrossEntropy";
  public static final String SQUARED_ERROR = "squaredError";
  public static final String HUBER = "huber";

  public NetworkSpec {
    layerSizes = layerSizes.clone();
    if (layerSizes.length < 2 || Arrays.stream(layerSizes).anyMatch(s -> s <= 0)) {
      throw new IllegalArgumentException("Invalid layer sizes " + Arrays.toString(layerSizes));
    }
    Activation.fromParamName(activation);
    if (inputScaling != null && inputScaling.width() != layerSizes[0]) {
      throw new IllegalArgumentException("Input scaling covers " + inputScaling.width()
          + " features but the first layer has " + layerSizes[0]);
    }
  }

  static NetworkSpec classifier(int[] layerSizes, String activation, InputScaling inputScaling) {
    return new NetworkSpec(layerSizes, activation, SOFTMAX_CROSS_ENTROPY, 1.0, 0, 1, inputScaling);
  }

  @Override
  public int[] layerSizes() {
    return layerSizes.clone();
  }

  /** The network for inference. */
  FeedForwardNetwork toNetwork() {
    return toTrainingNetwork(null, null);
  }

  /**
   * The network to train: with dropout on the hidden layers and, for classifiers, per-class loss
   * weights (either may be null).
   */
  FeedForwardNetwork toTrainingNetwork(double[] dropout, double[] classWeights) {
    return new FeedForwardNetwork(layerSizes, Activation.fromParamName(activation),
        toLoss(classWeights), inputScaling, dropout);
  }

  private Loss toLoss(double[] classWeights) {
    TargetScaling scaling = new TargetScaling(targetCenter, targetScale);
    switch (loss) {
      case SOFTMAX_CROSS_ENTROPY:
        return new SoftmaxCrossEntropy(classWeights);
      case SQUARED_ERROR:
        return new SquaredError(scaling);
      case HUBER:
        return new HuberLoss(huberDelta, scaling);
      default:
        throw new IllegalArgumentException("Unknown loss '" + loss + "'");
    }
  }

  /**
   * The same network for targets stored as {@code label - offset} (see
   * {@code StackedData.labelOffset}): the target centre moves by the offset, nothing else changes.
   */
  NetworkSpec withTargetsShiftedBy(double offset) {
    return offset == 0 ? this : new NetworkSpec(layerSizes, activation, loss, huberDelta,
        targetCenter - offset, targetScale, inputScaling);
  }

  int numFeatures() {
    return layerSizes[0];
  }

  int outputWidth() {
    return layerSizes[layerSizes.length - 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkSpec s && Arrays.equals(layerSizes, s.layerSizes)
        && activation.equals(s.activation) && loss.equals(s.loss)
        && Double.compare(huberDelta, s.huberDelta) == 0
        && Double.compare(targetCenter, s.targetCenter) == 0
        && Double.compare(targetScale, s.targetScale) == 0
        && java.util.Objects.equals(inputScaling, s.inputScaling);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(layerSizes) * 31 + activation.hashCode() * 17 + loss.hashCode();
  }

  @Override
  public String toString() {
    return "NetworkSpec" + Arrays.toString(layerSizes) + " " + activation + " " + loss;
  }
}
