package io.sparkbackprop.nn.optim;

import java.io.Serializable;

/**
 * Hyperparameters of the optimizers, immutable and validated on construction. Each optimizer reads only
 * the settings it uses; the learning rate is not here because the training loop passes it to every
 * {@link Optimizer#step} call (so schedules can vary it).
 *
 * <p>Start from {@link #defaults()} and change single values with the {@code with...} methods, each of
 * which returns a new validated value:
 *
 * <pre>{@code OptimizerSettings.defaults().withMomentum(0.95).withWeightDecay(1e-4)}</pre>
 *
 * @param momentum velocity decay of {@code momentum} and {@code nesterov}, in [0, 1); default 0.9
 * @param beta1 decay of the first-moment average of {@code adam}/{@code adamw}, in [0, 1); default
 *     0.9 (Kingma and Ba 2015)
 * @param beta2 decay of the second-moment average of {@code adam}/{@code adamw}, in [0, 1); default
 *     0.999 (Kingma and Ba 2015)
 * @param epsilon added to the root of the squared-gradient statistic of {@code adagrad},
 *     {@code rmsprop}, {@code adam}, {@code adamw}, > 0; default 1e-8
 * @param weightDecay decoupled weight decay of {@code adamw}, >= 0; each step shrinks every weight by
 *     the factor {@code 1 - stepSize * weightDecay}. Default 0.01, the value PyTorch's AdamW uses; it
 *     applies to the network's weights, not its biases (to every entry of a vector optimised
 *     without a network).
 * @param rmspropDecay decay of the running mean of squared gradients of {@code rmsprop}, in [0, 1);
 *     default 0.9 (Tieleman and Hinton 2012, lecture 6.5)
 * @param lbfgsHistory number of curvature pairs {@code l-bfgs} keeps, >= 1; default 10
 */
public record OptimizerSettings(double momentum, double beta1, double beta2, double epsilon,
    double weightDecay, double rmspropDecay, int lbfgsHistory) implements Serializable {

  private static final OptimizerSettings DEFAULTS =
      new OptimizerSettings(0.9, 0.9, 0.999, 1e-8, 0.01, 0.9, 10);

  /** Validates every setting; the exception message names the offending one. */
  public OptimizerSettings {
    decayRate("momentum", momentum);
    decayRate("beta1", beta1);
    decayRate("beta2", beta2);
    positive("epsilon", epsilon);
    nonNegative("weightDecay", weightDecay);
    decayRate("rmspropDecay", rmspropDecay);
    require(lbfgsHistory >= 1, "lbfgsHistory", lbfgsHistory, ">= 1");
  }

  /** The defaults listed on the class. */
  public static OptimizerSettings defaults() {
    return DEFAULTS;
  }

  public OptimizerSettings withMomentum(double value) {
    return new OptimizerSettings(value, beta1, beta2, epsilon, weightDecay, rmspropDecay,
        lbfgsHistory);
  }

  public OptimizerSettings withBeta1(double value) {
    return new OptimizerSettings(momentum, value, beta2, epsilon, weightDecay, rmspropDecay,
        lbfgsHistory);
  }

  public OptimizerSettings withBeta2(double value) {
    return new OptimizerSettings(momentum, beta1, value, epsilon, weightDecay, rmspropDecay,
        lbfgsHistory);
  }

  public OptimizerSettings withEpsilon(double value) {
    return new OptimizerSettings(momentum, beta1, beta2, value, weightDecay, rmspropDecay,
        lbfgsHistory);
  }

  public OptimizerSettings withWeightDecay(double value) {
    return new OptimizerSettings(momentum, beta1, beta2, epsilon, value, rmspropDecay,
        lbfgsHistory);
  }

  public OptimizerSettings withRmspropDecay(double value) {
    return new OptimizerSettings(momentum, beta1, beta2, epsilon, weightDecay, value,
        lbfgsHistory);
  }

  public OptimizerSettings withLbfgsHistory(int value) {
    return new OptimizerSettings(momentum, beta1, beta2, epsilon, weightDecay, rmspropDecay,
        value);
  }

  /** Checks a decay factor: {@code value} in [0, 1). Returns it. */
  static double decayRate(String name, double value) {
    require(value >= 0 && value < 1, name, value, "in [0, 1)");
    return value;
  }

  /** Checks {@code value} is finite and > 0. Returns it. */
  static double positive(String name, double value) {
    require(value > 0 && Double.isFinite(value), name, value, "finite and > 0");
    return value;
  }

  /** Checks {@code value} is finite and >= 0. Returns it. */
  static double nonNegative(String name, double value) {
    require(value >= 0 && Double.isFinite(value), name, value, "finite and >= 0");
    return value;
  }

  private static void require(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(name + " must be " + rule + ", got " + value);
    }
  }
}
