package io.sparkbackprop.nn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.RecurrentNetwork.Architecture;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.RecurrentCell;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.testing.EngineFixtures;
import io.sparkbackprop.testing.SequenceFixtures;
import org.junit.jupiter.api.Test;

/**
 * The Fisher estimate is the weighted mean of squared per-example gradients. The reference takes
 * each example's gradient from the whole block with every other example's weight set to 0 (so it
 * does not share {@link FisherSum}'s way of cutting single examples out of a block).
 */
class FisherSumTest {

  @Test
  void feedForwardMatchesPerExampleGradients() {
    Network network = new FeedForwardNetwork(new int[] {5, 6, 3}, Activation.TANH,
        new SoftmaxCrossEntropy(null));
    float[] params = EngineFixtures.params(network, 3);
    DataBlock block = EngineFixtures.classificationBlock(11, 9, 5, 3);
    assertClose(reference(network, params, block),
        new FisherSum().add(network, params, block, 1.0, 0).mean());
  }

  @Test
  void recurrentMatchesPerSequenceGradientsForSequenceAndStepTargets() {
    for (boolean perStep : new boolean[] {false, true}) {
      Architecture a = new Architecture(3, false, 0, RecurrentCell.GRU, 4, 1, false, 0, 0,
          perStep, 2, 5);
      Network network = new RecurrentNetwork(a, new SoftmaxCrossEntropy(null), null);
      float[] params = EngineFixtures.params(network, 5);
      DataBlock block = SequenceFixtures.numeric(21, 6, 5, 3, true, 2, perStep);
      assertClose(reference(network, params, block),
          new FisherSum().add(network, params, block, 1.0, 0).mean());
    }
  }

  @Test
  void mergingPartsEqualsOneSumAndValidationBlocksAreSkipped() {
    Network network = new FeedForwardNetwork(new int[] {4, 3}, Activation.TANH,
        new SoftmaxCrossEntropy(null));
    float[] params = EngineFixtures.params(network, 1);
    DataBlock a = EngineFixtures.classificationBlock(1, 7, 4, 3);
    DataBlock b = EngineFixtures.classificationBlock(2, 5, 4, 3);
    DataBlock held = new DataBlock(3, 5, 4, b.features(), 1, b.targets(), b.weights(), true);
    FisherSum together = new FisherSum().add(network, params, a, 1.0, 0)
        .add(network, params, b, 1.0, 0).add(network, params, held, 1.0, 0);
    FisherSum merged = new FisherSum().add(network, params, a, 1.0, 0)
        .merge(new FisherSum().add(network, params, b, 1.0, 0));
    assertEquals(12, together.examples());
    assertClose(together.mean(), merged.mean());
    assertNull(new FisherSum().add(network, params, held, 1.0, 0).mean());
  }

  @Test
  void sampleFractionKeepsAReproducibleSubset() {
    Network network = new FeedForwardNetwork(new int[] {4, 3}, Activation.TANH,
        new SoftmaxCrossEntropy(null));
    float[] params = EngineFixtures.params(network, 1);
    DataBlock block = EngineFixtures.classificationBlock(4, 400, 4, 3);
    FisherSum half = new FisherSum().add(network, params, block, 0.5, 9);
    assertTrue(half.examples() > 150 && half.examples() < 250, "kept " + half.examples());
    assertClose(half.mean(), new FisherSum().add(network, params, block, 0.5, 9).mean());
  }

  /** sum_j (G_j)^2 / W_j over examples j, divided by sum_j W_j (G_j: the gradient of j alone). */
  private static double[] reference(Network network, float[] params, DataBlock block) {
    int columns = block.targetColumns();
    int rows = block.rows();
    boolean perStep = columns != rows;
    double[] squares = new double[network.paramCount()];
    double total = 0;
    for (int j = 0; j < rows; j++) {
      float[] weights = new float[columns];
      double weight = 0;
      for (int c = 0; c < columns; c++) {
        if ((perStep ? c % rows : c) == j) {
          weights[c] = block.weights()[c];
          weight += weights[c];
        }
      }
      if (weight == 0) {
        continue;
      }
      DataBlock alone = DataBlock.sequences(block.id(), block.shape(), block.featureWidth(),
          block.features(), block.targetWidth(), perStep, block.targets(), weights, false);
      float[] gradient = new float[network.paramCount()];
      network.lossAndGradient(params, alone, gradient,
          network.newWorkspace(rows, block.shape().steps()));
      for (int i = 0; i < squares.length; i++) {
        squares[i] += (double) gradient[i] * gradient[i] / weight;
      }
      total += weight;
    }
    for (int i = 0; i < squares.length; i++) {
      squares[i] /= total;
    }
    return squares;
  }

  private static void assertClose(double[] expected, double[] actual) {
    assertEquals(expected.length, actual.length);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertTrue(scale > 0);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * scale, "entry " + i);
    }
  }
}
