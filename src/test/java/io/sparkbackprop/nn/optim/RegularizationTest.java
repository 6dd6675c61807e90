package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The elastic-net penalty against its definition, weight by weight. */
class RegularizationTest {

  @Test
  void penaltyAndGradientFollowTheDefinitionOnWeightsAndSkipBiases() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {5, 7, 3, 2}, Activation.TANH,
        new SoftmaxCrossEntropy());
    Random rng = new Random(3);
    double[] weights = new double[net.paramCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = rng.nextGaussian();
    }
    weights[4] = 0;
    for (double l1Ratio : new double[] {0, 0.3, 1}) {
      double regParam = 0.05;
      double[] gradient = new double[weights.length];
      java.util.Arrays.fill(gradient, 0.25);
      double penalty = new Regularization(net, regParam, l1Ratio).apply(weights, gradient);

      double expectedPenalty = 0;
      double[] expectedGradient = new double[weights.length];
      int regularized = 0;
      for (int i = 0; i < weights.length; i++) {
        expectedGradient[i] = 0.25;
        if (net.isRegularized(i)) {
          regularized++;
          double w = weights[i];
          expectedPenalty += regParam * ((1 - l1Ratio) / 2 * w * w + l1Ratio * Math.abs(w));
          expectedGradient[i] += regParam * ((1 - l1Ratio) * w + l1Ratio * Math.signum(w));
        }
      }
      assertTrue(regularized > 0 && regularized < weights.length, "weights, not biases");
      assertEquals(expectedPenalty, penalty, 1e-12, "l1Ratio " + l1Ratio);
      assertArrayEquals(expectedGradient, gradient, 1e-12, "l1Ratio " + l1Ratio);
    }
    // regParam 0: no penalty, the gradient is left as it is.
    double[] gradient = {0.5, -0.5, 0.25, 0.125};
    FeedForwardNetwork small = new FeedForwardNetwork(new int[] {1, 2}, Activation.IDENTITY,
        new SoftmaxCrossEntropy());
    assertEquals(0, new Regularization(small, 0, 0).apply(new double[] {3, -3, 1, 1}, gradient));
    assertArrayEquals(new double[] {0.5, -0.5, 0.25, 0.125}, gradient);
  }
}
