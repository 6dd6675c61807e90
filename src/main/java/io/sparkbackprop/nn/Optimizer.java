package io.sparkbackprop.nn;

import java.util.Map;

/**
 * A first-order update rule applied on the driver once per iteration. Hyperparameters are fixed at
 * construction; the state that evolves between iterations (moments, velocities) is exposed through
 * {@link #state()} so a saved training run can resume with exactly the same optimizer.
 */
public interface Optimizer {

  /**
   * Updates {@code weights} in place.
   *
   * @param gradient gradient of the mean training loss at {@code weights}
   * @param stepSize learning rate for this iteration (schedules vary it)
   * @param iteration 1-based iteration number
   */
  void step(double[] weights, double[] gradient, double stepSize, int iteration);

  /** The evolving state, by name; empty for stateless rules. The arrays are live, not copies. */
  Map<String, double[]> state();

  /** Restores state captured by {@link #state()} from an optimizer of the same kind and size. */
  void restoreState(Map<String, double[]> state);
}
