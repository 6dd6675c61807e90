package io.sparkbackprop.nn.optim;

import io.sparkbackprop.nn.Network;

/**
 * Elastic-net penalty on the network's weights (never its biases), added on the driver after the
 * data gradient is summed: {@code regParam * ((1 - l1Ratio) / 2 * ||w||^2 + l1Ratio * ||w||_1)},
 * the parametrisation of Spark's {@code regParam} / {@code elasticNetParam}. The L1 part uses the
 * subgradient {@code sign(w)} (0 at 0).
 */
public final class Regularization {
  private final double regParam;
  private final double l1Ratio;
  private final boolean[] regularized;
  /** The regularized parameters as [start, end) runs (a layer's weights are contiguous). */
  private final int[] runs;

  public Regularization(Network network, double regParam, double l1Ratio) {
    if (!(regParam >= 0) || Double.isInfinite(regParam)) {
      throw new IllegalArgumentException("regParam must be finite and >= 0, got " + regParam);
    }
    if (!(l1Ratio >= 0 && l1Ratio <= 1)) {
      throw new IllegalArgumentException("elasticNetParam must be in [0, 1], got " + l1Ratio);
    }
    this.regParam = regParam;
    this.l1Ratio = l1Ratio;
    this.regularized = new boolean[network.paramCount()];
    if (regParam > 0) {
      for (int i = 0; i < regularized.length; i++) {
        regularized[i] = network.isRegularized(i);
      }
    }
    this.runs = runs(regularized);
  }

  private static int[] runs(boolean[] regularized) {
    int[] runs = new int[regularized.length + 1];
    int count = 0;
    for (int i = 0; i < regularized.length; i++) {
      if (regularized[i] && (i == 0 || !regularized[i - 1])) {
        runs[count++] = i;
      }
      if (regularized[i] && (i == regularized.length - 1 || !regularized[i + 1])) {
        runs[count++] = i + 1;
      }
    }
    return java.util.Arrays.copyOf(runs, count);
  }

  public boolean isActive() {
    return regParam > 0;
  }

  /** Adds the penalty's gradient to {@code gradient} and returns the penalty at {@code weights}. */
  public double apply(double[] weights, double[] gradient) {
    if (regParam == 0) {
      return 0;
    }
    double l2 = regParam * (1 - l1Ratio);
    double l1 = regParam * l1Ratio;
    double penalty = 0;
    if (l1 == 0) {
      // Pure L2, the default: plain loops over the weight runs, which the JIT vectorises; this
      // runs on the driver between two gradient sums, so it is serial time in every iteration.
      for (int r = 0; r < runs.length; r += 2) {
        for (int i = runs[r]; i < runs[r + 1]; i++) {
          double w = weights[i];
          penalty += 0.5 * l2 * w * w;
        }
        for (int i = runs[r]; i < runs[r + 1]; i++) {
          gradient[i] += l2 * weights[i];
        }
      }
      return penalty;
    }
    for (int i = 0; i < weights.length; i++) {
      if (regularized[i]) {
        double w = weights[i];
        penalty += 0.5 * l2 * w * w + l1 * Math.abs(w);
        gradient[i] += l2 * w + l1 * Math.signum(w);
      }
    }
    return penalty;
  }
}
