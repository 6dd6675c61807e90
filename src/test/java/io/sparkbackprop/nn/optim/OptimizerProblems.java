package io.sparkbackprop.nn.optim;

import java.util.Arrays;

/** Deterministic test objectives and a driver that runs an {@link Optimizer} like the training loop. */
final class OptimizerProblems {
  private OptimizerProblems() {}

  /** A smooth objective: returns f(w) and writes its gradient. */
  interface Problem {
    double evaluate(double[] w, double[] gradient);

    default double value(double[] w) {
      return evaluate(w, new double[w.length]);
    }
  }

  /** f(w) = 1/2 sum_i lambda_i (w_i - c_i)^2. */
  static Problem quadratic(double[] lambda, double[] center) {
    return (w, g) -> {
      double f = 0;
      for (int i = 0; i < w.length; i++) {
        double r = w[i] - center[i];
        f += 0.5 * lambda[i] * r * r;
        g[i] = lambda[i] * r;
      }
      return f;
    };
  }

  /** Curvatures spaced log-uniformly from {@code low} to {@code high}. */
  static double[] logSpaced(int n, double low, double high) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = low * Math.pow(high / low, (double) i / (n - 1));
    }
    return values;
  }

  static double[] filled(int n, double value) {
    double[] values = new double[n];
    Arrays.fill(values, value);
    return values;
  }

  /** Rosenbrock's function (1 - a)^2 + 100 (b - a^2)^2, minimum 0 at (1, 1). */
  static final Problem ROSENBROCK = (w, g) -> {
    double a = w[0];
    double b = w[1];
    double r = b - a * a;
    g[0] = -2 * (1 - a) - 400 * a * r;
    g[1] = 200 * r;
    return (1 - a) * (1 - a) + 100 * r * r;
  };

  /** What one run did. */
  record Run(double[] finalWeights, double finalLoss, int accepted, int evaluations) {}

  /**
   * Evaluates, steps and counts like {@link TrainingLoop}: stops after {@code iterations} accepted
   * points (or {@code maxEvaluations} evaluations), then scores {@link Optimizer#finalWeights}.
   */
  static Run run(Optimizer optimizer, Problem problem, double[] start, double stepSize,
      int iterations, int maxEvaluations) {
    double[] w = start.clone();
    double[] g = new double[w.length];
    int accepted = 0;
    int evaluations = 0;
    while (accepted < iterations && evaluations < maxEvaluations) {
      double f = problem.evaluate(w, g);
      evaluations++;
      if (optimizer.step(w, f, g, stepSize, accepted + 1)) {
        accepted++;
      }
    }
    double[] result = optimizer.finalWeights(w);
    return new Run(result, problem.value(result), accepted, evaluations);
  }

  static Run run(Optimizer optimizer, Problem problem, double[] start, double stepSize,
      int iterations) {
    return run(optimizer, problem, start, stepSize, iterations, 100 * iterations);
  }

  /** The lowest final loss plain gradient descent reaches with any of {@code stepSizes}. */
  static double bestGradientDescent(Problem problem, double[] start, int iterations,
      double... stepSizes) {
    double best = Double.POSITIVE_INFINITY;
    for (double stepSize : stepSizes) {
      double loss = run(new GradientDescent(), problem, start, stepSize, iterations).finalLoss();
      if (loss < best) {
        best = loss;
      }
    }
    return best;
  }
}
