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
    if (!uses(block, sampler, draw, validate)) {
      return sum;
    }
    return block.isValidation() ? sum.addValidation(network, params, block, capacity)
        : sum.add(network, params, block, capacity, sampler.noiseSeed(draw, block.id()));
  }

  /**
   * Whether an evaluation uses the block: a training block when the draw samples it, a validation
   * block when the evaluation validates.
   */
  public static boolean uses(DataBlock block, BlockSampler sampler, int draw, boolean validate) {
    return block.isValidation() ? validate : sampler.includes(draw, block.id());
  }
}
