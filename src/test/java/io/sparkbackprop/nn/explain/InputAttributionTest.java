package io.sparkbackprop.nn.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.data.BatchShape;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.layer.InputScaling;
import io.sparkbackprop.nn.layer.RecurrentCell;
import io.sparkbackprop.nn.linalg.FloatArrays;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.nn.loss.SquaredError;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attributions against their definitions: saliency is the finite-difference gradient of the
 * explained output with respect to the raw features (through the input standardisation),
 * integrated gradients add up to f(x) - f(baseline), and the scale of a feature moves its saliency
 * inversely.
 */
class InputAttributionTest {
  private static final int WIDTH = 5;
  private static final int ROWS = 6;
  private static final int STEPS = 4;
  private static final int CLASSES = 3;

  /** Feature means and spreads far from 0 and 1, so a missed scaling shows. */
  private static final double[] CENTER = {3.0, -20.0, 0.5, 100.0, 0.0};
  private static final double[] SCALE = {2.0, 10.0, 0.1, 50.0, 1.0};

  /** A network under test: its weights, the explained output and one block of input. */
  record Case(String name, Network network, double[] weights, ExplainedOutput output,
      BatchShape shape, float[] features) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        feedForward("tanh classifier, predicted class", Activation.TANH,
            new ClassProbability(-1, null), CLASSES),
        feedForward("gelu classifier, class 2", Activation.GELU, new ClassProbability(2, null),
            CLASSES),
        feedForward("tanh regressor in label units", Activation.TANH, new ScaledOutput(7.5, 40),
            1),
        recurrent("GRU classifier, padded sequences", RecurrentCell.GRU, false,
            new ClassProbability(-1, null), CLASSES),
        recurrent("LSTM per-step regressor, last step", RecurrentCell.LSTM, true,
            new ScaledOutput(3, -1), 1));
  }

  private static Case feedForward(String name, Activation activation, ExplainedOutput output,
      int outputs) {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {WIDTH, 7, outputs}, activation,
        outputs == 1 ? new SquaredError() : new SoftmaxCrossEntropy(),
        new InputScaling(CENTER, SCALE));
    Random rng = new Random(name.hashCode());
    float[] x = new float[WIDTH * ROWS];
    for (int n = 0; n < x.length; n++) {
      int i = n % WIDTH;
      x[n] = (float) (CENTER[i] + SCALE[i] * rng.nextGaussian());
    }
    return new Case(name, net, weights(net, 11), output, BatchShape.rows(ROWS), x);
  }

  private static Case recurrent(String name, RecurrentCell cell, boolean perStep,
      ExplainedOutput output, int outputs) {
    RecurrentNetwork.Architecture a = new RecurrentNetwork.Architecture(WIDTH, false, 0, cell, 4,
        1, false, 0, 0, perStep, outputs, STEPS);
    RecurrentNetwork net = new RecurrentNetwork(a,
        outputs == 1 ? new SquaredError() : new SoftmaxCrossEntropy(),
        new InputScaling(CENTER, SCALE));
    Random rng = new Random(name.hashCode());
    int[] lengths = {STEPS, 1, 3, STEPS, 2, 3};
    BatchShape shape = BatchShape.sequences(ROWS, STEPS, lengths);
    float[] x = new float[WIDTH * ROWS * STEPS];
    for (int t = 0; t < STEPS; t++) {
      for (int j = 0; j < ROWS; j++) {
        for (int i = 0; i < WIDTH; i++) {
          x[(t * ROWS + j) * WIDTH + i] = shape.isValid(t, j)
              ? (float) (CENTER[i] + SCALE[i] * rng.nextGaussian()) : 1e4f; // loud padding
        }
      }
    }
    return new Case(name, net, weights(net, 12), output, shape, x);
  }

  /** Initial weights made larger, so outputs are far from uniform and gradients differ. */
  private static double[] weights(Network net, long seed) {
    double[] w = net.initialParams(seed);
    Random rng = new Random(seed);
    for (int i = 0; i < w.length; i++) {
      w[i] = 1.5 * w[i] + 0.1 * rng.nextGaussian();
    }
    return w;
  }

  /** The explained value of every row, computed by a plain forward pass. */
  private static double[] values(Case c, float[] features, int[] targets) {
    float[] params = FloatArrays.fromDoubles(c.weights());
    Network net = c.network();
    float[] out = net.forward(params, features, c.shape(),
        net.newWorkspace(ROWS, c.shape().steps()));
    int k = net.outputWidth();
    boolean perStep = net.outputShape(c.shape()).columns() != ROWS;
    double[] values = new double[ROWS];
    for (int j = 0; j < ROWS; j++) {
      int column = perStep ? (c.shape().length(j) - 1) * ROWS + j : j;
      values[j] = c.output().value(out, column * k, k, targets[j]);
    }
    return values;
  }

  private static float[] attribute(Case c, AttributionSettings settings, float[] features,
      double[] values, int[] targets) {
    InputAttribution attribution = new InputAttribution(c.network(), c.weights(), c.output(),
        settings);
    float[] a = new float[features.length];
    attribution.attribute(features, c.shape(), a, values, targets);
    return a;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void saliencyIsTheFiniteDifferenceGradientInRawUnits(Case c) {
    double[] values = new double[ROWS];
    int[] targets = new int[ROWS];
    float[] saliency = attribute(c, AttributionSettings.of(AttributionMethod.SALIENCY),
        c.features(), values, targets);
    assertArrayEquals(values(c, c.features(), targets), values, 1e-6);
    int checked = 0;
    for (int t = 0; t < c.shape().steps(); t++) {
      for (int j = 0; j < ROWS; j++) {
        if (!c.shape().isValid(t, j)) {
          continue;
        }
        for (int i = 0; i < WIDTH; i++) {
          int n = (t * ROWS + j) * WIDTH + i;
          // Central differences with a step of 1% of the feature's spread.
          double h = 0.01 * SCALE[i];
          float[] plus = c.features().clone();
          float[] minus = c.features().clone();
          plus[n] = (float) (plus[n] + h);
          minus[n] = (float) (minus[n] - h);
          double realH = (plus[n] - minus[n]) / 2.0;
          double numeric = (values(c, plus, targets)[j] - values(c, minus, targets)[j])
              / (2 * realH);
          // Gradients of a feature scaled by SCALE[i] are of order 1 / SCALE[i].
          double tolerance = 2e-3 * Math.max(1, Math.abs(values[j])) / SCALE[i] + 1e-4 / SCALE[i];
          assertEquals(numeric, saliency[n], tolerance, c + ": row " + j + " step " + t
              + " feature " + i);
          checked++;
        }
      }
    }
    assertTrue(checked >= ROWS * WIDTH, "checked " + checked);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void integratedGradientsAddUpToTheChangeOfTheOutput(Case c) {
    double[] baseline = CENTER.clone();
    baseline[0] += 1.0;
    double[] values = new double[ROWS];
    int[] targets = new int[ROWS];
    float[] ig = attribute(c, AttributionSettings.integratedGradients(baseline, 64), c.features(),
        values, targets);
    float[] base = c.features().clone();
    for (int n = 0; n < base.length; n++) {
      base[n] = (float) baseline[n % WIDTH];
    }
    double[] atBaseline = values(c, base, targets);
    int far = 0;
    for (int j = 0; j < ROWS; j++) {
      double sum = 0;
      for (int t = 0; t < c.shape().length(j); t++) {
        for (int i = 0; i < WIDTH; i++) {
          sum += ig[(t * ROWS + j) * WIDTH + i];
        }
      }
      double change = values[j] - atBaseline[j];
      assertEquals(change, sum, 0.01 * Math.abs(change) + 1e-5 * Math.max(1, Math.abs(values[j])),
          c + ": row " + j);
      if (Math.abs(change) > 1e-3) {
        far++;
      }
    }
    assertTrue(far >= ROWS / 2, c + ": too few rows move the output; the check would be empty");
  }

  /** Few steps break completeness: the check above is not vacuous. */
  @Test
  void oneStepOfIntegratedGradientsIsNotComplete() {
    Case c = cases().findFirst().orElseThrow();
    double[] values = new double[ROWS];
    int[] targets = new int[ROWS];
    float[] ig = attribute(c, AttributionSettings.integratedGradients(CENTER, 1), c.features(),
        values, targets);
    float[] base = c.features().clone();
    for (int n = 0; n < base.length; n++) {
      base[n] = (float) CENTER[n % WIDTH];
    }
    double[] atBaseline = values(c, base, targets);
    int incomplete = 0;
    for (int j = 0; j < ROWS; j++) {
      double sum = 0;
      for (int i = 0; i < WIDTH; i++) {
        sum += ig[j * WIDTH + i];
      }
      double change = values[j] - atBaseline[j];
      if (Math.abs(sum - change) > 0.01 * Math.abs(change) + 1e-5) {
        incomplete++;
      }
    }
    assertTrue(incomplete > 0, "a one-point rule should miss completeness somewhere");
  }

  /**
   * Measuring a feature in units 1000 times smaller (values times 1000, standardisation statistics
   * too) computes the same function: its saliency shrinks 1000 times and its integrated gradients
   * stay.
   */
  @Test
  void scalingAFeatureBy1000ScalesItsSaliencyBy1Over1000() {
    Case c = cases().findFirst().orElseThrow();
    double[] center = CENTER.clone();
    double[] scale = SCALE.clone();
    center[2] *= 1000;
    scale[2] *= 1000;
    FeedForwardNetwork scaled = new FeedForwardNetwork(new int[] {WIDTH, 7, CLASSES},
        Activation.TANH, new SoftmaxCrossEntropy(), new InputScaling(center, scale));
    float[] x = c.features().clone();
    for (int j = 0; j < ROWS; j++) {
      x[j * WIDTH + 2] *= 1000;
    }
    Case big = new Case("scaled", scaled, c.weights(), c.output(), c.shape(), x);
    AttributionSettings saliency = AttributionSettings.of(AttributionMethod.SALIENCY);
    float[] small = attribute(c, saliency, c.features(), null, null);
    float[] large = attribute(big, saliency, x, null, null);
    double[] baseline = center.clone();
    float[] igSmall = attribute(c, AttributionSettings.integratedGradients(CENTER, 32),
        c.features(), null, null);
    float[] igLarge = attribute(big, AttributionSettings.integratedGradients(baseline, 32), x,
        null, null);
    for (int j = 0; j < ROWS; j++) {
      for (int i = 0; i < WIDTH; i++) {
        int n = j * WIDTH + i;
        double expected = i == 2 ? small[n] / 1000.0 : small[n];
        assertEquals(expected, large[n], 1e-4 * Math.abs(expected) + 1e-9, "row " + j + " f " + i);
        assertEquals(igSmall[n], igLarge[n], 1e-4 * Math.abs(igSmall[n]) + 1e-7, "ig " + n);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void paddingGetsZerosAndRowsDoNotDependOnTheirBlock(Case c) {
    AttributionSettings[] all = {
        AttributionSettings.of(AttributionMethod.GRADIENT_TIMES_INPUT),
        AttributionSettings.integratedGradients(CENTER, 8),
        AttributionSettings.smoothGrad(scaled(SCALE, 0.2), 5, 99)};
    for (AttributionSettings settings : all) {
      float[] a = attribute(c, settings, c.features(), null, null);
      int rows = ROWS;
      for (int t = 0; t < c.shape().steps(); t++) {
        for (int j = 0; j < rows; j++) {
          for (int i = 0; i < WIDTH; i++) {
            float v = a[(t * rows + j) * WIDTH + i];
            if (!c.shape().isValid(t, j)) {
              assertEquals(0f, v, "padding");
            } else {
              assertTrue(Float.isFinite(v));
            }
          }
        }
      }
      // Row 2 alone, in a block of its own, gets the same attributions (SmoothGrad included).
      int j = 2;
      int length = c.shape().length(j);
      float[] alone = new float[WIDTH * length];
      for (int t = 0; t < length; t++) {
        System.arraycopy(c.features(), (t * rows + j) * WIDTH, alone, t * WIDTH, WIDTH);
      }
      BatchShape one = c.shape().steps() == 1 ? BatchShape.rows(1)
          : BatchShape.sequences(1, length, null);
      Case single = new Case("alone", c.network(), c.weights(), c.output(), one, alone);
      float[] b = attribute(single, settings, alone, null, null);
      for (int t = 0; t < length; t++) {
        for (int i = 0; i < WIDTH; i++) {
          float expected = a[(t * rows + j) * WIDTH + i];
          assertEquals(expected, b[t * WIDTH + i], 1e-4 * Math.abs(expected) + 1e-7,
              settings.method() + " step " + t + " feature " + i);
        }
      }
    }
  }

  @Test
  void gradientTimesInputAndSmoothGradFollowTheirDefinitions() {
    Case c = cases().findFirst().orElseThrow();
    float[] saliency = attribute(c, AttributionSettings.of(AttributionMethod.SALIENCY),
        c.features(), null, null);
    float[] times = attribute(c, AttributionSettings.of(AttributionMethod.GRADIENT_TIMES_INPUT),
        c.features(), null, null);
    for (int n = 0; n < times.length; n++) {
      assertEquals(saliency[n] * c.features()[n], times[n], 1e-6 * Math.abs(times[n]) + 1e-9);
    }
    // Without noise, SmoothGrad is the saliency; with noise it differs but stays close.
    float[] quiet = attribute(c, AttributionSettings.smoothGrad(new double[WIDTH], 3, 1),
        c.features(), null, null);
    assertArrayEquals(saliency, quiet, 1e-7f);
    float[] noisy = attribute(c, AttributionSettings.smoothGrad(scaled(SCALE, 0.1), 20, 1),
        c.features(), null, null);
    assertTrue(!Arrays.equals(saliency, noisy), "noise must change something");
    float[] again = attribute(c, AttributionSettings.smoothGrad(scaled(SCALE, 0.1), 20, 1),
        c.features(), null, null);
    assertArrayEquals(noisy, again, "seeded noise is reproducible");
  }

  @Test
  void targetClassIsFixedOrPredicted() {
    Case c = cases().findFirst().orElseThrow();
    int[] predicted = new int[ROWS];
    attribute(c, AttributionSettings.of(AttributionMethod.SALIENCY), c.features(), null,
        predicted);
    float[] params = FloatArrays.fromDoubles(c.weights());
    float[] out = c.network().forward(params, c.features(), c.shape(),
        c.network().newWorkspace(ROWS));
    for (int j = 0; j < ROWS; j++) {
      int best = 0;
      for (int k = 1; k < CLASSES; k++) {
        if (out[j * CLASSES + k] > out[j * CLASSES + best]) {
          best = k;
        }
      }
      assertEquals(best, predicted[j], "row " + j);
    }
    Case fixed = new Case("fixed", c.network(), c.weights(), new ClassProbability(1, null),
        c.shape(), c.features());
    int[] targets = new int[ROWS];
    attribute(fixed, AttributionSettings.of(AttributionMethod.SALIENCY), c.features(), null,
        targets);
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, targets);
    Case tooLarge = new Case("bad", c.network(), c.weights(), new ClassProbability(CLASSES, null),
        c.shape(), c.features());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> attribute(tooLarge, AttributionSettings.of(AttributionMethod.SALIENCY),
            c.features(), null, null));
    assertTrue(e.getMessage().contains("targetClass 3"), e.getMessage());
  }

  private static double[] scaled(double[] values, double factor) {
    return Arrays.stream(values).map(v -> v * factor).toArray();
  }
}
