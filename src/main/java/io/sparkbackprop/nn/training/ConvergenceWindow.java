package io.sparkbackprop.nn.training;

import java.io.Serializable;

/**
 * Where the convergence test ({@code tol}) stands, so a resumed run stops where the uninterrupted
 * one would: the mean loss of the last complete window (one epoch of iterations), the partial sums
 * of the current one, and for the plateau rule ({@code lossPatience} > 0) the best window mean so far
 * and how many windows in a row have not improved on it by more than {@code tol}.
 *
 * @param previousMean mean loss of the last complete window, NaN before the first
 * @param sum losses summed so far in the current window
 * @param count iterations so far in the current window
 * @param bestMean lowest window mean so far, +Infinity before the first
 * @param windowsWithoutImprovement complete windows in a row whose mean was not below
 *     {@code bestMean - tol}
 */
public record ConvergenceWindow(double previousMean, double sum, int count, double bestMean,
    int windowsWithoutImprovement) implements Serializable {
  /** The state before any iteration. */
  public static final ConvergenceWindow EMPTY =
      new ConvergenceWindow(Double.NaN, 0, 0, Double.POSITIVE_INFINITY, 0);

  public ConvergenceWindow {
    if (count < 0 || windowsWithoutImprovement < 0) {
      throw new IllegalArgumentException("Invalid convergence window: count " + count
          + ", windows without improvement " + windowsWithoutImprovement);
    }
  }

  /** A window saved before the plateau rule existed: its best and count start afresh. */
  public ConvergenceWindow(double previousMean, double sum, int count) {
    this(previousMean, sum, count, Double.POSITIVE_INFINITY, 0);
  }
}
