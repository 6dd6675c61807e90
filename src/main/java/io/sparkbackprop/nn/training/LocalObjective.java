package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.linalg.FloatArrays;
import java.util.List;

/**
 * The objective over blocks held in this JVM: the single-machine reference the distributed trainer is
 * tested against, and a quick way to train small networks without Spark. Blocks marked as validation
 * blocks are evaluated, never trained on.
 */
public final class LocalObjective implements Objective {
  private final Network network;
  private final List<DataBlock> blocks;
  private final BlockSampler sampler;
  private final int capacity;
  private final boolean hasValidation;

  public LocalObjective(Network network, List<DataBlock> blocks, BlockSampler sampler) {
    this.network = network;
    this.blocks = List.copyOf(blocks);
    this.sampler = sampler;
    this.capacity = blocks.stream().mapToInt(DataBlock::rows).max().orElse(1);
    this.hasValidation = blocks.stream().anyMatch(DataBlock::isValidation);
  }

  @Override
  public Network network() {
    return network;
  }

  @Override
  public boolean hasValidation() {
    return hasValidation;
  }

  @Override
  public GradientSum evaluate(double[] weights, int draw, boolean validate, Progress progress) {
    float[] params = FloatArrays.fromDoubles(weights);
    GradientSum sum = new GradientSum();
    for (DataBlock block : blocks) {
      BlockEvaluation.add(sum, network, params, block, capacity, sampler, draw, validate);
    }
    return sum;
  }
}
