package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * A trainable network as the trainer sees it: a shape, a flat parameter vector and a loss. All weights
 * live in one array whose layout the network owns, so gradients, optimizer state and saved models are
 * all plain vectors of {@link #paramCount()} entries, whatever the architecture.
 *
 * <p>Implementations are immutable descriptions (no weights inside) and cheap to serialize, since they
 * travel to every task.
 */
public interface Network extends Serializable {

  /** Number of entries of the flat parameter vector. */
  int paramCount();

  /** Width of one input row. */
  int inputWidth();

  /** Width of the raw output (number of classes, or of regression targets). */
  int outputWidth();

  /** The loss the network is trained on. */
  Loss loss();

  /** Freshly initialised parameters, reproducible for a given seed. */
  double[] initialParams(long seed);

  /**
   * Whether parameter {@code index} is a weight that regularisation (L2, L1, weight decay) applies to;
   * biases are not.
   */
  boolean isRegularized(int index);

  /** Scratch space for blocks of up to {@code maxRows} rows. */
  NetworkWorkspace newWorkspace(int maxRows);

  /**
   * Forward and backward pass over one block.
   *
   * @param gradient receives (overwrites) the gradient of the block's summed weighted loss, laid out
   *     like the parameters
   * @return the block's summed weighted loss
   */
  double lossAndGradient(float[] params, DataBlock block, float[] gradient, NetworkWorkspace workspace);

  /**
   * The same pass with training noise (dropout masks) drawn from {@code noiseSeed}, so every
   * iteration sees fresh masks while a given seed reproduces them exactly. Networks without training
   * noise ignore the seed.
   */
  default double lossAndGradient(float[] params, DataBlock block, float[] gradient,
      NetworkWorkspace workspace, long noiseSeed) {
    return lossAndGradient(params, block, gradient, workspace);
  }

  /**
   * Forward pass only. Returns the workspace buffer holding the raw outputs, {@code outputWidth() x
   * rows} column-major; it is overwritten by the next call.
   */
  float[] forward(float[] params, float[] features, int rows, NetworkWorkspace workspace);
}
