package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.HuberLoss;
import io.sparkbackprop.nn.loss.Loss;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.nn.loss.TargetScaling;
import io.sparkbackprop.testing.EngineFixtures;
import io.sparkbackprop.testing.GradientCheck;
import io.sparkbackprop.testing.TinyTanhNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagation through {@link FeedForwardNetwork} against finite differences, for every activation,
 * every loss and several shapes, always with non-unit instance weights.
 */
class NetworkGradientTest {
  private static final GradientCheck CHECK = GradientCheck.create();

  /** A network shape and the number of rows of the block it is checked on. */
  record Shape(String name, int[] sizes, int rows) {
    @Override
    public String toString() {
      return name + " " + Arrays.toString(sizes) + " x " + rows + " rows";
    }
  }

  private static final List<Shape> CLASSIFIER_SHAPES = List.of(
      new Shape("one row", new int[] {4, 5, 3}, 1),
      new Shape("no hidden layer", new int[] {4, 3}, 6),
      new Shape("three hidden layers", new int[] {5, 6, 4, 3, 2}, 7),
      new Shape("wide input", new int[] {40, 6, 3}, 5),
      new Shape("many classes, one hidden unit", new int[] {3, 1, 6}, 8));

  private static final List<Shape> REGRESSOR_SHAPES = List.of(
      new Shape("one row", new int[] {4, 5, 2}, 1),
      new Shape("width-1 output, no hidden layer", new int[] {3, 1}, 6),
      new Shape("width-1 output", new int[] {4, 5, 1}, 7),
      new Shape("two hidden layers", new int[] {5, 6, 4, 3}, 5));

  static Stream<Arguments> activationsAndShapes() {
    List<Arguments> cases = new ArrayList<>();
    for (Activation activation : Activation.values()) {
      for (Shape shape : CLASSIFIER_SHAPES) {
        cases.add(Arguments.of(activation, shape));
      }
    }
    return cases.stream();
  }

  private static void assertPasses(Network network, GradientCheck.Result result) {
    assertTrue(result.passes(), result::toString);
    assertEquals(network.paramCount(), result.checked() + result.skipped());
    // Kinks excuse a few entries, never most of them.
    assertTrue(result.skipped() <= network.paramCount() / 4, result::toString);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("activationsAndShapes")
  void everyActivationBackpropagatesThroughEveryClassifierShape(Activation activation,
      Shape shape) {
    int[] sizes = shape.sizes();
    FeedForwardNetwork net = new FeedForwardNetwork(sizes, activation, new SoftmaxCrossEntropy());
    long seed = 1000L * activation.ordinal() + sizes.length * 10 + shape.rows();
    DataBlock block = EngineFixtures.classificationBlock(seed, shape.rows(), sizes[0],
        sizes[sizes.length - 1]);
    assertPasses(net, CHECK.checkParams(net, EngineFixtures.params(net, seed), block));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void everyActivationBackpropagatesToTheInputs(Activation activation) {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {5, 6, 4, 3}, activation,
        new SoftmaxCrossEntropy());
    DataBlock block = EngineFixtures.classificationBlock(77 + activation.ordinal(), 4, 5, 3);
    GradientCheck.Result result = CHECK.checkInputs(net, EngineFixtures.params(net, 7), block);
    assertTrue(result.passes(), result::toString);
    assertTrue(result.checked() >= 15, result::toString);
  }

  /** A regression loss, the targets to pair with it, and which Huber regimes they must exercise. */
  record RegressionCase(String name, Loss loss, double center, double spread) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> lossesAndShapes() {
    TargetScaling scaling = new TargetScaling(50, 10);
    List<RegressionCase> losses = List.of(
        new RegressionCase("squared error", new SquaredError(), 0, 1),
        new RegressionCase("squared error, scaled targets", new SquaredError(scaling), 50, 20),
        new RegressionCase("Huber, quadratic regime", new HuberLoss(100), 0, 1),
        new RegressionCase("Huber, linear regime", new HuberLoss(0.05), 0, 6),
        new RegressionCase("Huber, both regimes", new HuberLoss(1.0), 0, 1.5),
        new RegressionCase("Huber, scaled targets", new HuberLoss(0.5, scaling), 50, 15));
    List<Arguments> cases = new ArrayList<>();
    for (RegressionCase loss : losses) {
      for (Shape shape : REGRESSOR_SHAPES) {
        cases.add(Arguments.of(loss, shape));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("lossesAndShapes")
  void everyRegressionLossBackpropagates(RegressionCase loss, Shape shape) {
    int[] sizes = shape.sizes();
    int outputs = sizes[sizes.length - 1];
    FeedForwardNetwork net = new FeedForwardNetwork(sizes, Activation.TANH, loss.loss());
    long seed = sizes.length * 100 + shape.rows() + loss.name().length();
    DataBlock block = EngineFixtures.regressionBlock(seed, shape.rows(), sizes[0], outputs, loss.center(),
        loss.spread());
    float[] params = EngineFixtures.params(net, seed);
    if (loss.loss() instanceof HuberLoss huber) {
      assertRegimes(net, huber, params, block, loss.name());
    }
    assertPasses(net, CHECK.checkParams(net, params, block));
  }

  /** The Huber cases must really be in the regime their name claims. */
  private static void assertRegimes(FeedForwardNetwork net, HuberLoss huber, float[] params,
      DataBlock block, String name) {
    float[] out = net.forward(params, block.features(), block.rows(), net.newWorkspace(block.rows()));
    int quadratic = 0;
    int linear = 0;
    for (int i = 0; i < block.rows() * net.outputWidth(); i++) {
      double target = (block.targets()[i] - huber.scaling().center()) / huber.scaling().scale();
      if (Math.abs(out[i] - target) <= huber.threshold()) {
        quadratic++;
      } else {
        linear++;
      }
    }
    if (name.contains("quadratic")) {
      assertEquals(0, linear, name);
    } else if (name.contains("linear")) {
      assertEquals(0, quadratic, name);
    } else if (name.contains("both") && block.rows() * net.outputWidth() >= 5) {
      assertTrue(quadratic > 0 && linear > 0, name + ": " + quadratic + " / " + linear);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Activation.class, names = {"TANH", "RELU", "GELU"})
  void partialBlockIgnoresTheUnusedTailAndMatchesAnExactBlock(Activation activation) {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {3, 5, 2}, activation,
        new SquaredError());
    DataBlock exact = EngineFixtures.regressionBlock(21, 5, 3, 2, 0, 1);
    // The same five rows in arrays sized for eight, the tail filled with NaN.
    float[] features = tail(exact.features(), 8 * 3);
    float[] targets = tail(exact.targets(), 8 * 2);
    float[] weights = tail(exact.weights(), 8);
    DataBlock partial = new DataBlock(21, 5, 3, features, 2, targets, weights);
    assertEquals(exact.weightSum(), partial.weightSum(), 0.0);

    float[] params = EngineFixtures.params(net, 21);
    float[] exactGradient = new float[net.paramCount()];
    float[] partialGradient = new float[net.paramCount()];
    double exactLoss = net.lossAndGradient(params, exact, exactGradient, net.newWorkspace(5));
    double partialLoss = net.lossAndGradient(params, partial, partialGradient, net.newWorkspace(8));
    assertTrue(Double.isFinite(partialLoss) && EngineFixtures.allFinite(partialGradient));
    assertEquals(exactLoss, partialLoss, 1e-6 * Math.abs(exactLoss));
    assertArrayEquals(exactGradient, partialGradient, 1e-5f);
    assertTrue(CHECK.checkParams(net, params, partial).passes());
  }

  private static float[] tail(float[] values, int length) {
    float[] longer = Arrays.copyOf(values, length);
    Arrays.fill(longer, values.length, length, Float.NaN);
    return longer;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allLosses")
  void blockGradientIsTheWeightedSumOfRowGradients(String name, Loss loss, DataBlock block) {
    int outputs = 3;
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {4, 5, outputs}, Activation.SIGMOID,
        loss);
    float[] params = EngineFixtures.params(net, 8);
    float[] blockGradient = new float[net.paramCount()];
    double blockLoss = net.lossAndGradient(params, block, blockGradient,
        net.newWorkspace(block.rows()));
    double[] sum = new double[net.paramCount()];
    double lossSum = 0;
    float[] rowGradient = new float[net.paramCount()];
    int tw = block.targetWidth();
    for (int r = 0; r < block.rows(); r++) {
      // Each row alone with weight 1: the block must weigh it by its own weight.
      DataBlock row = new DataBlock(r, 1, 4, Arrays.copyOfRange(block.features(), r * 4, r * 4 + 4),
          tw, Arrays.copyOfRange(block.targets(), r * tw, r * tw + tw), new float[] {1f});
      double w = block.weights()[r];
      lossSum += w * net.lossAndGradient(params, row, rowGradient, net.newWorkspace(1));
      for (int i = 0; i < sum.length; i++) {
        sum[i] += w * rowGradient[i];
      }
    }
    assertEquals(lossSum, blockLoss, 1e-5 * Math.abs(lossSum));
    double scale = Arrays.stream(sum).map(Math::abs).max().orElse(1);
    for (int i = 0; i < sum.length; i++) {
      assertEquals(sum[i], blockGradient[i], 1e-5 * scale, "entry " + i);
    }
  }

  static Stream<Arguments> allLosses() {
    return Stream.of(
        Arguments.of("softmax", new SoftmaxCrossEntropy(), EngineFixtures.classificationBlock(3, 6, 4, 3)),
        Arguments.of("squared", new SquaredError(new TargetScaling(2, 3)),
            EngineFixtures.regressionBlock(3, 6, 4, 3, 2, 4)),
        Arguments.of("huber", new HuberLoss(0.7), EngineFixtures.regressionBlock(3, 6, 4, 3, 0, 1.5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allLosses")
  void aZeroWeightRowContributesNothing(String name, Loss loss, DataBlock block) {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {4, 5, 3}, Activation.ELU, loss);
    float[] params = EngineFixtures.params(net, 9);
    float[] weights = block.weights().clone();
    weights[2] = 0f;
    float[] targets = block.targets().clone();
    int tw = block.targetWidth();
    float[] features = block.features().clone();
    DataBlock zeroed = new DataBlock(1, block.rows(), 4, features, tw, targets, weights);
    // Change row 2's features and targets: with weight 0 the result must not move.
    float[] features2 = features.clone();
    float[] targets2 = targets.clone();
    for (int j = 0; j < 4; j++) {
      features2[2 * 4 + j] += 3f;
    }
    for (int t = 0; t < tw; t++) {
      targets2[2 * tw + t] = loss instanceof SoftmaxCrossEntropy ? (targets[2] + 1) % 3 : 1e3f;
    }
    DataBlock changed = new DataBlock(1, block.rows(), 4, features2, tw, targets2, weights);
    float[] g1 = new float[net.paramCount()];
    float[] g2 = new float[net.paramCount()];
    double l1 = net.lossAndGradient(params, zeroed, g1, net.newWorkspace(block.rows()));
    double l2 = net.lossAndGradient(params, changed, g2, net.newWorkspace(block.rows()));
    assertEquals(l1, l2, 1e-6 * Math.abs(l1));
    assertArrayEquals(g1, g2, 1e-5f);
  }

  @Test
  void matchesAnIndependentDoublePrecisionBackprop() {
    // TinyTanhNetwork uses the same layout: W1 (4 x 3), b1, W2 (1 x 4), b2.
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {3, 4, 1}, Activation.TANH,
        new SquaredError());
    TinyTanhNetwork reference = new TinyTanhNetwork(3, 4, false);
    DataBlock block = EngineFixtures.regressionBlock(12, 9, 3, 1, 0, 1);
    float[] params = EngineFixtures.params(net, 12);
    float[] expected = new float[net.paramCount()];
    float[] actual = new float[net.paramCount()];
    double expectedLoss = reference.lossAndGradient(params, block, expected, null);
    double actualLoss = net.lossAndGradient(params, block, actual, net.newWorkspace(9));
    assertEquals(expectedLoss, actualLoss, 1e-5 * expectedLoss);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "entry " + i);
    }
  }
}
