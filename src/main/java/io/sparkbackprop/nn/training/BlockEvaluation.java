package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;

/**
 * What an evaluation does with one block, shared by the local and the distributed objective so both
 * sample and validate identically.
 */
public final class BlockEvaluation {
  private BlockEvaluation() {}

  public static GradientSum add(GradientSum sum, Network network, float[] params, DataBlock block,
      int capacity, BlockSampler sampler, int draw, boolean validate) {
    if (block.isValidation()) {
      return validate ? sum.addValidation(network, params, block, capacity) : sum;
    }
    return sampler.includes(draw, block.id())
        ? sum.add(network, params, block, capacity, sampler.noiseSeed(draw, block.id())) : sum;
  }
}
