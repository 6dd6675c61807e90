package io.sparkbackprop.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.NetworkWorkspace;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.loss.Loss;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import io.sparkbackprop.testing.EngineFixtures;
import io.sparkbackprop.testing.GradientCheck;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Inverted dropout in {@link FeedForwardNetwork}: backpropagation through the masks, inference without
 * them, seeded and reproducible masks with the right statistics, and rejected rates.
 */
class DropoutTest {
  private static final GradientCheck CHECK = GradientCheck.create();

  /** A network with dropout and the rows of the block it is checked on. */
  record Case(String name, int[] sizes, Activation activation, double[] dropout, boolean regression,
      int rows) {
    FeedForwardNetwork network() {
      Loss loss = regression ? new SquaredError() : new SoftmaxCrossEntropy();
      return new FeedForwardNetwork(sizes, activation, loss, null, dropout);
    }

    FeedForwardNetwork withoutDropout() {
      Loss loss = regression ? new SquaredError() : new SoftmaxCrossEntropy();
      return new FeedForwardNetwork(sizes, activation, loss, null, null);
    }

    DataBlock block(long seed) {
      int out = sizes[sizes.length - 1];
      return regression ? EngineFixtures.regressionBlock(seed, rows, sizes[0], out, 0, 1)
          : EngineFixtures.classificationBlock(seed, rows, sizes[0], out);
    }

    @Override
    public String toString() {
      return name + " " + Arrays.toString(sizes) + " " + activation + " dropout "
          + Arrays.toString(dropout);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        new Case("one hidden layer", new int[] {4, 6, 3}, Activation.TANH, new double[] {0.3},
            false, 7),
        new Case("two hidden layers", new int[] {5, 6, 4, 3}, Activation.SIGMOID,
            new double[] {0.5, 0.2}, false, 6),
        new Case("second layer without dropout", new int[] {3, 8, 5, 2}, Activation.RELU,
            new double[] {0.25, 0}, false, 5),
        new Case("three hidden layers", new int[] {4, 7, 6, 5, 3}, Activation.ELU,
            new double[] {0.1, 0.4, 0.6}, false, 4),
        new Case("gelu, one row", new int[] {4, 9, 3}, Activation.GELU, new double[] {0.5}, false,
            1),
        new Case("regression", new int[] {4, 6, 5, 2}, Activation.TANH, new double[] {0.3, 0.3},
            true, 6))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientCheckPassesWithDropoutAtAFixedSeed(Case c) {
    FeedForwardNetwork net = c.network();
    long seed = 31L * c.sizes().length + c.rows();
    DataBlock block = c.block(seed);
    float[] params = EngineFixtures.params(net, seed);
    GradientCheck.Result result = CHECK.checkParams(net, params, block);
    assertTrue(result.passes(), result::toString);
    assertEquals(net.paramCount(), result.checked() + result.skipped(), result::toString);
    assertTrue(result.skipped() <= net.paramCount() / 4, result::toString);

    // The check must have exercised dropout: the gradient differs from the one without it.
    float[] with = new float[net.paramCount()];
    float[] without = new float[net.paramCount()];
    net.lossAndGradient(params, block, with, net.newWorkspace(block.rows()));
    FeedForwardNetwork plain = c.withoutDropout();
    plain.lossAndGradient(params, block, without, plain.newWorkspace(block.rows()));
    assertFalse(Arrays.equals(with, without), "dropout changed nothing in " + c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inputGradientCheckPassesWithDropout(Case c) {
    FeedForwardNetwork net = c.network();
    DataBlock block = c.block(99 + c.rows());
    GradientCheck.Result result = CHECK.checkInputs(net, EngineFixtures.params(net, 5), block);
    assertTrue(result.passes(), result::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void inferenceIgnoresDropout(Case c) {
    FeedForwardNetwork net = c.network();
    FeedForwardNetwork plain = c.withoutDropout();
    DataBlock block = c.block(7);
    float[] params = EngineFixtures.params(net, 7);
    int n = net.outputWidth() * block.rows();
    float[] expected = Arrays.copyOf(
        plain.forward(params, block.features(), block.rows(), plain.newWorkspace(block.rows())), n);
    // Training passes with masks in between must not leave anything behind in the workspace.
    NetworkWorkspace ws = net.newWorkspace(block.rows());
    net.lossAndGradient(params, block, new float[net.paramCount()], ws, 12345L);
    float[] first = Arrays.copyOf(net.forward(params, block.features(), block.rows(), ws), n);
    net.lossAndGradient(params, block, new float[net.paramCount()], ws, 777L);
    float[] second = Arrays.copyOf(net.forward(params, block.features(), block.rows(), ws), n);
    assertArrayEquals(expected, first);
    assertArrayEquals(expected, second);

    FeedForwardNetwork stripped = net.withoutDropout();
    assertArrayEquals(new double[c.dropout().length], stripped.dropout());
    assertArrayEquals(expected, Arrays.copyOf(stripped.forward(params, block.features(),
        block.rows(), stripped.newWorkspace(block.rows())), n));
    assertArrayEquals(c.dropout(), net.dropout());
  }

  @Test
  void aNetworkWithoutDropoutIsItsOwnInferenceNetwork() {
    FeedForwardNetwork plain = new FeedForwardNetwork(new int[] {3, 4, 2}, Activation.TANH,
        new SoftmaxCrossEntropy(), null, new double[] {0});
    assertSame(plain, plain.withoutDropout());
    assertArrayEquals(new double[1], plain.dropout());
  }

  @Test
  void trainingLossWithDropoutDependsOnTheSeedAndIsReproducible() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {5, 12, 10, 3}, Activation.TANH,
        new SoftmaxCrossEntropy(), null, new double[] {0.5, 0.3});
    DataBlock block = EngineFixtures.classificationBlock(3, 20, 5, 3);
    float[] params = EngineFixtures.params(net, 3);
    NetworkWorkspace ws = net.newWorkspace(20);
    float[] g1 = new float[net.paramCount()];
    float[] g2 = new float[net.paramCount()];
    float[] g3 = new float[net.paramCount()];
    double l1 = net.lossAndGradient(params, block, g1, ws, 42L);
    double l3 = net.lossAndGradient(params, block, g3, ws, 43L);
    double l2 = net.lossAndGradient(params, block, g2, net.newWorkspace(20), 42L);
    assertEquals(l1, l2, 0.0);
    assertArrayEquals(g1, g2);
    assertNotEquals(l1, l3);
    assertFalse(Arrays.equals(g1, g3));
    // Without an explicit seed the block id seeds the masks.
    float[] byId = new float[net.paramCount()];
    float[] explicit = new float[net.paramCount()];
    assertEquals(net.lossAndGradient(params, block, explicit, ws, block.id()),
        net.lossAndGradient(params, block, byId, ws), 0.0);
    assertArrayEquals(explicit, byId);
  }

  // ------------------------------------------------------------------ the masks themselves

  /**
   * A network that exposes its dropout mask: one input fixed at 1, {@code width} identity hidden units
   * with weight 1 and bias 0 (so every activation is 1), and one linear output with weight 1 per unit.
   * For one row, the output-layer weight gradient of unit h is {@code delta * mask[h]} and the output
   * bias gradient is {@code delta}, so their ratio is the mask.
   */
  private static final class MaskProbe {
    final int width;
    final FeedForwardNetwork net;
    final float[] params;
    final DataBlock block;
    final NetworkWorkspace ws;
    final float[] gradient;

    MaskProbe(int width, double rate) {
      this.width = width;
      this.net = new FeedForwardNetwork(new int[] {1, width, 1}, Activation.IDENTITY,
          new SquaredError(), null, new double[] {rate});
      this.params = new float[net.paramCount()];
      Arrays.fill(params, 0, width, 1f); // first layer weights; its biases stay 0
      Arrays.fill(params, 2 * width, 3 * width, 1f); // output weights; output bias 0
      // A target far below any output makes delta large and non-zero.
      this.block = new DataBlock(1, 1, 1, new float[] {1f}, 1, new float[] {-1e6f},
          new float[] {1f});
      this.ws = net.newWorkspace(1);
      this.gradient = new float[net.paramCount()];
    }

    double[] mask(long seed) {
      net.lossAndGradient(params, block, gradient, ws, seed);
      double delta = gradient[3 * width];
      assertTrue(delta != 0, "no error signal");
      double[] mask = new double[width];
      for (int h = 0; h < width; h++) {
        mask[h] = gradient[2 * width + h] / delta;
      }
      return mask;
    }
  }

  @ParameterizedTest(name = "p = {0}")
  @ValueSource(doubles = {0.1, 0.5, 0.8})
  void masksZeroAboutPOfTheUnitsAndScaleTheRestByOneOverOneMinusP(double p) {
    MaskProbe probe = new MaskProbe(4000, p);
    double keep = 1 / (1 - p);
    long zeros = 0;
    long total = 0;
    double sum = 0;
    for (long seed = 1; seed <= 5; seed++) {
      for (double m : probe.mask(seed * 7919)) {
        if (m == 0) {
          zeros++;
        } else {
          assertEquals(keep, m, 1e-5 * keep, "a kept unit is not scaled by 1 / (1 - p)");
        }
        sum += m;
        total++;
      }
    }
    double zeroFraction = (double) zeros / total;
    // 20,000 draws: the standard error of the fraction is at most 0.0036.
    assertEquals(p, zeroFraction, 0.015, "fraction of dropped units");
    assertEquals(1.0, sum / total, 0.015 * keep, "mean of the mask (inverted dropout keeps it 1)");
  }

  @Test
  void masksAreReproducibleForASeedAndDifferBetweenSeeds() {
    MaskProbe probe = new MaskProbe(500, 0.5);
    double[] a = probe.mask(11);
    double[] b = probe.mask(12);
    double[] again = probe.mask(11);
    assertArrayEquals(a, again, 0.0);
    int differing = 0;
    for (int h = 0; h < a.length; h++) {
      if ((a[h] == 0) != (b[h] == 0)) {
        differing++;
      }
    }
    // Independent masks at p = 0.5 disagree on about half the units.
    assertTrue(differing > 180 && differing < 320, differing + " of 500 units differ");
  }

  @Test
  void rowsOfABlockGetIndependentMasks() {
    int width = 300;
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {1, width, 1}, Activation.IDENTITY,
        new SquaredError(), null, new double[] {0.5});
    float[] params = new float[net.paramCount()];
    Arrays.fill(params, 0, width, 1f);
    Arrays.fill(params, 2 * width, 3 * width, 1f);
    // Two identical rows, and the same block (id, seed) weighted on one row or the other: the loss
    // of each row is half its squared mask sum, so equal losses would mean equal masks.
    DataBlock two = new DataBlock(5, 2, 1, new float[] {1f, 1f}, 1, new float[] {0f, 0f},
        new float[] {1f, 0f});
    DataBlock second = new DataBlock(5, 2, 1, new float[] {1f, 1f}, 1, new float[] {0f, 0f},
        new float[] {0f, 1f});
    float[] g = new float[net.paramCount()];
    double firstRowLoss = net.lossAndGradient(params, two, g, net.newWorkspace(2), 9L);
    double secondRowLoss = net.lossAndGradient(params, second, g, net.newWorkspace(2), 9L);
    assertNotEquals(firstRowLoss, secondRowLoss, "both rows of a block got the same mask");
  }

  // ------------------------------------------------------------------ rejected rates

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRates")
  void invalidRatesAreRejected(String why, int[] sizes, double[] rates) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeedForwardNetwork(sizes, Activation.RELU, new SoftmaxCrossEntropy(), null, rates));
    assertTrue(e.getMessage().contains("dropout"), e.getMessage());
  }

  static Stream<Arguments> badRates() {
    int[] oneHidden = {3, 4, 2};
    int[] twoHidden = {3, 4, 4, 2};
    return Stream.of(
        Arguments.of("rate 1", oneHidden, new double[] {1.0}),
        Arguments.of("rate above 1", oneHidden, new double[] {1.5}),
        Arguments.of("negative rate", oneHidden, new double[] {-0.1}),
        Arguments.of("NaN rate", oneHidden, new double[] {Double.NaN}),
        Arguments.of("one bad rate of two", twoHidden, new double[] {0.2, 1.0}),
        Arguments.of("too many rates", oneHidden, new double[] {0.5, 0.5}),
        Arguments.of("too few rates", twoHidden, new double[] {0.5}),
        Arguments.of("a rate for a network without hidden layers", new int[] {3, 2},
            new double[] {0.5}));
  }

  @Test
  void aWrongNumberOfZeroRatesIsRejectedToo() {
    assertThrows(IllegalArgumentException.class,
        () -> new FeedForwardNetwork(new int[] {3, 4, 2}, Activation.RELU, new SoftmaxCrossEntropy(),
            null, new double[] {0, 0, 0}));
  }
}
