package io.sparkbackprop.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The elastic weight consolidation penalty: its value and its gradient. */
class ElasticConsolidationTest {
  private static final int SIZE = 40;

  /** The penalty's gradient against central finite differences of the penalty it returns. */
  @Test
  void gradientMatchesFiniteDifferences() {
    Random rng = new Random(7);
    double[] anchor = gaussian(rng, 1.0);
    double[] fisher = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      // Spread over several decades, with some exact zeros (weights the old task did not use).
      fisher[i] = i % 7 == 0 ? 0 : Math.pow(10, -3 + 4 * rng.nextDouble());
    }
    double[] weights = gaussian(rng, 1.0);
    ElasticConsolidation penalty = new ElasticConsolidation(2.5, anchor, fisher);
    double[] gradient = new double[SIZE];
    double[] start = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      start[i] = gradient[i] = 0.25 * i; // the penalty adds to what is there
    }
    penalty.apply(weights, gradient);
    double worst = 0;
    for (int i = 0; i < SIZE; i++) {
      double h = 1e-4 * Math.max(1, Math.abs(weights[i]));
      double[] plus = weights.clone();
      double[] minus = weights.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric = (penalty.apply(plus, new double[SIZE])
          - penalty.apply(minus, new double[SIZE])) / (2 * h);
      double analytic = gradient[i] - start[i];
      double error = Math.abs(analytic - numeric) / Math.max(1e-8, Math.max(Math.abs(analytic),
          Math.abs(numeric)));
      worst = Math.max(worst, fisher[i] == 0 ? Math.abs(analytic - numeric) : error);
    }
    assertTrue(worst < 1e-6, "worst relative error " + worst);
  }

  @Test
  void valueIsHalfTheFisherWeightedSquaredDistance() {
    double[] anchor = {1, -2, 0.5};
    double[] fisher = {4, 0, 0.25};
    double[] weights = {2, 5, -1.5};
    double[] gradient = new double[3];
    double value = new ElasticConsolidation(3, anchor, fisher).apply(weights, gradient);
    // 3/2 * (4 * 1 + 0 * 49 + 0.25 * 4) = 7.5
    assertEquals(7.5, value, 1e-12);
    assertArrayEquals(new double[] {12, 0, -1.5}, gradient, 1e-12);
    double[] atAnchor = new double[3];
    assertEquals(0, new ElasticConsolidation(3, anchor, fisher).apply(anchor, atAnchor));
    assertArrayEquals(new double[3], atAnchor);
  }

  @Test
  void zeroStrengthAddsNothing() {
    double[] gradient = {1, 2};
    assertEquals(0, new ElasticConsolidation(0, new double[] {0, 0}, new double[] {1, 1})
        .apply(new double[] {3, 4}, gradient));
    assertArrayEquals(new double[] {1, 2}, gradient);
  }

  @Test
  void refusesInvalidInput() {
    assertThrows(IllegalArgumentException.class,
        () -> new ElasticConsolidation(-1, new double[1], new double[1]));
    assertThrows(IllegalArgumentException.class,
        () -> new ElasticConsolidation(Double.NaN, new double[1], new double[1]));
    assertThrows(IllegalArgumentException.class,
        () -> new ElasticConsolidation(1, new double[2], new double[1]));
    assertThrows(IllegalArgumentException.class,
        () -> new ElasticConsolidation(1, new double[1], new double[] {-1}));
    assertThrows(IllegalArgumentException.class,
        () -> new ElasticConsolidation(1, new double[] {Double.NaN}, new double[] {1}));
    ElasticConsolidation penalty = new ElasticConsolidation(1, new double[2], new double[2]);
    assertThrows(IllegalArgumentException.class,
        () -> penalty.apply(new double[3], new double[3]));
  }

  private static double[] gaussian(Random rng, double scale) {
    double[] x = new double[SIZE];
    for (int i = 0; i < SIZE; i++) {
      x[i] = scale * rng.nextGaussian();
    }
    return x;
  }
}
