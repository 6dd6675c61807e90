package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import java.util.List;

/**
 * One partition's share of a local-steps round (opt-in {@code localSteps > 1}): starting from the
 * broadcast weights, take {@code steps} plain SGD steps of {@code stepSize}, each on one of the
 * partition's training blocks drawn at random, and report the weight change as a pseudo-gradient
 * {@code (w0 - w) / stepSize}, weighted by the rows it saw. The driver averages these, so solver
 * {@code gd} with the same step size moves to the average of the partitions' weights (model
 * averaging) and {@code momentum}/{@code nesterov} add momentum across rounds. One Spark job then
 * does {@code steps} updates' work, which matters when job overhead dominates.
 */
public final class LocalSteps {
  private LocalSteps() {}

  /**
   * @param blocks the partition's blocks (validation blocks are only evaluated, at {@code w0})
   * @param w0 the broadcast weights (not modified)
   */
  public static GradientSum round(Network network, List<DataBlock> blocks, float[] w0, int steps,
      double stepSize, BlockSampler sampler, int draw, int partition, boolean validate,
      int capacity) {
    GradientSum sum = new GradientSum();
    int training = 0;
    for (DataBlock block : blocks) {
      if (block.isValidation()) {
        if (validate) {
          sum.addValidation(network, w0, block, capacity);
        }
      } else {
        training++;
      }
    }
    if (training == 0) {
      return sum;
    }
    DataBlock[] trainingBlocks = blocks.stream().filter(b -> !b.isValidation())
        .toArray(DataBlock[]::new);
    int n = network.paramCount();
    float[] w = w0.clone();
    float[] gradient = new float[n];
    NetworkWorkspace workspace = network.newWorkspace(capacity);
    double lossSum = 0;
    double weightSum = 0;
    long rows = 0;
    for (int step = 0; step < steps; step++) {
      DataBlock block = trainingBlocks[sampler.pick(draw, partition, step, trainingBlocks.length)];
      double blockWeight = block.weightSum();
      lossSum += network.lossAndGradient(w, block, gradient, workspace,
          sampler.noiseSeed(draw * steps + step, block.id()));
      weightSum += blockWeight;
      rows += block.rows();
      if (blockWeight > 0) {
        float rate = (float) (stepSize / blockWeight);
        for (int i = 0; i < n; i++) {
          w[i] -= rate * gradient[i];
        }
      }
    }
    double[] pseudoGradient = new double[n];
    double scale = weightSum / stepSize;
    for (int i = 0; i < n; i++) {
      pseudoGradient[i] = scale * ((double) w0[i] - w[i]);
    }
    return sum.addTotals(pseudoGradient, lossSum, weightSum, rows);
  }

  /** The single-JVM reference of a local-steps round over several partitions. */
  public static GradientSum round(Network network, List<List<DataBlock>> partitions, float[] w0,
      int steps, double stepSize, BlockSampler sampler, int draw, boolean validate, int capacity) {
    GradientSum total = new GradientSum();
    for (int p = 0; p < partitions.size(); p++) {
      total.merge(round(network, partitions.get(p), w0, steps, stepSize, sampler, draw, p, validate,
          capacity));
    }
    return total;
  }
}
