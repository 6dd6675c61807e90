package io.sparkbackprop.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Initial weights: reproducible, zero biases, and the spread each scheme promises. */
class WeightInitTest {
  private static final int FAN_IN = 300;
  private static final int FAN_OUT = 200;

  /** Mean and standard deviation of {@code count} entries at {@code offset}. */
  private static double[] moments(double[] values, int offset, int count) {
    double sum = 0;
    double sumSq = 0;
    for (int i = offset; i < offset + count; i++) {
      sum += values[i];
      sumSq += values[i] * values[i];
    }
    double mean = sum / count;
    return new double[] {mean, Math.sqrt(sumSq / count - mean * mean)};
  }

  private static double maxAbs(double[] values, int offset, int count) {
    double max = 0;
    for (int i = offset; i < offset + count; i++) {
      max = Math.max(max, Math.abs(values[i]));
    }
    return max;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Activation.class)
  void sameSeedSameParamsOtherSeedOtherParams(Activation activation) {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {5, 7, 4, 3}, activation,
        new SoftmaxCrossEntropy());
    double[] a = net.initialParams(42);
    assertArrayEquals(a, net.initialParams(42));
    double[] b = net.initialParams(43);
    assertEquals(net.paramCount(), b.length);
    int differing = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        differing++;
      }
    }
    // Every weight differs; only the (zero) biases agree.
    assertEquals(net.paramCount() - (7 + 4 + 3), differing);
  }

  @Test
  void biasesStartAtZeroAndWeightsDoNot() {
    int[] sizes = {6, 5, 4, 3};
    FeedForwardNetwork net = new FeedForwardNetwork(sizes, Activation.RELU, new SquaredError());
    double[] params = net.initialParams(7);
    int offset = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int weights = sizes[l] * sizes[l + 1];
      for (int i = offset; i < offset + weights; i++) {
        assertTrue(params[i] != 0, "weight " + i + " of layer " + l);
      }
      for (int i = offset + weights; i < offset + weights + sizes[l + 1]; i++) {
        assertEquals(0.0, params[i], "bias " + i + " of layer " + l);
      }
      offset += weights + sizes[l + 1];
    }
    assertEquals(net.paramCount(), offset);
  }

  @Test
  void xavierIsUniformWithinItsLimit() {
    double[] w = new double[FAN_IN * FAN_OUT];
    WeightInit.XAVIER.fill(w, 0, w.length, FAN_IN, FAN_OUT, new Random(1));
    double limit = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
    double max = maxAbs(w, 0, w.length);
    assertTrue(max <= limit, max + " > " + limit);
    assertTrue(max > 0.99 * limit, "a uniform sample of 60000 reaches its bound: " + max);
    double[] m = moments(w, 0, w.length);
    assertEquals(0, m[0], 0.01 * limit);
    // A uniform on [-L, L] has standard deviation L / sqrt(3).
    assertEquals(limit / Math.sqrt(3), m[1], 0.02 * limit / Math.sqrt(3));
  }

  @Test
  void heIsNormalWithStandardDeviationSqrtTwoOverFanIn() {
    double[] w = new double[FAN_IN * FAN_OUT];
    WeightInit.HE.fill(w, 0, w.length, FAN_IN, FAN_OUT, new Random(2));
    double std = Math.sqrt(2.0 / FAN_IN);
    double[] m = moments(w, 0, w.length);
    assertEquals(0, m[0], 0.02 * std);
    assertEquals(std, m[1], 0.02 * std);
    // Normal tails: about 0.27% of the entries lie beyond three standard deviations.
    long beyond = Arrays.stream(w).filter(x -> Math.abs(x) > 3 * std).count();
    assertTrue(beyond > 60 && beyond < 280, beyond + " entries beyond 3 sd");
  }

  @Test
  void fillWritesOnlyItsRangeAndIsSeeded() {
    double[] a = new double[10];
    Arrays.fill(a, 9.0);
    WeightInit.HE.fill(a, 3, 4, 2, 2, new Random(5));
    double[] b = new double[10];
    Arrays.fill(b, 9.0);
    WeightInit.HE.fill(b, 3, 4, 2, 2, new Random(5));
    assertArrayEquals(a, b);
    for (int i : new int[] {0, 1, 2, 7, 8, 9}) {
      assertEquals(9.0, a[i]);
    }
    for (int i = 3; i < 7; i++) {
      assertTrue(a[i] != 9.0);
    }
  }

  @Test
  void reluFamilyGetsHeAndTheOthersXavier() {
    for (Activation activation : Activation.values()) {
      WeightInit expected = activation.prefersHeInit() ? WeightInit.HE : WeightInit.XAVIER;
      assertSame(expected, WeightInit.forActivation(activation), activation.toString());
    }
    assertSame(WeightInit.HE, WeightInit.forActivation(Activation.RELU));
    assertSame(WeightInit.HE, WeightInit.forActivation(Activation.LEAKY_RELU));
    assertSame(WeightInit.XAVIER, WeightInit.forActivation(Activation.TANH));
    assertSame(WeightInit.XAVIER, WeightInit.forActivation(Activation.SIGMOID));
    assertSame(WeightInit.XAVIER, WeightInit.forActivation(Activation.IDENTITY));
  }

  @Test
  void networkUsesHeForReluHiddenLayersAndXavierForItsLinearOutput() {
    int[] sizes = {FAN_IN, FAN_OUT, 10};
    FeedForwardNetwork relu = new FeedForwardNetwork(sizes, Activation.RELU, new SquaredError());
    double[] params = relu.initialParams(3);
    int hiddenWeights = FAN_IN * FAN_OUT;
    double[] hidden = moments(params, 0, hiddenWeights);
    assertEquals(Math.sqrt(2.0 / FAN_IN), hidden[1], 0.02 * Math.sqrt(2.0 / FAN_IN));
    // Normal, so it exceeds the Xavier limit of the same layer somewhere.
    assertTrue(maxAbs(params, 0, hiddenWeights) > Math.sqrt(6.0 / (FAN_IN + FAN_OUT)));
    int outputOffset = hiddenWeights + FAN_OUT;
    double outputLimit = Math.sqrt(6.0 / (FAN_OUT + 10));
    double outputMax = maxAbs(params, outputOffset, FAN_OUT * 10);
    assertTrue(outputMax <= outputLimit && outputMax > 0.95 * outputLimit, String.valueOf(outputMax));

    FeedForwardNetwork tanh = new FeedForwardNetwork(sizes, Activation.TANH, new SquaredError());
    double[] tanhParams = tanh.initialParams(3);
    double limit = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
    double max = maxAbs(tanhParams, 0, hiddenWeights);
    assertTrue(max <= limit && max > 0.99 * limit, String.valueOf(max));
    assertFalse(Arrays.equals(params, tanhParams));
  }
}
