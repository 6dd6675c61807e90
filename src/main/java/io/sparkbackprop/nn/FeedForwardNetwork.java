package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A stack of {@link DenseLayer}s: every hidden layer uses the same activation, the output layer is
 * linear and feeds the {@link Loss} (softmax cross-entropy for classes, squared error or Huber for
 * regression).
 */
public final class FeedForwardNetwork implements Network {
  private static final long serialVersionUID = 1L;

  private final int[] layerSizes;
  private final Activation hiddenActivation;
  private final Loss loss;
  private final InputScaling inputScaling;
  private final double[] dropout;
  private final DenseLayer[] layers;
  private final int[] offsets;
  private final int paramCount;

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
    if (layerSizes.length < 2) {
      throw new IllegalArgumentException("A network needs at least an input and an output size, got "
          + Arrays.toString(layerSizes));
    }
    this.layerSizes = layerSizes.clone();
    this.hiddenActivation = hiddenActivation;
    this.loss = loss;
    if (inputScaling != null && inputScaling.width() != layerSizes[0]) {
      throw new IllegalArgumentException("Input scaling covers " + inputScaling.width()
          + " features but the network has " + layerSizes[0] + " inputs");
    }
    this.inputScaling = inputScaling;
    this.dropout = checkDropout(dropout, layerSizes.length - 2);
    this.layers = new DenseLayer[layerSizes.length - 1];
    this.offsets = new int[layers.length];
    long count = 0;
    for (int l = 0; l < layers.length; l++) {
      boolean last = l == layers.length - 1;
      layers[l] = new DenseLayer(layerSizes[l], layerSizes[l + 1],
          last ? Activation.IDENTITY : hiddenActivation);
      offsets[l] = (int) count;
      count += layers[l].paramCount();
      if (count > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("Network " + Arrays.toString(layerSizes)
            + " has more than 2^31 parameters");
      }
    }
    this.paramCount = (int) count;
  }

  private static double[] checkDropout(double[] rates, int hiddenLayers) {
    if (rates == null) {
      return null;
    }
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
    return dropout == null ? new double[layers.length - 1] : dropout.clone();
  }

  /** The same network without training noise, for inference. */
  public FeedForwardNetwork withoutDropout() {
    return dropout == null ? this
        : new FeedForwardNetwork(layerSizes, hiddenActivation, loss, inputScaling, null);
  }

  /** The input standardisation, or null. */
  public InputScaling inputScaling() {
    return inputScaling;
  }

  @Override
  public int paramCount() {
    return paramCount;
  }

  @Override
  public int inputWidth() {
    return layerSizes[0];
  }

  @Override
  public int outputWidth() {
    return layerSizes[layerSizes.length - 1];
  }

  @Override
  public Loss loss() {
    return loss;
  }

  @Override
  public double[] initialParams(long seed) {
    double[] params = new double[paramCount];
    Random rng = new Random(seed);
    for (int l = 0; l < layers.length; l++) {
      // The linear output layer gets Xavier; hidden layers the scheme that suits their activation.
      layers[l].initialize(params, offsets[l], WeightInit.forActivation(layers[l].activation()), rng);
    }
    return params;
  }

  @Override
  public boolean isRegularized(int index) {
    if (index < 0 || index >= paramCount) {
      throw new IndexOutOfBoundsException("Parameter " + index + " of " + paramCount);
    }
    int l = layers.length - 1;
    while (offsets[l] > index) {
      l--;
    }
    return index - offsets[l] < layers[l].outputSize() * layers[l].inputSize();
  }

  @Override
  public NetworkWorkspace newWorkspace(int maxRows) {
    return new Workspace(maxRows);
  }

  @Override
  public float[] forward(float[] params, float[] features, int rows, NetworkWorkspace workspace) {
    checkLength("params", params, paramCount);
    if (features.length < (long) rows * inputWidth()) {
      throw new IllegalArgumentException("The features array has " + features.length
          + " entries; " + rows + " rows of " + inputWidth() + " need " + (long) rows * inputWidth());
    }
    Workspace ws = workspace(workspace, rows);
    float[] input = scaledInput(features, rows, ws);
    for (int l = 0; l < layers.length; l++) {
      layers[l].forward(params, offsets[l], input, rows, ws.z[l], ws.a[l]);
      input = ws.a[l];
    }
    return ws.a[layers.length - 1];
  }

  /** Deterministic pass: dropout masks, if any, are seeded by the block id. */
  @Override
  public double lossAndGradient(float[] params, DataBlock block, float[] gradient,
      NetworkWorkspace workspace) {
    return lossAndGradient(params, block, gradient, workspace, block.id());
  }

  @Override
  public double lossAndGradient(float[] params, DataBlock block, float[] gradient,
      NetworkWorkspace workspace, long noiseSeed) {
    checkBlock(block);
    checkLength("params", params, paramCount);
    checkLength("gradient", gradient, paramCount);
    int rows = block.rows();
    Workspace ws = workspace(workspace, rows);
    float[] networkInput = scaledInput(block.features(), rows, ws);
    SplittableRandom noise = dropout == null ? null : new SplittableRandom(noiseSeed);
    float[] input = networkInput;
    for (int l = 0; l < layers.length; l++) {
      layers[l].forward(params, offsets[l], input, rows, ws.z[l], ws.a[l]);
      input = ws.a[l];
      if (noise != null && l < layers.length - 1 && dropout[l] > 0) {
        input = applyDropout(ws.a[l], ws.mask[l], ws.dropped[l], layers[l].outputSize() * rows,
            (float) dropout[l], noise);
      }
    }
    float[] output = input;
    float[] delta = ws.deltaA;
    float[] spare = ws.deltaB;
    double total = loss.lossAndDelta(output, outputWidth(), block.targets(), block.weights(), rows,
        delta);
    for (int l = layers.length - 1; l >= 0; l--) {
      float[] layerInput = l == 0 ? networkInput : layerOutput(ws, l - 1);
      float[] inputDelta = l == 0 ? null : spare;
      if (l < layers.length - 1 && ws.mask[l] != null) {
        // Gradient w.r.t. the dropped outputs -> w.r.t. the activations: the same mask.
        float[] mask = ws.mask[l];
        for (int i = 0, len = layers[l].outputSize() * rows; i < len; i++) {
          delta[i] *= mask[i];
        }
      }
      layers[l].backward(params, offsets[l], layerInput, rows, ws.z[l], ws.a[l], delta, gradient,
          inputDelta);
      spare = delta;
      delta = inputDelta;
    }
    return total;
  }

  /** What layer {@code l} passed on: its activations, after dropout if it has any. */
  private float[] layerOutput(Workspace ws, int l) {
    return ws.mask[l] != null ? ws.dropped[l] : ws.a[l];
  }

  private static float[] applyDropout(float[] activations, float[] mask, float[] dropped, int len,
      float rate, SplittableRandom noise) {
    float keep = 1f / (1f - rate);
    for (int i = 0; i < len; i++) {
      float m = noise.nextDouble() < rate ? 0f : keep;
      mask[i] = m;
      dropped[i] = activations[i] * m;
    }
    return dropped;
  }

  private static void checkLength(String name, float[] array, int needed) {
    if (array.length < needed) {
      throw new IllegalArgumentException("The " + name + " array has " + array.length
          + " entries; the network needs " + needed);
    }
  }

  private float[] scaledInput(float[] features, int rows, Workspace ws) {
    if (inputScaling == null) {
      return features;
    }
    inputScaling.apply(features, rows, ws.scaledInput);
    return ws.scaledInput;
  }

  private void checkBlock(DataBlock block) {
    if (block.featureWidth() != inputWidth()) {
      throw new IllegalArgumentException("Block has " + block.featureWidth()
          + " features per row but the network expects " + inputWidth());
    }
    int expected = loss.targetWidth(outputWidth());
    if (block.targetWidth() != expected) {
      throw new IllegalArgumentException("Block has " + block.targetWidth()
          + " targets per row but the loss expects " + expected);
    }
  }

  private Workspace workspace(NetworkWorkspace workspace, int rows) {
    if (!(workspace instanceof Workspace ws) || ws.owner != this) {
      throw new IllegalArgumentException("Workspace was not created by this network");
    }
    if (rows > ws.capacity) {
      throw new IllegalArgumentException(
          "Block of " + rows + " rows exceeds the workspace capacity " + ws.capacity);
    }
    return ws;
  }

  /** Per-layer activations plus two delta buffers used alternately during the backward pass. */
  private final class Workspace implements NetworkWorkspace {
    final FeedForwardNetwork owner = FeedForwardNetwork.this;
    final int capacity;
    final float[][] z;
    final float[][] a;
    final float[] deltaA;
    final float[] deltaB;
    final float[] scaledInput;
    final float[][] mask;
    final float[][] dropped;

    Workspace(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("Workspace capacity must be positive, got " + capacity);
      }
      this.capacity = capacity;
      z = new float[layers.length][];
      a = new float[layers.length][];
      int widest = 0;
      for (int l = 0; l < layers.length; l++) {
        int width = layers[l].outputSize();
        widest = Math.max(widest, width);
        z[l] = new float[width * capacity];
        // The identity output needs no separate buffer for its activation.
        a[l] = layers[l].activation() == Activation.IDENTITY ? z[l] : new float[width * capacity];
      }
      deltaA = new float[widest * capacity];
      deltaB = new float[widest * capacity];
      scaledInput = inputScaling == null ? null : new float[inputWidth() * capacity];
      mask = new float[layers.length][];
      dropped = new float[layers.length][];
      for (int l = 0; dropout != null && l < layers.length - 1; l++) {
        if (dropout[l] > 0) {
          mask[l] = new float[layers[l].outputSize() * capacity];
          dropped[l] = new float[layers[l].outputSize() * capacity];
        }
      }
    }

    @Override
    public int capacity() {
      return capacity;
    }
  }
}
