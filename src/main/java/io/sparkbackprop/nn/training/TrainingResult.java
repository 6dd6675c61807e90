package io.sparkbackprop.nn.training;

import java.util.List;

/**
 * The outcome of a training run: the weights to keep, one record per iteration, why the loop stopped
 * and the state to resume from.
 */
public record TrainingResult(double[] weights, List<IterationRecord> iterations, StopReason stopReason,
    TrainingState state) {

  /** Why training ended. */
  public enum StopReason {
    /** The relative change of the training loss fell below {@code tol}. */
    CONVERGED,
    /** {@code maxIter} iterations ran. */
    MAX_ITER,
    /** The validation loss did not improve for {@code earlyStoppingPatience} evaluations. */
    EARLY_STOPPED
  }

  public TrainingResult {
    iterations = List.copyOf(iterations);
  }

  /** Number of iterations recorded (this run's iterations, not counting a resumed run's earlier ones). */
  public int totalIterations() {
    return iterations.size();
  }

  /** The training loss of every recorded iteration. */
  public double[] objectiveHistory() {
    return iterations.stream().mapToDouble(IterationRecord::loss).toArray();
  }
}
