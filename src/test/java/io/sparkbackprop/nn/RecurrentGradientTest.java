package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.RecurrentNetwork.Architecture;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.layer.RecurrentCell;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.testing.GradientCheck;
import io.sparkbackprop.testing.SequenceFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through time against finite differences: every cell, one and two directions,
 * one output per sequence or per step, padded rows, stacking, dropout between layers, token
 * embeddings, input standardisation, and truncation.
 */
class RecurrentGradientTest {
  private static final GradientCheck CHECK = GradientCheck.create();
  private static final int STEPS = 5;
  private static final int ROWS = 3;
  private static final int WIDTH = 3;
  private static final int CLASSES = 3;

  static Stream<Arguments> cellsAndLayouts() {
    List<Arguments> cases = new ArrayList<>();
    for (RecurrentCell cell : RecurrentCell.values()) {
      for (boolean bidirectional : new boolean[] {false, true}) {
        for (boolean perStep : new boolean[] {false, true}) {
          cases.add(Arguments.of(cell, bidirectional, perStep));
        }
      }
    }
    return cases.stream();
  }

  private static Architecture numeric(RecurrentCell cell, int layers, boolean bidirectional,
      boolean perStep, int bptt, int outputs) {
    return new Architecture(WIDTH, false, 0, cell, 4, layers, bidirectional, 0, bptt, perStep,
        outputs, STEPS);
  }

  private static void assertPasses(GradientCheck.Result result) {
    assertTrue(result.passes(), result::toString);
    assertEquals(0, result.skipped(), result::toString);
  }

  @ParameterizedTest(name = "{0}, bidirectional {1}, per step {2}")
  @MethodSource("cellsAndLayouts")
  void everyCellBackpropagatesThroughTimeWithPadding(RecurrentCell cell, boolean bidirectional,
      boolean perStep) {
    RecurrentNetwork net = new RecurrentNetwork(numeric(cell, 1, bidirectional, perStep, 0,
        CLASSES), new SoftmaxCrossEntropy(), null);
    DataBlock block = SequenceFixtures.numeric(11 + cell.ordinal(), ROWS, STEPS, WIDTH, true,
        CLASSES, perStep);
    double[] params = net.initialParams(3);
    assertPasses(CHECK.checkParams(net, params, block));
    assertPasses(CHECK.checkInputs(net, params, block));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RecurrentCell.class)
  void stackedBidirectionalLayersWithStandardisedInputsRegressPerStep(RecurrentCell cell) {
    InputScaling scaling = new InputScaling(new double[] {0.5, -1, 2}, new double[] {2, 0.5, 1});
    RecurrentNetwork net = new RecurrentNetwork(numeric(cell, 2, true, true, 0, 1),
        new SquaredError(), scaling);
    DataBlock block = SequenceFixtures.numeric(21 + cell.ordinal(), ROWS, STEPS, WIDTH, true, 0,
        true);
    double[] params = net.initialParams(5);
    assertPasses(CHECK.checkParams(net, params, block));
    assertPasses(CHECK.checkInputs(net, params, block));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RecurrentCell.class)
  void tokenEmbeddingsBackpropagate(RecurrentCell cell) {
    Architecture a = new Architecture(7, true, 3, cell, 4, 2, false, 0, 0, false, CLASSES, STEPS);
    RecurrentNetwork net = new RecurrentNetwork(a, new SoftmaxCrossEntropy(), null);
    DataBlock block = SequenceFixtures.tokens(31 + cell.ordinal(), 4, STEPS, 7, true, CLASSES,
        false);
    assertPasses(CHECK.checkParams(net, net.initialParams(7), block));
  }

  @Test
  void dropoutBetweenLayersBackpropagatesThroughItsSeededMask() {
    Architecture a = new Architecture(WIDTH, false, 0, RecurrentCell.LSTM, 4, 2, true, 0.3, 0,
        true, CLASSES, STEPS);
    RecurrentNetwork net = new RecurrentNetwork(a, new SoftmaxCrossEntropy(), null);
    DataBlock block = SequenceFixtures.numeric(41, ROWS, STEPS, WIDTH, true, CLASSES, true);
    // The check evaluates every point with the block's id as noise seed: the same mask each time.
    assertPasses(CHECK.checkParams(net, net.initialParams(9), block));
  }

  /** Padding is invisible: changing its values changes neither the loss nor any gradient. */
  @ParameterizedTest(name = "{0}, bidirectional {1}, per step {2}")
  @MethodSource("cellsAndLayouts")
  void paddingReachesNeitherLossNorGradients(RecurrentCell cell, boolean bidirectional,
      boolean perStep) {
    RecurrentNetwork net = new RecurrentNetwork(numeric(cell, 2, bidirectional, perStep, 0,
        CLASSES), new SoftmaxCrossEntropy(), null);
    DataBlock block = SequenceFixtures.numeric(51, ROWS, STEPS, WIDTH, true, CLASSES, perStep);
    float[] params = FloatArrays.fromDoubles(net.initialParams(1));
    float[] gradient = new float[params.length];
    double loss = net.lossAndGradient(params, block, gradient, net.newWorkspace(ROWS));
    float[] inputGradient = new float[WIDTH * ROWS * STEPS];
    net.lossAndInputGradient(params, block, inputGradient, net.newWorkspace(ROWS));

    float[] other = block.features().clone();
    BatchShape shape = block.shape();
    int paddedValues = 0;
    for (int t = 0; t < STEPS; t++) {
      for (int j = 0; j < ROWS; j++) {
        if (!shape.isValid(t, j)) {
          for (int i = 0; i < WIDTH; i++) {
            other[(t * ROWS + j) * WIDTH + i] = -7f * (i + 1);
            assertEquals(0f, inputGradient[(t * ROWS + j) * WIDTH + i], "padding gradient");
            paddedValues++;
          }
        }
      }
    }
    assertTrue(paddedValues > 0, "the fixture must have padding");
    DataBlock repadded = DataBlock.sequences(block.id(), shape, WIDTH, other, 1, perStep,
        block.targets(), block.weights(), false);
    float[] otherGradient = new float[params.length];
    assertEquals(loss, net.lossAndGradient(params, repadded, otherGradient,
        net.newWorkspace(ROWS)));
    assertArrayEquals(gradient, otherGradient);
  }

  /**
   * A padded row gives the same loss and gradient as the same row alone, unpadded: the state
   * carried and the reverse direction's start both respect the row's length.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(RecurrentCell.class)
  void aPaddedRowEqualsTheSameRowAlone(RecurrentCell cell) {
    RecurrentNetwork net = new RecurrentNetwork(numeric(cell, 1, true, false, 0, CLASSES),
        new SoftmaxCrossEntropy(), null);
    int length = 3;
    float[] features = new float[WIDTH * 2 * STEPS];
    float[] alone = new float[WIDTH * length];
    java.util.Random rng = new java.util.Random(5);
    for (int t = 0; t < STEPS; t++) {
      for (int j = 0; j < 2; j++) {
        for (int i = 0; i < WIDTH; i++) {
          float v = (float) rng.nextGaussian();
          features[(t * 2 + j) * WIDTH + i] = v;
          if (j == 1 && t < length) {
            alone[t * WIDTH + i] = v;
          }
        }
      }
    }
    float[] params = FloatArrays.fromDoubles(net.initialParams(2));
    DataBlock both = DataBlock.sequences(1, BatchShape.sequences(2, STEPS, new int[] {STEPS,
        length}), WIDTH, features, 1, false, new float[] {0, 2}, new float[] {0, 1}, false);
    DataBlock single = DataBlock.sequences(1, BatchShape.sequences(1, length, null), WIDTH, alone,
        1, false, new float[] {2}, new float[] {1}, false);
    float[] g1 = new float[params.length];
    float[] g2 = new float[params.length];
    double l1 = net.lossAndGradient(params, both, g1, net.newWorkspace(2));
    double l2 = net.lossAndGradient(params, single, g2, net.newWorkspace(1));
    assertEquals(l2, l1, 1e-6 * Math.abs(l2));
    for (int i = 0; i < g1.length; i++) {
      assertEquals(g2[i], g1[i], 1e-5 * (1 + Math.abs(g2[i])), "parameter " + i);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(RecurrentCell.class)
  void truncationLongerThanTheSequenceIsFullBackpropagation(RecurrentCell cell) {
    DataBlock block = SequenceFixtures.numeric(61, ROWS, STEPS, WIDTH, true, CLASSES, true);
    float[] full = gradient(numeric(cell, 2, true, true, 0, CLASSES), block);
    float[] truncated = gradient(numeric(cell, 2, true, true, STEPS, CLASSES), block);
    assertArrayEquals(full, truncated);
    assertNotEquals(0, java.util.Arrays.compare(full,
        gradient(numeric(cell, 2, true, true, 2, CLASSES), block)), "truncation must matter");
  }

  private static float[] gradient(Architecture a, DataBlock block) {
    RecurrentNetwork net = new RecurrentNetwork(a, new SoftmaxCrossEntropy(), null);
    float[] params = FloatArrays.fromDoubles(net.initialParams(4));
    float[] g = new float[params.length];
    net.lossAndGradient(params, block, g, net.newWorkspace(block.rows()));
    return g;
  }

  /**
   * With {@code bpttSteps = k}, the gradient of a many-to-one loss is that of the last {@code k}
   * steps run from the state the earlier steps reached, held fixed: checked against finite
   * differences of exactly that function.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(RecurrentCell.class)
  void truncatedGradientIsTheGradientOfTheLastChunkFromAFixedState(RecurrentCell cell) {
    int steps = 7;
    int k = 3;
    Architecture truncated = new Architecture(WIDTH, false, 0, cell, 4, 1, false, 0, k, false,
        CLASSES, steps);
    RecurrentNetwork net = new RecurrentNetwork(truncated, new SoftmaxCrossEntropy(), null);
    DataBlock block = SequenceFixtures.numeric(71, ROWS, steps, WIDTH, false, CLASSES, false);
    float[] params = FloatArrays.fromDoubles(net.initialParams(6));
    float[] analytic = new float[params.length];
    net.lossAndGradient(params, block, analytic, net.newWorkspace(ROWS));

    ChunkLoss chunk = new ChunkLoss(cell, block, steps, k, params);
    float[] p = params.clone();
    double worst = 0;
    double largest = 0;
    for (float g : analytic) {
      largest = Math.max(largest, Math.abs(g));
    }
    for (int i = 0; i < p.length; i++) {
      float original = p[i];
      double h = 3e-3;
      p[i] = (float) (original + h);
      double plus = chunk.loss(p);
      p[i] = (float) (original - h);
      double minus = chunk.loss(p);
      p[i] = original;
      double numeric = (plus - minus) / ((double) (float) (original + h) - (float) (original - h));
      double error = Math.abs(numeric - analytic[i])
          / Math.max(Math.max(Math.abs(numeric), Math.abs(analytic[i])), 1e-2 * largest);
      worst = Math.max(worst, error);
    }
    assertTrue(worst < 2e-2, "worst relative error " + worst);
    // And it is not the full gradient.
    float[] full = gradient(new Architecture(WIDTH, false, 0, cell, 4, 1, false, 0, 0, false,
        CLASSES, steps), block);
    assertNotEquals(0, java.util.Arrays.compare(full, analytic));
  }

  /** The loss of the last k steps started from the state the first steps reach at fixed params. */
  private static final class ChunkLoss {
    final RecurrentNetwork suffixNet;
    final NetworkWorkspace workspace;
    final DataBlock suffix;

    ChunkLoss(RecurrentCell cell, DataBlock block, int steps, int k, float[] params) {
      int prefixSteps = steps - k;
      Architecture prefixA = new Architecture(WIDTH, false, 0, cell, 4, 1, false, 0, 0, false,
          CLASSES, prefixSteps);
      RecurrentNetwork prefixNet = new RecurrentNetwork(prefixA, new SoftmaxCrossEntropy(), null);
      NetworkWorkspace prefixWs = prefixNet.newWorkspace(ROWS);
      float[] features = block.features();
      float[] head = java.util.Arrays.copyOf(features, WIDTH * ROWS * prefixSteps);
      prefixNet.forward(params, head, BatchShape.sequences(ROWS, prefixSteps, null), prefixWs);
      float[] h = new float[4 * ROWS];
      float[] c = new float[4 * ROWS];
      io.sparkbackprop.nn.layer.RecurrentLayer layer =
          (io.sparkbackprop.nn.layer.RecurrentLayer) prefixNet.layers().get(0);
      layer.finalState(prefixNet.layerWorkspace(prefixWs, 0),
          BatchShape.sequences(ROWS, prefixSteps, null), 0, h, c);

      suffixNet = new RecurrentNetwork(new Architecture(WIDTH, false, 0, cell, 4, 1, false, 0, 0,
          false, CLASSES, k), new SoftmaxCrossEntropy(), null);
      workspace = suffixNet.newWorkspace(ROWS);
      ((io.sparkbackprop.nn.layer.RecurrentLayer) suffixNet.layers().get(0))
          .setInitialState(suffixNet.layerWorkspace(workspace, 0), 0, h, c);
      float[] tail = java.util.Arrays.copyOfRange(features, WIDTH * ROWS * prefixSteps,
          WIDTH * ROWS * steps);
      suffix = DataBlock.sequences(block.id(), BatchShape.sequences(ROWS, k, null), WIDTH, tail, 1,
          false, block.targets(), block.weights(), false);
    }

    double loss(float[] params) {
      float[] g = new float[params.length];
      return suffixNet.lossAndGradient(params, suffix, g, workspace);
    }
  }

  @Test
  void lstmForgetBiasStartsAtOneAndRecurrentWeightsAreOrthogonal() {
    int h = 4;
    Architecture a = new Architecture(WIDTH, false, 0, RecurrentCell.LSTM, h, 1, false, 0, 0,
        false, 2, STEPS);
    RecurrentNetwork net = new RecurrentNetwork(a, new SoftmaxCrossEntropy(), null);
    double[] p = net.initialParams(8);
    int g = 4 * h;
    int wh = g * WIDTH;
    int bias = wh + g * h;
    for (int i = 0; i < g; i++) {
      assertEquals(i >= h && i < 2 * h ? 1.0 : 0.0, p[bias + i], "bias " + i);
    }
    for (int gate = 0; gate < 4; gate++) {
      for (int c1 = 0; c1 < h; c1++) {
        for (int c2 = 0; c2 < h; c2++) {
          double dot = 0;
          for (int r = 0; r < h; r++) {
            dot += p[wh + c1 * g + gate * h + r] * p[wh + c2 * g + gate * h + r];
          }
          assertEquals(c1 == c2 ? 1.0 : 0.0, dot, 1e-9, "gate " + gate);
        }
      }
    }
  }

  @Test
  void regularisationSkipsBiasesOfEveryDirection() {
    Architecture a = new Architecture(WIDTH, false, 0, RecurrentCell.GRU, 2, 1, true, 0, 0, false,
        2, STEPS);
    RecurrentNetwork net = new RecurrentNetwork(a, new SquaredError(), null);
    int perDirection = 6 * (WIDTH + 2 + 1) + 2;
    int regularized = 0;
    for (int i = 0; i < 2 * perDirection; i++) {
      regularized += net.isRegularized(i) ? 1 : 0;
    }
    assertEquals(2 * 6 * (WIDTH + 2), regularized);
  }
}
