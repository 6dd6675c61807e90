package io.sparkbackprop.nn.explain;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.linalg.FloatArrays;
import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Attributions of a fitted network's explained output to its input features, a block at a time:
 * one forward pass picks each row's target (e.g. its predicted class), then every gradient the
 * method needs is one forward and backward pass of the whole block through the network's own
 * layers, the input standardisation included, so attributions are with respect to the raw
 * features. Works on blocks of rows and on time-major blocks of sequences (every valid step gets
 * attributions; padding gets zeros).
 *
 * <p>Immutable and serializable; each thread gets its own scratch space, which grows to the
 * largest block it has seen.
 */
public final class InputAttribution implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Network network;
  private final double[] weights;
  private final ExplainedOutput output;
  private final AttributionSettings settings;
  private transient volatile float[] params;
  private transient volatile ThreadLocal<Scratch> scratch;

  public InputAttribution(Network network, double[] weights, ExplainedOutput output,
      AttributionSettings settings) {
    if (weights.length != network.paramCount()) {
      throw new IllegalArgumentException("The network needs " + network.paramCount()
          + " weights, got " + weights.length);
    }
    int width = network.inputWidth();
    if (settings.baseline() != null && settings.baseline().length != width) {
      throw new IllegalArgumentException("The baseline has " + settings.baseline().length
          + " values but the network reads " + width + " features");
    }
    if (settings.noiseScale() != null && settings.noiseScale().length != width) {
      throw new IllegalArgumentException("The noise scale has " + settings.noiseScale().length
          + " values but the network reads " + width + " features");
    }
    this.network = network;
    this.weights = weights.clone();
    this.output = output;
    this.settings = settings;
  }

  public Network network() {
    return network;
  }

  public AttributionSettings settings() {
    return settings;
  }

  /**
   * Attributions for one block.
   *
   * @param features {@code inputWidth x shape.columns()}, column-major (time-major for sequences)
   * @param attributions receives the attributions in the same layout (zeros on padding)
   * @param values receives, per row, the explained output at the row's input (at least
   *     {@code shape.rows()} entries); may be null
   * @param targets receives, per row, the target chosen (the class explained); may be null
   */
  public void attribute(float[] features, BatchShape shape, float[] attributions, double[] values,
      int[] targets) {
    Scratch s = scratch(shape);
    float[] p = params();
    int width = network.inputWidth();
    int k = network.outputWidth();
    int rows = shape.rows();
    int size = width * shape.columns();
    float[] outputs = network.forward(p, features, shape, s.workspace);
    BatchShape outputShape = network.outputShape(shape);
    boolean perStep = outputShape.columns() != rows;
    for (int j = 0; j < rows; j++) {
      // A sequence output is explained at the row's last step: the prediction after reading it all.
      int column = perStep ? (shape.length(j) - 1) * rows + j : j;
      s.offsets[j] = column * k;
      s.targets[j] = output.choose(outputs, s.offsets[j], k);
      if (values != null) {
        values[j] = output.value(outputs, s.offsets[j], k, s.targets[j]);
      }
    }
    if (targets != null) {
      System.arraycopy(s.targets, 0, targets, 0, rows);
    }
    Network.OutputGradient target = (out, ignored, delta) -> {
      for (int j = 0; j < rows; j++) {
        output.gradient(out, s.offsets[j], k, s.targets[j], delta);
      }
    };
    switch (settings.method()) {
      case SALIENCY:
        network.inputGradient(p, features, shape, target, s.workspace, s.gradient);
        System.arraycopy(s.gradient, 0, attributions, 0, size);
        break;
      case GRADIENT_TIMES_INPUT:
        network.inputGradient(p, features, shape, target, s.workspace, s.gradient);
        for (int i = 0; i < size; i++) {
          attributions[i] = s.gradient[i] * features[i];
        }
        break;
      case INTEGRATED_GRADIENTS:
        integratedGradients(features, shape, target, s, attributions);
        break;
      case SMOOTH_GRAD:
        smoothGrad(features, shape, target, s, attributions);
        break;
      default:
        throw new IllegalStateException("Unknown method " + settings.method());
    }
    zeroPadding(shape, width, attributions);
  }

  /**
   * {@code (x - b) * mean_m grad f(b + alpha_m (x - b))} with {@code alpha_m = (m - 1/2) / steps}:
   * the midpoint rule, whose error falls with the square of {@code steps}.
   */
  private void integratedGradients(float[] x, BatchShape shape, Network.OutputGradient target,
      Scratch s, float[] attributions) {
    int width = network.inputWidth();
    int size = width * shape.columns();
    double[] b = settings.baseline();
    int steps = settings.steps();
    Arrays.fill(s.sum, 0, size, 0);
    for (int m = 0; m < steps; m++) {
      double alpha = (m + 0.5) / steps;
      for (int n = 0; n < size; n++) {
        int i = n % width;
        s.point[n] = (float) (b[i] + alpha * (x[n] - b[i]));
      }
      network.inputGradient(params(), s.point, shape, target, s.workspace, s.gradient);
      for (int n = 0; n < size; n++) {
        s.sum[n] += s.gradient[n];
      }
    }
    for (int n = 0; n < size; n++) {
      int i = n % width;
      attributions[n] = (float) ((x[n] - b[i]) * s.sum[n] / steps);
    }
  }

  /** The gradient averaged over noisy copies; each row's noise is seeded by its own values. */
  private void smoothGrad(float[] x, BatchShape shape, Network.OutputGradient target, Scratch s,
      float[] attributions) {
    int width = network.inputWidth();
    int rows = shape.rows();
    int size = width * shape.columns();
    double[] sigma = settings.noiseScale();
    SplittableRandom[] random = new SplittableRandom[rows];
    for (int j = 0; j < rows; j++) {
      random[j] = new SplittableRandom(BlockSampler.mix64(settings.seed() ^ rowHash(x, shape, j)));
    }
    Arrays.fill(s.sum, 0, size, 0);
    for (int sample = 0; sample < settings.samples(); sample++) {
      System.arraycopy(x, 0, s.point, 0, size);
      for (int j = 0; j < rows; j++) {
        for (int t = 0, length = shape.length(j); t < length; t++) {
          int base = (t * rows + j) * width;
          for (int i = 0; i < width; i++) {
            s.point[base + i] += (float) (sigma[i] * random[j].nextGaussian());
          }
        }
      }
      network.inputGradient(params(), s.point, shape, target, s.workspace, s.gradient);
      for (int n = 0; n < size; n++) {
        s.sum[n] += s.gradient[n];
      }
    }
    for (int n = 0; n < size; n++) {
      attributions[n] = (float) (s.sum[n] / settings.samples());
    }
  }

  /** A hash of a row's valid values, so its noise does not depend on its place in a block. */
  private long rowHash(float[] x, BatchShape shape, int j) {
    int width = network.inputWidth();
    int rows = shape.rows();
    long h = shape.length(j);
    for (int t = 0, length = shape.length(j); t < length; t++) {
      int base = (t * rows + j) * width;
      for (int i = 0; i < width; i++) {
        h = BlockSampler.mix64(h * 31 + Float.floatToIntBits(x[base + i]));
      }
    }
    return h;
  }

  private static void zeroPadding(BatchShape shape, int width, float[] attributions) {
    if (!shape.hasPadding()) {
      return;
    }
    int rows = shape.rows();
    for (int t = 0; t < shape.steps(); t++) {
      for (int j = 0; j < rows; j++) {
        if (!shape.isValid(t, j)) {
          int base = (t * rows + j) * width;
          Arrays.fill(attributions, base, base + width, 0f);
        }
      }
    }
  }

  private float[] params() {
    float[] p = params;
    if (p == null) {
      p = FloatArrays.fromDoubles(weights);
      params = p;
    }
    return p;
  }

  private Scratch scratch(BatchShape shape) {
    ThreadLocal<Scratch> local = scratch;
    if (local == null) {
      synchronized (this) {
        if (scratch == null) {
          scratch = new ThreadLocal<>();
        }
        local = scratch;
      }
    }
    Scratch s = local.get();
    if (s == null || s.rows < shape.rows() || s.steps < shape.steps()) {
      int rows = Math.max(shape.rows(), s == null ? 0 : s.rows);
      int steps = Math.max(shape.steps(), s == null ? 0 : s.steps);
      s = new Scratch(network, rows, steps);
      local.set(s);
    }
    return s;
  }

  /** Buffers for blocks of up to {@code rows} rows of {@code steps} steps. */
  private static final class Scratch {
    final int rows;
    final int steps;
    final NetworkWorkspace workspace;
    final float[] point;
    final float[] gradient;
    final double[] sum;
    final int[] offsets;
    final int[] targets;

    Scratch(Network network, int rows, int steps) {
      this.rows = rows;
      this.steps = steps;
      this.workspace = network.newWorkspace(rows, steps);
      int size = network.inputWidth() * rows * steps;
      point = new float[size];
      gradient = new float[size];
      sum = new double[size];
      offsets = new int[rows];
      targets = new int[rows];
    }
  }
}
