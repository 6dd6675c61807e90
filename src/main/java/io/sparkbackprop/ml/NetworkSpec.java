package io.sparkbackprop.ml;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.InputScaling;
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
    double targetCenter, double targetScale, InputScaling inputScaling) implements ModelSpec {

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
  @Override
  public FeedForwardNetwork toNetwork() {
    return network(null, null);
  }

  /** The dropout param means one rate for all hidden layers, or one per hidden layer. */
  @Override
  public FeedForwardNetwork toTrainingNetwork(double[] dropout, double[] classWeights) {
    return network(dropoutRates(dropout), classWeights);
  }

  private FeedForwardNetwork network(double[] perLayerDropout, double[] classWeights) {
    return new FeedForwardNetwork(layerSizes, Activation.fromParamName(activation),
        toLoss(classWeights), inputScaling, perLayerDropout);
  }

  private double[] dropoutRates(double[] rates) {
    int hidden = layerSizes.length - 2;
    if (rates == null || rates.length == 0) {
      return null;
    }
    if (rates.length == 1) {
      double[] all = new double[hidden];
      Arrays.fill(all, rates[0]);
      return all;
    }
    if (rates.length != hidden) {
      throw new IllegalArgumentException("dropout has " + rates.length + " rates but the network has "
          + hidden + " hidden layers; give one rate for all or one per hidden layer");
    }
    return rates;
  }

  /**
   * The same network for targets stored as {@code label - offset} (see
   * {@code StackedData.labelOffset}): the target centre moves by the offset, nothing else changes.
   */
  @Override
  public NetworkSpec withTargetsShiftedBy(double offset) {
    return offset == 0 ? this : new NetworkSpec(layerSizes, activation, loss, huberDelta,
        targetCenter - offset, targetScale, inputScaling);
  }


  @Override
  public String[] describeLayers() {
    return ModelSpec.describe(toNetwork());
  }

  @Override
  public int numFeatures() {
    return layerSizes[0];
  }

  @Override
  public int outputWidth() {
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
