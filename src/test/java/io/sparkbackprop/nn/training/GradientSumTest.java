package io.sparkbackprop.nn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.testing.EngineFixtures;
import org.junit.jupiter.api.Test;

/** Summing blocks one by one and merging partial sums give the same totals. */
class GradientSumTest {
  private static final FeedForwardNetwork NET =
      new FeedForwardNetwork(new int[] {3, 4, 2}, Activation.SIGMOID, new SoftmaxCrossEntropy());
  private static final float[] PARAMS = EngineFixtures.params(NET, 1);
  private static final DataBlock A = EngineFixtures.classificationBlock(1, 6, 3, 2);
  private static final DataBlock B = EngineFixtures.classificationBlock(2, 4, 3, 2);

  @Test
  void addAccumulatesLossGradientWeightAndRows() {
    GradientSum sum = new GradientSum().add(NET, PARAMS, A, 6).add(NET, PARAMS, B, 6);
    float[] ga = new float[NET.paramCount()];
    float[] gb = new float[NET.paramCount()];
    double la = NET.lossAndGradient(PARAMS, A, ga, NET.newWorkspace(6));
    double lb = NET.lossAndGradient(PARAMS, B, gb, NET.newWorkspace(4));
    assertEquals(la + lb, sum.loss(), 1e-12);
    assertEquals(A.weightSum() + B.weightSum(), sum.weightSum(), 1e-12);
    assertEquals(10, sum.rows());
    for (int i = 0; i < ga.length; i++) {
      assertEquals((double) ga[i] + gb[i], sum.gradient()[i], 1e-12, "entry " + i);
    }
  }

  @Test
  void mergeEqualsAddingEverythingIntoOneSum() {
    GradientSum direct = new GradientSum().add(NET, PARAMS, A, 6).add(NET, PARAMS, B, 6);
    GradientSum merged = new GradientSum().add(NET, PARAMS, A, 6)
        .merge(new GradientSum().add(NET, PARAMS, B, 6));
    assertArrayEquals(direct.gradient(), merged.gradient(), 0.0);
    assertEquals(direct.loss(), merged.loss(), 0.0);
    assertEquals(direct.weightSum(), merged.weightSum(), 0.0);
    assertEquals(direct.rows(), merged.rows());
  }

  @Test
  void emptySumsMergeAsZero() {
    GradientSum empty = new GradientSum();
    assertNull(empty.gradient());
    GradientSum full = new GradientSum().add(NET, PARAMS, A, 6);
    double[] before = full.gradient().clone();
    full.merge(new GradientSum());
    assertArrayEquals(before, full.gradient(), 0.0);
    GradientSum adopted = new GradientSum().merge(full);
    assertArrayEquals(before, adopted.gradient(), 0.0);
    assertEquals(full.loss(), adopted.loss(), 0.0);
    assertEquals(6, adopted.rows());
  }
}
