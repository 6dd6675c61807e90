package io.sparkbackprop.nn;

import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.DenseLayer;
import io.sparkbackprop.nn.layer.DropoutLayer;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.layer.Layer;
import io.sparkbackprop.nn.layer.ScalingLayer;
import io.sparkbackprop.nn.loss.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multilayer perceptron: optional input standardisation, then {@link DenseLayer}s whose hidden
 * layers share one activation (each optionally followed by dropout), and a linear output layer that
 * feeds the {@link Loss} (softmax cross-entropy for classes, squared error or Huber for regression).
 * The parameter layout is MLPC's: per dense layer its weight matrix column-major, then its bias.
 */
public final class FeedForwardNetwork extends SequentialNetwork {
  private static final long serialVersionUID = 2L;

  private final int[] layerSizes;
  private final Activation hiddenActivation;
  private final InputScaling inputScaling;
  private final double[] dropout;

  /**
   * @param layerSizes input width, hidden widths..., output width (at least two entries)
   */
  public FeedForwardNetwork(int[] layerSizes, Activation hiddenActivation, Loss loss) {
    this(layerSizes, hiddenActivation, loss, null);
  }

  /**
   * @param inputScaling standardisation applied to every input row first, or null for none
   */
  public FeedForwardNetwork(int[] layerSizes, Activation hiddenActivation, Loss loss,
      InputScaling inputScaling) {
    this(layerSizes, hiddenActivation, loss, inputScaling, null);
  }

  /**
   * @param dropout per hidden layer, the probability of zeroing each of its outputs during training
   *     (inverted dropout: kept outputs are scaled by 1 / (1 - p), so inference needs no change); null
   *     or all zeros for none
   */
  public FeedForwardNetwork(int[] layerSizes, Activation hiddenActivation, Loss loss,
      InputScaling inputScaling, double[] dropout) {
    super(layers(layerSizes, hiddenActivation, inputScaling, checkDropout(dropout, layerSizes)),
        loss, 1);
    this.layerSizes = layerSizes.clone();
    this.hiddenActivation = hiddenActivation;
    this.inputScaling = inputScaling;
    this.dropout = checkDropout(dropout, layerSizes);
  }

  private static List<Layer> layers(int[] sizes, Activation hidden, InputScaling scaling,
      double[] dropout) {
    if (sizes.length < 2) {
      throw new IllegalArgumentException("A network needs at least an input and an output size, got "
          + Arrays.toString(sizes));
    }
    if (paramCount(sizes) > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("Network " + Arrays.toString(sizes)
          + " has more than 2^31 parameters");
    }
    List<Layer> layers = new ArrayList<>();
    if (scaling != null) {
      if (scaling.width() != sizes[0]) {
        throw new IllegalArgumentException("Input scaling covers " + scaling.width()
            + " features but the network has " + sizes[0] + " inputs");
      }
      layers.add(new ScalingLayer(scaling));
    }
    for (int l = 0; l + 1 < sizes.length; l++) {
      boolean last = l + 2 == sizes.length;
      layers.add(new DenseLayer(sizes[l], sizes[l + 1], last ? Activation.IDENTITY : hidden));
      if (!last && dropout != null && dropout[l] > 0) {
        layers.add(new DropoutLayer(sizes[l + 1], dropout[l]));
      }
    }
    return layers;
  }

  private static double[] checkDropout(double[] rates, int[] layerSizes) {
    if (rates == null) {
      return null;
    }
    int hiddenLayers = layerSizes.length - 2;
    if (rates.length != hiddenLayers) {
      throw new IllegalArgumentException("dropout needs one rate per hidden layer (" + hiddenLayers
          + "), got " + Arrays.toString(rates));
    }
    for (double r : rates) {
      if (!(r >= 0 && r < 1)) {
        throw new IllegalArgumentException("dropout rates must be in [0, 1), got "
            + Arrays.toString(rates));
      }
    }
    return Arrays.stream(rates).allMatch(r -> r == 0) ? null : rates.clone();
  }

  /** Number of parameters of a network with these layer sizes (weights and biases). */
  public static long paramCount(int[] layerSizes) {
    long count = 0;
    for (int l = 0; l + 1 < layerSizes.length; l++) {
      count += (long) layerSizes[l] * layerSizes[l + 1] + layerSizes[l + 1];
    }
    return count;
  }

  public int[] layerSizes() {
    return layerSizes.clone();
  }

  public Activation hiddenActivation() {
    return hiddenActivation;
  }

  /** Dropout rate of each hidden layer during training (zeros when there is none). */
  public double[] dropout() {
    return dropout == null ? new double[layerSizes.length - 2] : dropout.clone();
  }

  /** The same network without training noise, for inference. */
  public FeedForwardNetwork withoutDropout() {
    return dropout == null ? this
        : new FeedForwardNetwork(layerSizes, hiddenActivation, loss(), inputScaling, null);
  }

  /**
   * The same network without its input scaling: the same layers and parameters, for inputs that
   * were already scaled. This network itself when it has no scaling.
   */
  public FeedForwardNetwork withoutInputScaling() {
    return inputScaling == null ? this
        : new FeedForwardNetwork(layerSizes, hiddenActivation, loss(), null, dropout);
  }

  /** The input standardisation, or null. */
  public InputScaling inputScaling() {
    return inputScaling;
  }
}
