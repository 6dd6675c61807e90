package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.linalg.ElementwiseKernels;
import io.sparkbackprop.nn.loss.Loss;
import java.io.Serializable;

/**
 * What one evaluation of the objective sums: over training blocks, the gradient of the weighted loss
 * (in double, so summing many blocks and partitions loses nothing), the weighted loss, the weight and
 * the row count; over validation blocks (when asked), the weighted loss, weight and correctly
 * predicted weight. Each task gets its own copy of the empty zero value and lazily allocates its
 * arrays and network workspace on the first block, then reuses them for every block of the partition.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] gradient;
  private double loss;
  private double weightSum;
  private long rows;
  private double validationLoss;
  private double validationWeight;
  private double validationCorrect;
  private transient float[] blockGradient;
  private transient float[] scratchDelta;
  private transient NetworkWorkspace workspace;

  /** Adds a training block's loss and gradient (training noise seeded by the block id). */
  public GradientSum add(Network network, float[] params, DataBlock block, int capacity) {
    return add(network, params, block, capacity, block.id());
  }

  /** Adds a training block's loss and gradient, with training noise drawn from {@code noiseSeed}. */
  public GradientSum add(Network network, float[] params, DataBlock block, int capacity,
      long noiseSeed) {
    if (gradient == null) {
      gradient = new double[network.paramCount()];
    }
    if (blockGradient == null) {
      blockGradient = new float[network.paramCount()];
    }
    loss += network.lossAndGradient(params, block, blockGradient, workspace(network, capacity),
        noiseSeed);
    ElementwiseKernels.addWidened(ElementwiseKernels.VECTORISED, blockGradient, gradient,
        gradient.length);
    weightSum += block.weightSum();
    rows += block.rows();
    return this;
  }

  /**
   * Adds totals computed elsewhere (a local-steps round): a gradient-like vector already weighted by
   * {@code weightSum}, a summed loss, the weight and rows behind them.
   */
  public GradientSum addTotals(double[] weightedGradient, double lossSum, double weight, long rowCount) {
    if (gradient == null) {
      gradient = weightedGradient.clone();
    } else {
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] += weightedGradient[i];
      }
    }
    loss += lossSum;
    weightSum += weight;
    rows += rowCount;
    return this;
  }

  /**
   * An empty sum that reuses this one's per-block scratch (block gradient, workspace), so a caller
   * that sums the same blocks every iteration allocates them once. The totals and the summed
   * gradient start afresh; this sum must no longer be added to.
   */
  public GradientSum emptyWithSameScratch() {
    GradientSum next = new GradientSum();
    next.blockGradient = blockGradient;
    next.scratchDelta = scratchDelta;
    next.workspace = workspace;
    return next;
  }

  /** Adds a validation block's loss and correct predictions (forward pass only). */
  public GradientSum addValidation(Network network, float[] params, DataBlock block, int capacity) {
    int width = network.outputWidth();
    int columns = block.targetColumns();
    if (scratchDelta == null || scratchDelta.length < width * columns) {
      scratchDelta = new float[width * Math.max(columns, capacity)];
    }
    float[] output = network.forward(params, block.features(), block.shape(),
        workspace(network, capacity));
    Loss lossFunction = network.loss();
    validationLoss += lossFunction.lossAndDelta(output, width, block.targets(), block.weights(),
        columns, scratchDelta);
    validationCorrect += lossFunction.correctWeight(output, width, block.targets(), block.weights(),
        columns);
    validationWeight += block.weightSum();
    return this;
  }

  private NetworkWorkspace workspace(Network network, int capacity) {
    if (workspace == null) {
      workspace = network.newWorkspace(capacity);
    }
    return workspace;
  }

  public GradientSum merge(GradientSum other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient;
      } else {
        for (int i = 0; i < gradient.length; i++) {
          gradient[i] += other.gradient[i];
        }
      }
    }
    loss += other.loss;
    weightSum += other.weightSum;
    rows += other.rows;
    validationLoss += other.validationLoss;
    validationWeight += other.validationWeight;
    validationCorrect += other.validationCorrect;
    return this;
  }

  /** Summed gradient, or null if no training block was seen. */
  public double[] gradient() {
    return gradient;
  }

  public double loss() {
    return loss;
  }

  public double weightSum() {
    return weightSum;
  }

  public long rows() {
    return rows;
  }

  public double validationLoss() {
    return validationLoss;
  }

  public double validationWeight() {
    return validationWeight;
  }

  /** Weight of validation rows predicted exactly (NaN for losses without accuracy). */
  public double validationCorrect() {
    return validationCorrect;
  }
}
