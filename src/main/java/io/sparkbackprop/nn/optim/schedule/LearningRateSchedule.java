package io.sparkbackprop.nn.optim.schedule;

import java.io.Serializable;

/**
 * The learning rate of each iteration, as a function of the base step size ({@code stepSize}) and the
 * iteration number. The training loop calls {@link #rate} once per iteration and passes the result to
 * {@link Optimizer#step} as its {@code stepSize}. Schedules are stateless pure functions, so resuming a
 * saved run needs only the iteration number.
 *
 * <p>Create them by name with {@link LearningRateSchedules#create}.
 */
public interface LearningRateSchedule extends Serializable {

  /**
   * @param baseStepSize the configured {@code stepSize}
   * @param iteration 1-based iteration number, as the training loop counts (rejected line-search
   *     trials share the number of the iteration they belong to)
   * @return the step size to use in that iteration
   */
  double rate(double baseStepSize, int iteration);

  /** Fails unless {@code iteration >= 1}. */
  static void checkIteration(int iteration) {
    if (iteration < 1) {
      throw new IllegalArgumentException("iteration must be >= 1, got " + iteration);
    }
  }
}
