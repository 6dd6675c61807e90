package io.sparkbackprop.nn.training;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a training run exactly where it stopped: the solver and its state,
 * how many iterations ran, the sampling draw counter and, for solvers whose current point may be a
 * line-search trial, the point to evaluate next.
 *
 * @param nextWeights the weights the next evaluation starts from, or null when they equal the model's
 *     weights
 * @param stepScale factor {@code autoStepSize} has applied to the step size so far (1 = none)
 * @param bestValidationLoss best validation loss seen (early stopping), +Infinity if none
 * @param validationsSinceBest validations without improvement since the best one
 */
public record TrainingState(String solver, int iterationsDone, int draw,
    Map<String, double[]> optimizerState, double[] nextWeights, double stepScale,
    double bestValidationLoss, int validationsSinceBest) implements Serializable {

  /** A state with the loop's own bookkeeping at its starting values. */
  public TrainingState(String solver, int iterationsDone, int draw,
      Map<String, double[]> optimizerState, double[] nextWeights) {
    this(solver, iterationsDone, draw, optimizerState, nextWeights, 1.0, Double.POSITIVE_INFINITY, 0);
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
  }
}
