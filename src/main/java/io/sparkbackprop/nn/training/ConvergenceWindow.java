package io.sparkbackprop.nn.training;

import java.io.Serializable;

/**
 * Where the convergence test ({@code tol}) stands, so a resumed run stops where the uninterrupted
 * one would: the mean loss of the last complete window and the partial sums of the current one.
 *
 * @param previousMean mean loss of the last complete window, NaN before the first
 * @param sum losses summed so far in the current window
 * @param count iterations so far in the current window
 */
public record ConvergenceWindow(double previousMean, double sum, int count) implements Serializable {
  /** The state before any iteration. */
  public static final ConvergenceWindow EMPTY = new ConvergenceWindow(Double.NaN, 0, 0);

  public ConvergenceWindow {
    if (count < 0) {
      throw new IllegalArgumentException("Invalid convergence window: count " + count);
    }
  }
}
