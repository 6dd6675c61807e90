package io.sparkbackprop.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.testing.EngineFixtures;
import org.junit.jupiter.api.Test;

/** Loss values and output gradients on hand-computed examples, softmax stability, target scaling. */
class LossTest {

  private static float[] delta(int n) {
    return new float[n];
  }

  @Test
  void softmaxCrossEntropyHandExample() {
    // Logits (1, 2, 3), class 2, weight 2: loss 2 (log(e + e^2 + e^3) - 3), delta 2 (p - onehot).
    float[] d = delta(3);
    double loss = new SoftmaxCrossEntropy().lossAndDelta(new float[] {1, 2, 3}, 3, new float[] {2},
        new float[] {2}, 1, d);
    assertEquals(0.8152119288887603, loss, 1e-6);
    assertArrayEquals(new float[] {0.18006115f, 0.48945694f, -0.66951809f}, d, 1e-6f);
  }

  @Test
  void softmaxCrossEntropyUsesEachRowsOwnLabelAndWeight() {
    // Two rows of two classes: (0, 0) class 1 weight 1, then (2, 0) class 0 weight 3.
    float[] d = delta(4);
    double loss = new SoftmaxCrossEntropy().lossAndDelta(new float[] {0, 0, 2, 0}, 2,
        new float[] {1, 0}, new float[] {1, 3}, 2, d);
    double p = 1 / (1 + Math.exp(-2)); // probability of class 0 in row 2
    assertEquals(Math.log(2) + 3 * -Math.log(p), loss, 1e-6);
    assertArrayEquals(new float[] {0.5f, -0.5f, (float) (3 * (p - 1)), (float) (3 * (1 - p))}, d,
        1e-6f);
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    float[] logits = {1e4f, 0f, -1e4f, 1e4f, 1e4f, 1e4f};
    float[] d = delta(6);
    // Row 1 predicts class 0 with certainty; its label is 1. Row 2 ties three classes.
    double total = loss.lossAndDelta(logits, 3, new float[] {1, 2}, new float[] {1, 1}, 2, d);
    assertEquals(1e4 + Math.log(3), total, 1e-6 * 1e4);
    assertTrue(EngineFixtures.allFinite(d));
    assertArrayEquals(new float[] {1f, -1f, 0f, 1f / 3, 1f / 3, -2f / 3}, d, 1e-6f);

    float[] correct = delta(3);
    double zero = loss.lossAndDelta(new float[] {1e4f, 0f, -1e4f}, 3, new float[] {0},
        new float[] {1}, 1, correct);
    assertEquals(0.0, zero, 1e-12);
    assertArrayEquals(new float[] {0f, 0f, 0f}, correct, 1e-12f);

    float[] probabilities = logits.clone();
    loss.transformOutput(probabilities, 3, 2);
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f / 3, 1f / 3, 1f / 3}, probabilities, 1e-6f);

    double[] doubles = {1e300, 1e300, -1e300};
    SoftmaxCrossEntropy.softmaxInPlace(doubles);
    assertArrayEquals(new double[] {0.5, 0.5, 0}, doubles, 1e-15);
  }

  @Test
  void softmaxTransformGivesColumnsThatSumToOne() {
    float[] logits = {0.3f, -1.2f, 2.5f, 0f, 0f, 0f, -7f, 4f, 0.1f};
    float[] p = logits.clone();
    new SoftmaxCrossEntropy().transformOutput(p, 3, 3);
    for (int j = 0; j < 3; j++) {
      double sum = 0;
      double norm = 0;
      for (int i = 0; i < 3; i++) {
        norm += Math.exp(logits[j * 3 + i]);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(Math.exp(logits[j * 3 + i]) / norm, p[j * 3 + i], 1e-6);
        sum += p[j * 3 + i];
      }
      assertEquals(1.0, sum, 1e-6);
    }
  }

  @Test
  void squaredErrorHandExample() {
    // Outputs (1, 2), targets (0, 4), weight 3: loss 0.5 * 3 * (1 + 4), delta 3 * (1, -2).
    float[] d = delta(2);
    double loss = new SquaredError().lossAndDelta(new float[] {1, 2}, 2, new float[] {0, 4},
        new float[] {3}, 1, d);
    assertEquals(7.5, loss, 1e-12);
    assertArrayEquals(new float[] {3, -6}, d, 0f);
  }

  @Test
  void squaredErrorWeighsRowsNotEntries() {
    // Width 2, two rows with weights 1 and 10: the second row's residuals count ten times.
    float[] d = delta(4);
    double loss = new SquaredError().lossAndDelta(new float[] {1, 0, 0, 2}, 2,
        new float[] {0, 0, 0, 0}, new float[] {1, 10}, 2, d);
    assertEquals(0.5 * 1 + 0.5 * 10 * 4, loss, 1e-12);
    assertArrayEquals(new float[] {1, 0, 0, 20}, d, 0f);
  }

  @Test
  void squaredErrorStandardisesTargets() {
    // Center 10, scale 2: targets (12, 6) become (1, -2); outputs (1, 2) leave residuals (0, 4).
    SquaredError loss = new SquaredError(new TargetScaling(10, 2));
    float[] d = delta(2);
    double value = loss.lossAndDelta(new float[] {1, 2}, 2, new float[] {12, 6}, new float[] {3}, 1,
        d);
    assertEquals(24.0, value, 1e-12);
    assertArrayEquals(new float[] {0, 12}, d, 0f);
    // And maps outputs back to label units.
    float[] out = {1, 2};
    loss.transformOutput(out, 2, 1);
    assertArrayEquals(new float[] {12, 14}, out, 0f);
  }

  @Test
  void huberHandExampleCoversBothRegimes() {
    // Threshold 1, weight 2: residual 0.5 is quadratic (0.125), residual -3 linear (1 * (3 - 0.5)).
    float[] d = delta(2);
    double loss = new HuberLoss(1).lossAndDelta(new float[] {0.5f, -3f}, 2, new float[] {0, 0},
        new float[] {2}, 1, d);
    assertEquals(2 * (0.125 + 2.5), loss, 1e-12);
    assertArrayEquals(new float[] {1f, -2f}, d, 0f);
  }

  @Test
  void huberIsContinuousWithContinuousSlopeAtItsThreshold() {
    HuberLoss huber = new HuberLoss(0.75);
    float[] below = delta(1);
    float[] above = delta(1);
    float r = 0.75f;
    double lossBelow = huber.lossAndDelta(new float[] {r}, 1, new float[] {0}, new float[] {1}, 1,
        below);
    double lossAbove = huber.lossAndDelta(new float[] {Math.nextUp(r)}, 1, new float[] {0},
        new float[] {1}, 1, above);
    assertEquals(0.5 * 0.75 * 0.75, lossBelow, 1e-7);
    assertEquals(lossBelow, lossAbove, 1e-6);
    assertEquals(below[0], above[0], 1e-6f);
    // Far out, the pull is bounded by the threshold whatever the residual.
    float[] far = delta(2);
    huber.lossAndDelta(new float[] {1e6f, -1e6f}, 2, new float[] {0, 0}, new float[] {1}, 1, far);
    assertArrayEquals(new float[] {0.75f, -0.75f}, far, 0f);
  }

  @Test
  void huberMeasuresResidualsInStandardisedUnits() {
    // Center 100, scale 10: target 130 becomes 3; output 0 gives residual -3, linear for threshold 1.
    HuberLoss huber = new HuberLoss(1, new TargetScaling(100, 10));
    float[] d = delta(1);
    double loss = huber.lossAndDelta(new float[] {0}, 1, new float[] {130}, new float[] {0.5f}, 1, d);
    assertEquals(0.5 * (3 - 0.5), loss, 1e-6);
    assertArrayEquals(new float[] {-0.5f}, d, 0f);
    float[] out = {0.5f};
    huber.transformOutput(out, 1, 1);
    assertEquals(105f, out[0]);
  }

  @Test
  void huberRejectsBadThresholds() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new HuberLoss(bad));
      assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    }
  }

  @Test
  void targetWidths() {
    assertEquals(1, new SoftmaxCrossEntropy().targetWidth(7));
    assertEquals(7, new SquaredError().targetWidth(7));
    assertEquals(7, new HuberLoss(1).targetWidth(7));
  }

  @Test
  void targetScalingUnscalesInPlaceOnlyTheFirstLenValues() {
    TargetScaling scaling = new TargetScaling(5, 3);
    float[] values = {0, 1, -2, 42};
    scaling.unscale(values, 3);
    assertArrayEquals(new float[] {5, 8, -1, 42}, values, 0f);
    float[] untouched = {0.25f, -7f};
    TargetScaling.NONE.unscale(untouched, 2);
    assertArrayEquals(new float[] {0.25f, -7f}, untouched, 0f);
    // Unscaling inverts the standardisation the losses apply.
    TargetScaling s = TargetScaling.standardizing(1234.5, 56.7);
    float[] trained = {(float) ((1300 - 1234.5) / 56.7)};
    s.unscale(trained, 1);
    assertEquals(1300f, trained[0], 1e-3f);
  }

  @Test
  void targetScalingValidatesAndFallsBackForConstantLabels() {
    assertEquals(new TargetScaling(3, 1), TargetScaling.standardizing(3, 0));
    assertEquals(new TargetScaling(3, 1), TargetScaling.standardizing(3, Double.NaN));
    assertEquals(new TargetScaling(3, 2), TargetScaling.standardizing(3, 2));
    double[][] bad = {{0, 0}, {0, -1}, {Double.NaN, 1}, {Double.POSITIVE_INFINITY, 1},
        {0, Double.POSITIVE_INFINITY}, {0, Double.NaN}};
    for (double[] b : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new TargetScaling(b[0], b[1]));
      assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }
  }
}
