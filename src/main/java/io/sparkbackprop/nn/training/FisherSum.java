package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import java.io.Serializable;

/**
 * The diagonal of the empirical Fisher information, summed over training blocks: for each example
 * (a row, or a sequence) the gradient of its mean loss (the negative log-likelihood, for softmax
 * cross-entropy and squared error) at the given weights, squared entry by entry, weighted by the
 * example's weight; {@link #mean()} divides by the total weight. Per-example gradients are exact:
 * each example goes through the network as a block of its own, so the cost is one single-row
 * forward and backward pass per example plus two passes over the parameter vector. Validation
 * blocks are skipped.
 */
public final class FisherSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] squares;
  private double weight;
  private long examples;
  private transient float[] gradient;
  private transient NetworkWorkspace workspace;
  private transient int workspaceSteps;

  /**
   * Adds the examples of one block.
   *
   * @param fraction share of the examples used, each kept or not by a hash of (seed, block id,
   *     position), so a sample does not depend on scheduling
   */
  public FisherSum add(Network network, float[] params, DataBlock block, double fraction,
      long seed) {
    if (block.isValidation()) {
      return this;
    }
    int size = network.paramCount();
    if (squares == null) {
      squares = new double[size];
    }
    if (gradient == null) {
      gradient = new float[size];
    }
    BatchShape shape = block.shape();
    int rows = shape.rows();
    int width = block.featureWidth();
    int targetWidth = block.targetWidth();
    boolean perStep = block.targetColumns() != rows;
    int blockPart = (int) (block.id() ^ (block.id() >>> 32));
    for (int j = 0; j < rows; j++) {
      if (fraction < 1 && BlockSampler.unitInterval(seed, blockPart, j) >= fraction) {
        continue;
      }
      int length = shape.length(j);
      int columns = perStep ? length : 1;
      float[] features = new float[width * length];
      for (int t = 0; t < length; t++) {
        System.arraycopy(block.features(), (t * rows + j) * width, features, t * width, width);
      }
      float[] targets = new float[targetWidth * columns];
      float[] weights = new float[columns];
      double exampleWeight = 0;
      for (int c = 0; c < columns; c++) {
        int source = perStep ? c * rows + j : j;
        System.arraycopy(block.targets(), source * targetWidth, targets, c * targetWidth,
            targetWidth);
        weights[c] = block.weights()[source];
        exampleWeight += weights[c];
      }
      if (!(exampleWeight > 0)) {
        continue;
      }
      DataBlock one = shape.steps() == 1 && !perStep
          ? new DataBlock(block.id(), 1, width, features, targetWidth, targets, weights)
          : DataBlock.sequences(block.id(), BatchShape.sequences(1, length, null), width, features,
              targetWidth, perStep, targets, weights, false);
      // The gradient of the example's weighted loss is W times that of its mean loss g:
      // W g^2 = G^2 / W.
      network.lossAndGradient(params, one, gradient, workspace(network, length));
      double inverse = 1.0 / exampleWeight;
      double[] s = squares;
      float[] g = gradient;
      for (int i = 0; i < size; i++) {
        s[i] += (double) g[i] * g[i] * inverse;
      }
      weight += exampleWeight;
      examples++;
    }
    return this;
  }

  private NetworkWorkspace workspace(Network network, int steps) {
    if (workspace == null || steps > workspaceSteps) {
      workspaceSteps = Math.max(steps, workspaceSteps);
      workspace = network.newWorkspace(1, workspaceSteps);
    }
    return workspace;
  }

  public FisherSum merge(FisherSum other) {
    if (other.squares != null) {
      if (squares == null) {
        squares = other.squares;
      } else {
        for (int i = 0; i < squares.length; i++) {
          squares[i] += other.squares[i];
        }
      }
    }
    weight += other.weight;
    examples += other.examples;
    return this;
  }

  /** The weighted mean of the squared per-example gradients, or null if no example was seen. */
  public double[] mean() {
    if (squares == null || !(weight > 0)) {
      return null;
    }
    double[] mean = new double[squares.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = squares[i] / weight;
    }
    return mean;
  }

  /** Total weight of the examples used. */
  public double weight() {
    return weight;
  }

  /** Number of examples used. */
  public long examples() {
    return examples;
  }
}
