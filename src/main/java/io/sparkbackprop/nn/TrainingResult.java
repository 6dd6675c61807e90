package io.sparkbackprop.nn;

/**
 * The outcome of a training run: final weights, the mean training loss at the start of every
 * iteration, and why the loop stopped.
 */
public record TrainingResult(double[] weights, double[] objectiveHistory, StopReason stopReason) {

  /** Why training ended. */
  public enum StopReason {
    /** The relative change of the loss fell below {@code tol}. */
    CONVERGED,
    /** {@code maxIter} iterations ran. */
    MAX_ITER
  }

  /** Number of optimizer iterations run. */
  public int totalIterations() {
    return objectiveHistory.length;
  }
}
