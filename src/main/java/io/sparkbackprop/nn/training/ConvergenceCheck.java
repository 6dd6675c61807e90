package io.sparkbackprop.nn.training;

/**
 * Stops training when the loss stops improving, judged on the mean loss of windows of iterations:
 * one iteration with full batches, about one pass over the data (an epoch) with sampled
 * mini-batches, so sampling noise alone does not end training. Two rules, {@code tol = 0} never
 * stops early in either:
 *
 * <ul>
 *   <li>{@code patience} 0: the relative change between the means of two consecutive windows falls
 *       below {@code tol} (the meaning of MLPC's {@code tol}).
 *   <li>{@code patience} P > 0: more than P windows in a row fail to lower the best mean so far by
 *       more than {@code tol} (scikit-learn's {@code tol} and {@code n_iter_no_change} for its
 *       stochastic solvers). A single lucky low window does not end training, and a slow but steady
 *       decrease keeps it going. The best and the count belong to one fit, as in scikit-learn's
 *       warm start: a fit that resumes a saved model, possibly on other rows whose losses all lie
 *       above the old best, counts afresh.
 * </ul>
 */
final class ConvergenceCheck {
  private final double tol;
  private final int window;
  private final int patience;
  private double windowSum;
  private int windowCount;
  private double previousMean = Double.NaN;
  private double bestMean = Double.POSITIVE_INFINITY;
  private int windowsWithoutImprovement;

  ConvergenceCheck(double tol, int window, int patience) {
    this.tol = tol;
    this.window = Math.max(1, window);
    this.patience = patience;
  }

  /** Continues the relative rule from a window saved by {@link #state()}. */
  void restore(ConvergenceWindow state) {
    previousMean = state.previousMean();
    windowSum = state.sum();
    windowCount = state.count();
  }

  ConvergenceWindow state() {
    return new ConvergenceWindow(previousMean, windowSum, windowCount);
  }

  /** Records the loss of one iteration; true when the rule says training has converged. */
  boolean isConverged(double loss) {
    windowSum += loss;
    windowCount++;
    if (windowCount < window) {
      return false;
    }
    double mean = windowSum / windowCount;
    windowSum = 0;
    windowCount = 0;
    boolean converged;
    if (patience > 0) {
      windowsWithoutImprovement = mean > bestMean - tol ? windowsWithoutImprovement + 1 : 0;
      bestMean = Math.min(bestMean, mean);
      converged = tol > 0 && windowsWithoutImprovement > patience;
    } else {
      converged = !Double.isNaN(previousMean)
          && Math.abs(previousMean - mean) < tol * Math.max(Math.abs(previousMean), 1e-12);
    }
    previousMean = mean;
    return converged;
  }
}
