package io.sparkbackprop.nn.optim;

import java.util.Map;

/**
 * An update rule applied on the driver. The training loop evaluates the loss and gradient at the
 * current weights and hands them to {@link #step}, which moves the weights to the next point to
 * evaluate. First-order rules accept every evaluated point; line-search methods such as L-BFGS may
 * reject trial points, which then do not count as iterations.
 *
 * <p>Hyperparameters are fixed at construction; the state that evolves between iterations (moments,
 * velocities, curvature history) is exposed through {@link #state()} so that a saved training run can
 * resume with exactly the same optimizer.
 */
public interface Optimizer {

  /**
   * @param weights the point just evaluated; updated in place to the next point to evaluate
   * @param loss mean training loss at {@code weights}
   * @param gradient gradient of the mean training loss at {@code weights} (may be modified)
   * @param stepSize learning rate for this iteration (schedules vary it)
   * @param iteration 1-based number of the iteration this evaluation belongs to
   * @return true if the evaluated point is accepted as an iterate
   */
  boolean step(double[] weights, double loss, double[] gradient, double stepSize, int iteration);

  /**
   * The weights to return when training stops after a step: {@code current} for first-order rules,
   * the last accepted iterate for methods whose current point may be an unevaluated trial.
   */
  default double[] finalWeights(double[] current) {
    return current;
  }

  /**
   * Whether a non-finite or exploding loss at a trial point should be handed to {@link #step} (which
   * rejects it and shortens the step) rather than treated as divergence. True for line searches.
   */
  default boolean rejectsBadTrials() {
    return false;
  }

  /** A snapshot (copies) of the evolving state, by name; empty for stateless rules. */
  Map<String, double[]> state();

  /** Restores state captured by {@link #state()} from an optimizer of the same kind and size. */
  void restoreState(Map<String, double[]> state);
}
