package io.sparkbackprop.nn;

import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.loss.Loss;
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

  /** Width of one input column (a row, or one time step of a sequence). */
  int inputWidth();

  /** Width of the raw output (number of classes, or of regression targets). */
  int outputWidth();

  /** The loss the network is trained on. */
  Loss loss();

  /** The shape of the output for an input of {@code input}'s shape. */
  default BatchShape outputShape(BatchShape input) {
    return input;
  }

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
   * Scratch space for blocks of up to {@code maxRows} rows of up to {@code maxSteps} time steps
   * (networks without time steps ignore it).
   */
  default NetworkWorkspace newWorkspace(int maxRows, int maxSteps) {
    return newWorkspace(maxRows);
  }

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
   * Forward pass only, without training noise. Returns the workspace buffer holding the raw outputs,
   * {@code outputWidth() x outputShape(shape).columns()} column-major; it is overwritten by the next
   * call.
   */
  float[] forward(float[] params, float[] features, BatchShape shape, NetworkWorkspace workspace);

  /** {@link #forward(float[], float[], BatchShape, NetworkWorkspace)} for {@code rows} plain rows. */
  default float[] forward(float[] params, float[] features, int rows, NetworkWorkspace workspace) {
    return forward(params, features, BatchShape.rows(rows), workspace);
  }

  /**
   * The gradient of the block's summed weighted loss with respect to its input features (no
   * training noise), written into {@code inputGradient} ({@code inputWidth() x columns}).
   *
   * @return the block's summed weighted loss
   */
  default double lossAndInputGradient(float[] params, DataBlock block, float[] inputGradient,
      NetworkWorkspace workspace) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not compute input gradients");
  }

  /**
   * The gradient with respect to the input of {@code sum(outputDelta * output)} (no training
   * noise): with a one-hot {@code outputDelta} it is the gradient of one output, the basis of
   * saliency attributions.
   *
   * @param outputDelta {@code outputWidth() x outputShape(shape).columns()}
   * @param inputGradient receives {@code inputWidth() x shape.columns()}
   */
  default void inputGradient(float[] params, float[] features, BatchShape shape,
      float[] outputDelta, NetworkWorkspace workspace, float[] inputGradient) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not compute input gradients");
  }

  /**
   * The gradient with respect to the input of a scalar function of the outputs that depends on
   * the outputs themselves (a softmax probability, say): one forward pass, then {@code target}
   * writes {@code dF/dOutput} from the outputs it sees, then the backward pass (no training
   * noise). Saves the second forward pass a fixed {@code outputDelta} would need.
   *
   * @param inputGradient receives {@code inputWidth() x shape.columns()}
   */
  default void inputGradient(float[] params, float[] features, BatchShape shape,
      OutputGradient target, NetworkWorkspace workspace, float[] inputGradient) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not compute input gradients");
  }

  /** Writes the gradient of a scalar function of the network's outputs with respect to them. */
  @FunctionalInterface
  interface OutputGradient {
    /**
     * @param outputs the raw outputs of the forward pass, {@code outputWidth() x
     *     outputShape.columns()}
     * @param delta receives {@code dF/dOutput} in the same layout; it is zero on entry
     */
    void write(float[] outputs, BatchShape outputShape, float[] delta);
  }
}
