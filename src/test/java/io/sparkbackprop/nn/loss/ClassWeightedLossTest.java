package io.sparkbackprop.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.testing.EngineFixtures;
import io.sparkbackprop.testing.GradientCheck;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SoftmaxCrossEntropy} with class weights: the same as the unweighted loss with every row's
 * weight multiplied by its class's weight, and a correct gradient.
 */
class ClassWeightedLossTest {
  private static final double[] CLASS_WEIGHTS = {0.25, 3.0, 1.0, 0.0};

  /** The block with each row weight multiplied (in float, as the loss does) by its class weight. */
  private static DataBlock rowWeighted(DataBlock block, double[] classWeights) {
    float[] weights = new float[block.rows()];
    for (int j = 0; j < block.rows(); j++) {
      weights[j] = block.weights()[j] * (float) classWeights[(int) block.targets()[j]];
    }
    return new DataBlock(block.id(), block.rows(), block.featureWidth(), block.features(),
        block.targetWidth(), block.targets(), weights);
  }

  /** Rows of every class (labels 0..classes-1 in turn), with non-unit instance weights. */
  private static DataBlock everyClass(long seed, int rows, int inputs, int classes) {
    DataBlock block = EngineFixtures.classificationBlock(seed, rows, inputs, classes);
    float[] targets = new float[rows];
    for (int j = 0; j < rows; j++) {
      targets[j] = j % classes;
    }
    return new DataBlock(block.id(), rows, inputs, block.features(), 1, targets, block.weights());
  }

  @Test
  void lossAndDeltaEqualTheUnweightedLossWithRowWeightsTimesClassWeights() {
    int width = CLASS_WEIGHTS.length;
    int rows = 12;
    Random rng = new Random(3);
    float[] logits = EngineFixtures.gaussian(rng, width * rows, 2.0);
    DataBlock block = everyClass(4, rows, 1, width);
    float[] weightedDelta = new float[width * rows];
    float[] plainDelta = new float[width * rows];
    double weighted = new SoftmaxCrossEntropy(CLASS_WEIGHTS).lossAndDelta(logits, width,
        block.targets(), block.weights(), rows, weightedDelta);
    DataBlock reweighted = rowWeighted(block, CLASS_WEIGHTS);
    double plain = new SoftmaxCrossEntropy().lossAndDelta(logits, width, reweighted.targets(),
        reweighted.weights(), rows, plainDelta);
    assertEquals(plain, weighted, 1e-12 * Math.abs(plain));
    assertArrayEquals(plainDelta, weightedDelta, 1e-7f);

    // And the weights really matter: the unweighted loss differs.
    double unweighted = new SoftmaxCrossEntropy().lossAndDelta(logits, width, block.targets(),
        block.weights(), rows, plainDelta);
    assertTrue(Math.abs(unweighted - weighted) > 1e-3 * Math.abs(unweighted));
    // Rows of a class with weight 0 contribute no delta at all.
    for (int j = 3; j < rows; j += width) {
      for (int i = 0; i < width; i++) {
        assertEquals(0f, weightedDelta[j * width + i], "row " + j + " of the zero-weight class");
      }
    }
  }

  @ParameterizedTest(name = "{0} hidden activation")
  @ValueSource(strings = {"TANH", "RELU", "SIGMOID"})
  void networkLossAndGradientEqualTheRowWeightedOnes(String activation) {
    int[] sizes = {5, 7, 4};
    double[] classWeights = {0.5, 2.5, 1.0, 0.0};
    FeedForwardNetwork weighted = new FeedForwardNetwork(sizes, Activation.valueOf(activation),
        new SoftmaxCrossEntropy(classWeights));
    FeedForwardNetwork plain = new FeedForwardNetwork(sizes, Activation.valueOf(activation),
        new SoftmaxCrossEntropy());
    DataBlock block = everyClass(8, 16, 5, 4);
    float[] params = EngineFixtures.params(plain, 8);
    float[] gw = new float[plain.paramCount()];
    float[] gp = new float[plain.paramCount()];
    double lw = weighted.lossAndGradient(params, block, gw, weighted.newWorkspace(16));
    double lp = plain.lossAndGradient(params, rowWeighted(block, classWeights), gp,
        plain.newWorkspace(16));
    assertEquals(lp, lw, 1e-9 * Math.abs(lp));
    assertArrayEquals(gp, gw, 1e-6f);

    float[] unweighted = new float[plain.paramCount()];
    plain.lossAndGradient(params, block, unweighted, plain.newWorkspace(16));
    assertFalse(Arrays.equals(unweighted, gw), "class weights changed nothing");
  }

  @Test
  void allOnesClassWeightsEqualNoWeighting() {
    FeedForwardNetwork ones = new FeedForwardNetwork(new int[] {4, 5, 3}, Activation.TANH,
        new SoftmaxCrossEntropy(new double[] {1, 1, 1}));
    FeedForwardNetwork none = new FeedForwardNetwork(new int[] {4, 5, 3}, Activation.TANH,
        new SoftmaxCrossEntropy());
    DataBlock block = EngineFixtures.classificationBlock(2, 9, 4, 3);
    float[] params = EngineFixtures.params(none, 2);
    float[] g1 = new float[none.paramCount()];
    float[] g2 = new float[none.paramCount()];
    assertEquals(none.lossAndGradient(params, block, g2, none.newWorkspace(9)),
        ones.lossAndGradient(params, block, g1, ones.newWorkspace(9)), 0.0);
    assertArrayEquals(g2, g1);
  }

  @Test
  void gradientCheckPassesWithClassWeights() {
    for (int[] sizes : new int[][] {{4, 6, 3}, {5, 4, 4, 3}, {3, 3}}) {
      int classes = sizes[sizes.length - 1];
      double[] classWeights = new double[classes];
      for (int c = 0; c < classes; c++) {
        classWeights[c] = 0.3 + 1.7 * c;
      }
      FeedForwardNetwork net = new FeedForwardNetwork(sizes, Activation.TANH,
          new SoftmaxCrossEntropy(classWeights));
      DataBlock block = everyClass(sizes.length, 8, sizes[0], classes);
      GradientCheck.Result result = GradientCheck.create().checkParams(net,
          EngineFixtures.params(net, sizes.length), block);
      assertTrue(result.passes(), Arrays.toString(sizes) + ": " + result);
      assertEquals(net.paramCount(), result.checked());
    }
  }

  @Test
  void gradientCheckPassesWithClassWeightsAndDropoutTogether() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {4, 8, 6, 3}, Activation.SIGMOID,
        new SoftmaxCrossEntropy(new double[] {2.0, 0.5, 1.0}), null, new double[] {0.3, 0.5});
    DataBlock block = everyClass(17, 9, 4, 3);
    GradientCheck.Result result = GradientCheck.create().checkParams(net, EngineFixtures.params(net, 17),
        block);
    assertTrue(result.passes(), result::toString);
  }

  @Test
  void invalidClassWeightsAreRejected() {
    for (double[] bad : new double[][] {{1, -0.5}, {1, Double.NaN}, {Double.POSITIVE_INFINITY, 1}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new SoftmaxCrossEntropy(bad), Arrays.toString(bad));
      assertTrue(e.getMessage().contains("Class weights"), e.getMessage());
    }
  }

  @Test
  void aLabelWithoutAClassWeightIsRejected() {
    SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(new double[] {1, 2});
    float[] logits = {0.1f, 0.2f, 0.3f};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> loss.lossAndDelta(logits, 3, new float[] {2f}, new float[] {1f}, 1, new float[3]));
    assertTrue(e.getMessage().contains("class weight"), e.getMessage());
  }
}
