package io.sparkbackprop.nn;

import java.util.List;

/**
 * The objective over blocks held in this JVM: the single-machine reference the distributed trainer is
 * tested against, and a quick way to train small networks without Spark.
 */
public final class LocalObjective implements Objective {
  private final Network network;
  private final List<DataBlock> blocks;
  private final BlockSampler sampler;
  private final int capacity;

  public LocalObjective(Network network, List<DataBlock> blocks, BlockSampler sampler) {
    this.network = network;
    this.blocks = List.copyOf(blocks);
    this.sampler = sampler;
    this.capacity = blocks.stream().mapToInt(DataBlock::rows).max().orElse(1);
  }

  @Override
  public Network network() {
    return network;
  }

  @Override
  public GradientSum evaluate(double[] weights, int draw, Progress progress) {
    float[] params = FloatArrays.fromDoubles(weights);
    GradientSum sum = new GradientSum();
    for (DataBlock block : blocks) {
      if (sampler.includes(draw, block.id())) {
        sum.add(network, params, block, capacity);
      }
    }
    return sum;
  }
}
