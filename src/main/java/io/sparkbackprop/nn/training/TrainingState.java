package io.sparkbackprop.nn.training;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a training run exactly where it stopped: the solver and its state,
 * how many iterations ran, the sampling draw counter, the point to evaluate next when it is not the
 * model's weights, and the loop's own bookkeeping (step scale, early stopping, divergence threshold,
 * convergence window).
 *
 * @param nextWeights the weights the next evaluation starts from, or null when they equal the model's
 *     weights (they differ during a line search, and when early stopping kept earlier best weights)
 * @param stepScale factor {@code autoStepSize} has applied to the step size so far (1 = none)
 * @param bestValidationLoss best validation loss seen (early stopping), +Infinity if none
 * @param validationsSinceBest validations without improvement since the best one
 * @param bestWeights the weights that reached {@code bestValidationLoss}, or null
 * @param lastGoodWeights the last accepted point {@code autoStepSize} retreats to on divergence, or
 *     null (then the next point)
 * @param firstLoss the first accepted loss of the run, the reference of the divergence test; NaN if
 *     none yet
 * @param convergence where the {@code tol} test stands
 * @param smoothedValidationLoss the exponential average of the validation losses that patience
 *     counts on ({@link TrainingConfig#validationSmoothing()}); NaN if none yet
 * @param bestSmoothedValidationLoss the best value that average reached, +Infinity if none
 * @param data the training data the run saw ({@link TrainingConfig#data()}), or null if unknown: a
 *     run that continues on other data is a warm start, and early stopping starts afresh there
 */
public record TrainingState(String solver, int iterationsDone, int draw,
    Map<String, double[]> optimizerState, double[] nextWeights, double stepScale,
    double bestValidationLoss, int validationsSinceBest, double[] bestWeights,
    double[] lastGoodWeights, double firstLoss, ConvergenceWindow convergence,
    double smoothedValidationLoss, double bestSmoothedValidationLoss, String data)
    implements Serializable {

  /** A state saved before the data was recorded (format 3): the data is unknown. */
  public TrainingState(String solver, int iterationsDone, int draw,
      Map<String, double[]> optimizerState, double[] nextWeights, double stepScale,
      double bestValidationLoss, int validationsSinceBest, double[] bestWeights,
      double[] lastGoodWeights, double firstLoss, ConvergenceWindow convergence,
      double smoothedValidationLoss, double bestSmoothedValidationLoss) {
    this(solver, iterationsDone, draw, optimizerState, nextWeights, stepScale, bestValidationLoss,
        validationsSinceBest, bestWeights, lastGoodWeights, firstLoss, convergence,
        smoothedValidationLoss, bestSmoothedValidationLoss, null);
  }

  /** Whether a run on {@code current} data continues this one (unknown data on either side: yes). */
  public boolean continuesOn(String current) {
    return data == null || current == null || data.equals(current);
  }

  /**
   * A state saved before patience counted on a smoothed validation loss: without smoothing the
   * average is the latest loss, so its best is the best validation loss.
   */
  public TrainingState(String solver, int iterationsDone, int draw,
      Map<String, double[]> optimizerState, double[] nextWeights, double stepScale,
      double bestValidationLoss, int validationsSinceBest, double[] bestWeights,
      double[] lastGoodWeights, double firstLoss, ConvergenceWindow convergence) {
    this(solver, iterationsDone, draw, optimizerState, nextWeights, stepScale, bestValidationLoss,
        validationsSinceBest, bestWeights, lastGoodWeights, firstLoss, convergence, Double.NaN,
        bestValidationLoss);
  }

  /** A state with the loop's own bookkeeping at its starting values. */
  public TrainingState(String solver, int iterationsDone, int draw,
      Map<String, double[]> optimizerState, double[] nextWeights) {
    this(solver, iterationsDone, draw, optimizerState, nextWeights, 1.0, Double.POSITIVE_INFINITY, 0);
  }

  /** A state without best weights, last good weights, first loss or convergence window. */
  public TrainingState(String solver, int iterationsDone, int draw,
      Map<String, double[]> optimizerState, double[] nextWeights, double stepScale,
      double bestValidationLoss, int validationsSinceBest) {
    this(solver, iterationsDone, draw, optimizerState, nextWeights, stepScale, bestValidationLoss,
        validationsSinceBest, null, null, Double.NaN, ConvergenceWindow.EMPTY);
  }

  public TrainingState {
    if (!(stepScale > 0 && stepScale <= 1) || validationsSinceBest < 0) {
      throw new IllegalArgumentException("Invalid training state: step scale " + stepScale
          + ", validations since best " + validationsSinceBest);
    }
    if (iterationsDone < 0 || draw < 0) {
      throw new IllegalArgumentException("Invalid training state: " + iterationsDone + " iterations, draw "
          + draw);
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    optimizerState.forEach((k, v) -> copy.put(k, v.clone()));
    optimizerState = java.util.Collections.unmodifiableMap(copy);
    nextWeights = nextWeights == null ? null : nextWeights.clone();
    bestWeights = bestWeights == null ? null : bestWeights.clone();
    lastGoodWeights = lastGoodWeights == null ? null : lastGoodWeights.clone();
    convergence = convergence == null ? ConvergenceWindow.EMPTY : convergence;
  }
}
