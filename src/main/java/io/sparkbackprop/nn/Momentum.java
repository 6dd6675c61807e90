package io.sparkbackprop.nn;

import java.util.Map;
import java.util.Set;

/**
 * Gradient descent with heavy-ball momentum (Polyak 1964), in the form of Sutskever et al. 2013,
 * eq. (1)-(2): {@code v = momentum * v - stepSize * g; w = w + v}. The velocity carries the step size
 * of earlier iterations, so a learning-rate schedule changes only the new contribution.
 */
public final class Momentum implements Optimizer {
  private static final String NAME = "momentum";
  private static final String VELOCITY = "velocity";

  private final double momentum;
  private final double[] velocity;

  public Momentum(int size, double momentum) {
    this.momentum = OptimizerSettings.decayRate("momentum", momentum);
    this.velocity = new double[size];
  }

  @Override
  public boolean step(double[] weights, double loss, double[] gradient, double stepSize,
      int iteration) {
    for (int i = 0; i < weights.length; i++) {
      double v = momentum * velocity[i] - stepSize * gradient[i];
      velocity[i] = v;
      weights[i] += v;
    }
    return true;
  }

  /** A snapshot: {@code velocity}. */
  @Override
  public Map<String, double[]> state() {
    return Map.of(VELOCITY, velocity.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    OptimizerState.requireKeys(NAME, state, Set.of(VELOCITY));
    OptimizerState.copyInto(NAME, state, VELOCITY, velocity);
  }
}
