package io.sparkbackprop.nn.training;

/**
 * Stops training when the loss stops improving: the relative change between the mean losses of two
 * consecutive windows falls below {@code tol} ({@code tol = 0} never stops early). With full batches the window is one iteration; with
 * sampled mini-batches it is about one pass over the data, so sampling noise does not end training
 * early.
 */
final class ConvergenceCheck {
  private final double tol;
  private final int window;
  private double windowSum;
  private int windowCount;
  private double previousMean = Double.NaN;

  ConvergenceCheck(double tol, int window) {
    this.tol = tol;
    this.window = Math.max(1, window);
  }

  /** Continues from a window saved by {@link #state()}. */
  void restore(ConvergenceWindow state) {
    previousMean = state.previousMean();
    windowSum = state.sum();
    windowCount = state.count();
  }

  ConvergenceWindow state() {
    return new ConvergenceWindow(previousMean, windowSum, windowCount);
  }

  /** Records the loss of one iteration; true when the last two windows differ by less than tol. */
  boolean isConverged(double loss) {
    windowSum += loss;
    windowCount++;
    if (windowCount < window) {
      return false;
    }
    double mean = windowSum / windowCount;
    windowSum = 0;
    windowCount = 0;
    boolean converged = !Double.isNaN(previousMean)
        && Math.abs(previousMean - mean) < tol * Math.max(Math.abs(previousMean), 1e-12);
    previousMean = mean;
    return converged;
  }
}
