package io.sparkbackprop.nn.layer;

import io.sparkbackprop.nn.data.BatchShape;
import java.io.Serializable;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * One stage of a network. A layer owns a contiguous slice of the network's flat parameter vector
 * (from an offset the network gives it, {@link #paramCount()} entries), maps a block of input
 * columns to a block of output columns, and on the way back turns the gradient with respect to its
 * output into the gradient with respect to its input while adding its parameter gradient.
 *
 * <p>Blocks are column-major {@code width x columns} float arrays whose columns are organised by a
 * {@link BatchShape} (one column per row, or time-major steps of sequences). Layers are immutable
 * descriptions, cheap to serialize; everything that changes per block lives in the layer's
 * {@link LayerWorkspace}, created once per task, so the per-block loop allocates nothing.
 */
public interface Layer extends Serializable {

  /** Features per input column. */
  int inputWidth();

  /** Features per output column. */
  int outputWidth();

  /** Entries of the parameter slice this layer owns (0 for parameter-free layers). */
  int paramCount();

  /** The shape of the output for an input of {@code input}'s shape. */
  default BatchShape outputShape(BatchShape input) {
    return input;
  }

  /** Writes freshly initialised parameters (reproducible for a given {@code rng} state). */
  void initialize(double[] params, int offset, Random rng);

  /**
   * Whether entry {@code index} of this layer's slice is a weight that regularisation applies to
   * (biases and other offsets are not).
   */
  default boolean isRegularized(int index) {
    return false;
  }

  /** Names entry {@code index} of this layer's slice (for gradient-check reports and errors). */
  default String describeParam(int index) {
    return "entry " + index;
  }

  /** Whether the layer draws training noise (dropout), so inference may skip it. */
  default boolean isTrainingNoise() {
    return false;
  }

  /** Scratch space for blocks of at most {@code maxRows} rows of at most {@code maxSteps} steps. */
  LayerWorkspace newWorkspace(int maxRows, int maxSteps);

  /**
   * Forward pass.
   *
   * @param input {@code inputWidth() x shape.columns()}
   * @param noise training noise, drawn in a fixed order; null at inference
   * @return the output, {@code outputWidth() x outputShape(shape).columns()}: a workspace buffer
   *     (or {@code input} itself for layers that pass it through), valid until the next forward
   */
  float[] forward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, SplittableRandom noise);

  /**
   * Backward pass for the block of the last {@link #forward} with this workspace.
   *
   * @param input the same input that forward received
   * @param outputDelta dLoss/dOutput; the layer may overwrite it
   * @param gradient receives this layer's parameter gradient, added (not written) at
   *     {@code offset}, since parameters shared across time steps sum their contributions; null to
   *     skip it (input gradients only)
   * @param inputDelta receives (overwrites) dLoss/dInput, or null when nobody needs it
   */
  void backward(float[] params, int offset, float[] input, BatchShape shape,
      LayerWorkspace workspace, float[] outputDelta, float[] gradient, float[] inputDelta);
}
