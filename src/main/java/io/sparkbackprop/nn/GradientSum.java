package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * What one {@code treeAggregate} sums: the gradient of the weighted loss (in double, so summing many
 * blocks and partitions loses nothing), the weighted loss, the weight and the row count. Each task gets
 * its own copy of the empty zero value and lazily allocates its arrays and network workspace on the
 * first block, then reuses them for every block of the partition.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] gradient;
  private double loss;
  private double weightSum;
  private long rows;
  private transient float[] blockGradient;
  private transient NetworkWorkspace workspace;

  public GradientSum add(Network network, float[] params, DataBlock block, int capacity) {
    if (gradient == null) {
      gradient = new double[network.paramCount()];
    }
    if (blockGradient == null) {
      blockGradient = new float[network.paramCount()];
      workspace = network.newWorkspace(capacity);
    }
    loss += network.lossAndGradient(params, block, blockGradient, workspace);
    float[] g = blockGradient;
    double[] sum = gradient;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += g[i];
    }
    weightSum += block.weightSum();
    rows += block.rows();
    return this;
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
    return this;
  }

  /** Summed gradient, or null if no block was seen. */
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
}
