package io.sparkbackprop.nn;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.linalg.FloatArrays;
import java.io.Serializable;

/**
 * A network together with trained weights, ready for inference. Immutable and thread-safe: each
 * thread predicting single rows gets its own scratch space. Serializable so it can travel inside the
 * closures Spark ships to executors; the float copy of the weights is rebuilt after deserialization.
 */
public final class FittedNetwork implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Network network;
  private final double[] weights;
  private final transient float[] floatWeights;
  private final transient ThreadLocal<RowScratch> rowScratch;
  private final transient ThreadLocal<NetworkWorkspace[]> blockWorkspace;
  private final transient ThreadLocal<SequenceScratch> sequenceWorkspace;

  public FittedNetwork(Network network, double[] weights) {
    if (weights.length != network.paramCount()) {
      throw new IllegalArgumentException("The network needs " + network.paramCount()
          + " weights, got " + weights.length);
    }
    this.network = network;
    this.weights = weights.clone();
    this.floatWeights = FloatArrays.fromDoubles(weights);
    this.rowScratch = ThreadLocal.withInitial(() -> new RowScratch(network));
    this.blockWorkspace = ThreadLocal.withInitial(() -> new NetworkWorkspace[1]);
    this.sequenceWorkspace = ThreadLocal.withInitial(SequenceScratch::new);
  }

  private Object readResolve() {
    return new FittedNetwork(network, weights);
  }

  public Network network() {
    return network;
  }

  /** A copy of the weights. */
  public double[] weights() {
    return weights.clone();
  }

  /**
   * Raw outputs (logits, or values in trained units) for one row.
   *
   * @param input reads {@code inputWidth()} values into the given buffer
   * @return a new array of {@code outputWidth()} raw outputs
   */
  public double[] predictRaw(RowSource input) {
    RowScratch scratch = rowScratch.get();
    java.util.Arrays.fill(scratch.input, 0f);
    input.copyTo(scratch.input);
    float[] out = network.forward(floatWeights, scratch.input, 1, scratch.workspace);
    double[] result = new double[network.outputWidth()];
    for (int i = 0; i < result.length; i++) {
      result[i] = out[i];
    }
    return result;
  }

  /**
   * Raw outputs for a block of rows ({@code inputWidth() x rows}, column-major). Returns a buffer of
   * {@code outputWidth() x rows} owned by this thread's workspace, valid until its next call.
   */
  public float[] forwardBlock(float[] features, int rows) {
    NetworkWorkspace[] holder = blockWorkspace.get();
    if (holder[0] == null || holder[0].capacity() < rows) {
      holder[0] = network.newWorkspace(rows);
    }
    return network.forward(floatWeights, features, rows, holder[0]);
  }

  /**
   * Raw outputs for a block of sequences ({@code inputWidth() x shape.columns()}, time-major), one
   * column per row or per step as the network gives them. Returns a buffer owned by this thread's
   * workspace, valid until its next call; the workspace grows to the longest block seen.
   */
  public float[] forwardBlock(float[] features, BatchShape shape) {
    SequenceScratch scratch = sequenceWorkspace.get();
    if (scratch.workspace == null || scratch.rows < shape.rows() || scratch.steps < shape.steps()) {
      scratch.rows = Math.max(scratch.rows, shape.rows());
      scratch.steps = Math.max(scratch.steps, shape.steps());
      scratch.workspace = network.newWorkspace(scratch.rows, scratch.steps);
    }
    return network.forward(floatWeights, features, shape, scratch.workspace);
  }

  /** The workspace of a thread's sequence blocks and what it holds. */
  private static final class SequenceScratch {
    NetworkWorkspace workspace;
    int rows;
    int steps;
  }

  /** Writes one row's features into a zeroed float buffer of the network's input width. */
  @FunctionalInterface
  public interface RowSource {
    void copyTo(float[] buffer);
  }

  private static final class RowScratch {
    final float[] input;
    final NetworkWorkspace workspace;

    RowScratch(Network network) {
      input = new float[network.inputWidth()];
      workspace = network.newWorkspace(1);
    }
  }
}
