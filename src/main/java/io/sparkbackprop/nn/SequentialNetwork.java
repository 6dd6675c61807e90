package io.sparkbackprop.nn;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Layer;
import io.sparkbackprop.nn.layer.LayerWorkspace;
import io.sparkbackprop.nn.loss.Loss;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A network as a sequence of {@link Layer}s followed by a {@link Loss}. Each layer owns a
 * contiguous slice of the flat parameter vector, in order. The forward pass feeds each layer's
 * output to the next; the backward pass starts from the loss's delta and runs the layers in
 * reverse, each adding its parameter gradient and passing the delta down. Feed-forward and
 * recurrent networks are both such sequences.
 */
public class SequentialNetwork implements Network {
  private static final long serialVersionUID = 1L;

  private final Layer[] layers;
  private final int[] offsets;
  private final Loss loss;
  private final int maxSteps;
  private final int paramCount;
  private final boolean noisy;
  /** Whether layer l must pass a delta down because some layer below it has parameters. */
  private final boolean[] deltaBelow;

  /**
   * @param maxSteps the most time steps a row may have (1 for feed-forward networks); sizes
   *     workspaces
   */
  public SequentialNetwork(List<? extends Layer> layers, Loss loss, int maxSteps) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("A network needs at least one layer");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be at least 1, got " + maxSteps);
    }
    this.layers = layers.toArray(new Layer[0]);
    this.loss = loss;
    this.maxSteps = maxSteps;
    this.offsets = new int[this.layers.length];
    this.deltaBelow = new boolean[this.layers.length];
    long count = 0;
    boolean params = false;
    boolean noise = false;
    for (int l = 0; l < this.layers.length; l++) {
      Layer layer = this.layers[l];
      if (l > 0 && this.layers[l - 1].outputWidth() != layer.inputWidth()) {
        throw new IllegalArgumentException("Layer " + l + " expects " + layer.inputWidth()
            + " inputs but layer " + (l - 1) + " gives " + this.layers[l - 1].outputWidth());
      }
      deltaBelow[l] = params;
      params |= layer.paramCount() > 0;
      noise |= layer.isTrainingNoise();
      offsets[l] = (int) count;
      count += layer.paramCount();
      if (count > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("The network has more than 2^31 parameters");
      }
    }
    this.paramCount = (int) count;
    this.noisy = noise;
  }

  /** The layers, in forward order. */
  public List<Layer> layers() {
    return List.of(layers);
  }

  /** Where layer {@code l}'s slice of the parameter vector starts. */
  public int offset(int l) {
    return offsets[l];
  }

  /** The most time steps per row this network's workspaces hold. */
  public int maxSteps() {
    return maxSteps;
  }

  /**
   * The first {@code count} layers as a network of their own (with this loss), reading the same
   * prefix of the parameter vector: a way to look at hidden activations.
   */
  public SequentialNetwork prefix(int count) {
    return new SequentialNetwork(Arrays.asList(layers).subList(0, count), loss, maxSteps);
  }

  /**
   * Layer {@code l}'s own workspace inside a workspace of this network, for layers with state
   * beyond one pass (a recurrent layer's initial and final states).
   */
  public LayerWorkspace layerWorkspace(NetworkWorkspace workspace, int l) {
    if (!(workspace instanceof Workspace ws) || ws.owner != this) {
      throw new IllegalArgumentException("Workspace was not created by this network");
    }
    return ws.layers[l];
  }

  @Override
  public int paramCount() {
    return paramCount;
  }

  @Override
  public int inputWidth() {
    return layers[0].inputWidth();
  }

  @Override
  public int outputWidth() {
    return layers[layers.length - 1].outputWidth();
  }

  @Override
  public Loss loss() {
    return loss;
  }

  @Override
  public BatchShape outputShape(BatchShape input) {
    BatchShape shape = input;
    for (Layer layer : layers) {
      shape = layer.outputShape(shape);
    }
    return shape;
  }

  /** Layers initialise in order from one generator seeded by {@code seed}. */
  @Override
  public double[] initialParams(long seed) {
    double[] params = new double[paramCount];
    Random rng = new Random(seed);
    for (int l = 0; l < layers.length; l++) {
      layers[l].initialize(params, offsets[l], rng);
    }
    return params;
  }

  @Override
  public boolean isRegularized(int index) {
    if (index < 0 || index >= paramCount) {
      throw new IndexOutOfBoundsException("Parameter " + index + " of " + paramCount);
    }
    int l = layers.length - 1;
    while (offsets[l] > index || layers[l].paramCount() == 0) {
      l--;
    }
    return layers[l].isRegularized(index - offsets[l]);
  }

  @Override
  public NetworkWorkspace newWorkspace(int maxRows) {
    return new Workspace(maxRows, maxSteps);
  }

  @Override
  public NetworkWorkspace newWorkspace(int maxRows, int steps) {
    return new Workspace(maxRows, steps);
  }

  @Override
  public float[] forward(float[] params, float[] features, BatchShape shape,
      NetworkWorkspace workspace) {
    checkLength("params", params, paramCount);
    checkInput(features, shape);
    return run(params, features, shape, workspace(workspace, shape), null);
  }

  /** Deterministic pass: training noise, if any, is seeded by the block id. */
  @Override
  public double lossAndGradient(float[] params, DataBlock block, float[] gradient,
      NetworkWorkspace workspace) {
    return lossAndGradient(params, block, gradient, workspace, block.id());
  }

  @Override
  public double lossAndGradient(float[] params, DataBlock block, float[] gradient,
      NetworkWorkspace workspace, long noiseSeed) {
    checkLength("params", params, paramCount);
    checkLength("gradient", gradient, paramCount);
    BatchShape shape = block.shape();
    checkBlock(block);
    Workspace ws = workspace(workspace, shape);
    SplittableRandom noise = noisy ? new SplittableRandom(noiseSeed) : null;
    float[] output = run(params, block.features(), shape, ws, noise);
    double total = loss.lossAndDelta(output, outputWidth(), block.targets(), block.weights(),
        block.targetColumns(), ws.deltaA);
    Arrays.fill(gradient, 0, paramCount, 0f);
    backward(params, ws, gradient, null);
    return total;
  }

  @Override
  public double lossAndInputGradient(float[] params, DataBlock block, float[] inputGradient,
      NetworkWorkspace workspace) {
    checkLength("params", params, paramCount);
    BatchShape shape = block.shape();
    checkBlock(block);
    Workspace ws = workspace(workspace, shape);
    float[] output = run(params, block.features(), shape, ws, null);
    double total = loss.lossAndDelta(output, outputWidth(), block.targets(), block.weights(),
        block.targetColumns(), ws.deltaA);
    backward(params, ws, null, inputGradient);
    return total;
  }

  @Override
  public void inputGradient(float[] params, float[] features, BatchShape shape,
      float[] outputDelta, NetworkWorkspace workspace, float[] inputGradient) {
    checkLength("params", params, paramCount);
    checkInput(features, shape);
    Workspace ws = workspace(workspace, shape);
    run(params, features, shape, ws, null);
    int n = outputWidth() * ws.shapes[layers.length].columns();
    System.arraycopy(outputDelta, 0, ws.deltaA, 0, n);
    backward(params, ws, null, inputGradient);
  }

  @Override
  public void inputGradient(float[] params, float[] features, BatchShape shape,
      OutputGradient target, NetworkWorkspace workspace, float[] inputGradient) {
    checkLength("params", params, paramCount);
    checkInput(features, shape);
    Workspace ws = workspace(workspace, shape);
    float[] output = run(params, features, shape, ws, null);
    BatchShape outputShape = ws.shapes[layers.length];
    Arrays.fill(ws.deltaA, 0, outputWidth() * outputShape.columns(), 0f);
    target.write(output, outputShape, ws.deltaA);
    backward(params, ws, null, inputGradient);
  }

  /** The forward pass, keeping each layer's input and shape in the workspace for backward. */
  private float[] run(float[] params, float[] features, BatchShape shape, Workspace ws,
      SplittableRandom noise) {
    float[] x = features;
    ws.shapes[0] = shape;
    for (int l = 0; l < layers.length; l++) {
      ws.inputs[l] = x;
      x = layers[l].forward(params, offsets[l], x, ws.shapes[l], ws.layers[l], noise);
      ws.shapes[l + 1] = layers[l].outputShape(ws.shapes[l]);
    }
    return x;
  }

  /**
   * The backward pass from the delta in {@code ws.deltaA}: adds parameter gradients into
   * {@code gradient} (if not null) and writes the input gradient into {@code inputGradient} (if not
   * null).
   */
  private void backward(float[] params, Workspace ws, float[] gradient, float[] inputGradient) {
    float[] delta = ws.deltaA;
    float[] spare = ws.deltaB;
    for (int l = layers.length - 1; l >= 0; l--) {
      float[] inputDelta;
      if (l == 0) {
        inputDelta = inputGradient;
      } else {
        inputDelta = deltaBelow[l] || inputGradient != null ? spare : null;
      }
      layers[l].backward(params, offsets[l], ws.inputs[l], ws.shapes[l], ws.layers[l], delta,
          gradient, inputDelta);
      if (inputDelta == null) {
        break;
      }
      spare = delta;
      delta = inputDelta;
    }
  }

  private static void checkLength(String name, float[] array, int needed) {
    if (array.length < needed) {
      throw new IllegalArgumentException("The " + name + " array has " + array.length
          + " entries; the network needs " + needed);
    }
  }

  private void checkInput(float[] features, BatchShape shape) {
    if (features.length < (long) shape.columns() * inputWidth()) {
      throw new IllegalArgumentException("The features array has " + features.length
          + " entries; " + shape + " of " + inputWidth() + " need "
          + (long) shape.columns() * inputWidth());
    }
  }

  private void checkBlock(DataBlock block) {
    if (block.featureWidth() != inputWidth()) {
      throw new IllegalArgumentException("Block has " + block.featureWidth()
          + " features per step but the network expects " + inputWidth());
    }
    int expected = loss.targetWidth(outputWidth());
    if (block.targetWidth() != expected) {
      throw new IllegalArgumentException("Block has " + block.targetWidth()
          + " targets per row but the loss expects " + expected);
    }
    int columns = outputShape(block.shape()).columns();
    if (block.targetColumns() != columns) {
      throw new IllegalArgumentException("Block has targets for " + block.targetColumns()
          + " outputs but the network gives " + columns + " for " + block.shape());
    }
  }

  private Workspace workspace(NetworkWorkspace workspace, BatchShape shape) {
    if (!(workspace instanceof Workspace ws) || ws.owner != this) {
      throw new IllegalArgumentException("Workspace was not created by this network");
    }
    if (shape.rows() > ws.capacity) {
      throw new IllegalArgumentException(
          "Block of " + shape.rows() + " rows exceeds the workspace capacity " + ws.capacity);
    }
    if (shape.steps() > ws.stepCapacity) {
      throw new IllegalArgumentException("Sequences of " + shape.steps()
          + " steps exceed the workspace's capacity of " + ws.stepCapacity);
    }
    return ws;
  }

  /** Every layer's own workspace, the inputs of the last pass, and two delta buffers. */
  private final class Workspace implements NetworkWorkspace {
    final SequentialNetwork owner = SequentialNetwork.this;
    final int capacity;
    final int stepCapacity;
    final LayerWorkspace[] layers;
    final float[][] inputs;
    final BatchShape[] shapes;
    final float[] deltaA;
    final float[] deltaB;

    Workspace(int capacity, int stepCapacity) {
      if (capacity <= 0 || stepCapacity <= 0) {
        throw new IllegalArgumentException("Workspace capacity must be positive, got " + capacity
            + " rows of " + stepCapacity + " steps");
      }
      Layer[] all = SequentialNetwork.this.layers;
      this.capacity = capacity;
      this.stepCapacity = stepCapacity;
      this.layers = new LayerWorkspace[all.length];
      this.inputs = new float[all.length][];
      this.shapes = new BatchShape[all.length + 1];
      // The widest delta between layers (the input gradient goes to the caller's buffer); a
      // boundary holds at most stepCapacity steps per row.
      long widest = 0;
      for (int l = 0; l < all.length; l++) {
        this.layers[l] = all[l].newWorkspace(capacity, stepCapacity);
        widest = Math.max(widest, all[l].outputWidth());
      }
      long size = widest * capacity * stepCapacity;
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("A block of " + capacity + " rows of " + stepCapacity
            + " steps needs more than 2^31 floats per buffer; use a smaller blockSize");
      }
      deltaA = new float[(int) size];
      deltaB = new float[(int) size];
    }

    @Override
    public int capacity() {
      return capacity;
    }
  }
}
