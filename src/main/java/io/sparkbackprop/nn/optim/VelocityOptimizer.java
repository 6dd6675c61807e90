package io.sparkbackprop.nn.optim;

import java.util.Map;
import java.util.Set;

/**
 * What the two momentum methods share: a momentum factor in [0, 1) and one velocity per weight,
 * saved and restored as the state {@code velocity}. Subclasses differ only in their step.
 */
abstract class VelocityOptimizer implements Optimizer {
  private static final String VELOCITY = "velocity";

  private final String name;
  final double momentum;
  final double[] velocity;

  VelocityOptimizer(String name, int size, double momentum) {
    this.name = name;
    this.momentum = OptimizerSettings.decayRate("momentum", momentum);
    this.velocity = new double[size];
  }

  /** A snapshot: {@code velocity}. */
  @Override
  public Map<String, double[]> state() {
    return Map.of(VELOCITY, velocity.clone());
  }

  @Override
  public void restoreState(Map<String, double[]> state) {
    OptimizerState.requireKeys(name, state, Set.of(VELOCITY));
    OptimizerState.copyInto(name, state, VELOCITY, velocity);
  }
}
