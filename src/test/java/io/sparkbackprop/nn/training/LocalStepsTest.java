package io.sparkbackprop.nn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.BlockSampler;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The local-steps round against SGD written out by hand. */
class LocalStepsTest {
  private static final FeedForwardNetwork NET =
      new FeedForwardNetwork(new int[] {3, 5, 2}, Activation.TANH, new SoftmaxCrossEntropy());

  private static List<DataBlock> blocks(int count, int rows, long seed) {
    Random random = new Random(seed);
    List<DataBlock> blocks = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      float[] x = new float[3 * rows];
      float[] y = new float[rows];
      float[] w = new float[rows];
      for (int j = 0; j < rows; j++) {
        for (int i = 0; i < 3; i++) {
          x[j * 3 + i] = (float) random.nextGaussian();
        }
        y[j] = x[j * 3] > 0 ? 1 : 0;
        w[j] = 1 + random.nextInt(2);
      }
      blocks.add(new DataBlock(seed * 100 + b, rows, 3, x, 1, y, w));
    }
    return blocks;
  }

  @Test
  void onePartitionRoundIsPlainSgdOnTheSampledBlocks() {
    List<DataBlock> blocks = blocks(4, 6, 1);
    float[] w0 = FloatArrays.fromDoubles(NET.initialParams(2));
    BlockSampler sampler = new BlockSampler(1.0, 9);
    int steps = 5;
    double stepSize = 0.3;
    GradientSum sum = LocalSteps.round(NET, blocks, w0, steps, stepSize, sampler, 3, 0, false, 6);

    float[] w = w0.clone();
    float[] g = new float[NET.paramCount()];
    double weight = 0;
    double loss = 0;
    for (int step = 0; step < steps; step++) {
      DataBlock block = blocks.get(sampler.pick(3, 0, step, blocks.size()));
      loss += NET.lossAndGradient(w, block, g, NET.newWorkspace(6));
      weight += block.weightSum();
      for (int i = 0; i < w.length; i++) {
        w[i] -= (float) (stepSize / block.weightSum()) * g[i];
      }
    }
    double[] expected = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      expected[i] = weight / stepSize * ((double) w0[i] - w[i]);
    }
    assertArrayEquals(expected, sum.gradient(), 1e-9);
    assertEquals(weight, sum.weightSum(), 0.0);
    assertEquals(loss, sum.loss(), 1e-9);
  }

  @Test
  void gradientDescentOnThePseudoGradientAveragesThePartitionsWeights() {
    List<List<DataBlock>> partitions = List.of(blocks(3, 5, 3), blocks(2, 7, 4));
    float[] w0 = FloatArrays.fromDoubles(NET.initialParams(5));
    BlockSampler sampler = new BlockSampler(1.0, 11);
    double stepSize = 0.2;
    GradientSum total = LocalSteps.round(NET, partitions, w0, 4, stepSize, sampler, 0, false, 7);
    // The driver divides by the weight and takes a gd step of stepSize: the weighted average.
    double[] next = new double[w0.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = w0[i] - stepSize * total.gradient()[i] / total.weightSum();
    }
    double[] average = new double[w0.length];
    double weights = 0;
    for (int p = 0; p < 2; p++) {
      GradientSum part = LocalSteps.round(NET, partitions.get(p), w0, 4, stepSize, sampler, 0, p,
          false, 7);
      weights += part.weightSum();
      for (int i = 0; i < average.length; i++) {
        double local = w0[i] - stepSize * part.gradient()[i] / part.weightSum();
        average[i] += part.weightSum() * local;
      }
    }
    for (int i = 0; i < average.length; i++) {
      average[i] /= weights;
    }
    assertArrayEquals(average, next, 1e-6);
  }
}
