package io.sparkbackprop.ml;

import java.io.Serializable;
import org.apache.spark.ml.classification.TrainingSummary;

/**
 * What happened during {@code fit}: the mean training loss at the start of every iteration (for
 * regressors, in standardised label units) and why training stopped. Implements Spark's
 * {@link TrainingSummary}, so {@code objectiveHistory} and {@code totalIterations} work as for Spark's
 * own models.
 */
public final class BackpropTrainingSummary implements TrainingSummary, Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] objectiveHistory;
  private final String stopReason;

  BackpropTrainingSummary(double[] objectiveHistory, String stopReason) {
    this.objectiveHistory = objectiveHistory.clone();
    this.stopReason = stopReason;
  }

  @Override
  public double[] objectiveHistory() {
    return objectiveHistory.clone();
  }

  @Override
  public int totalIterations() {
    return objectiveHistory.length;
  }

  /** {@code CONVERGED} (the loss stopped changing by more than tol) or {@code MAX_ITER}. */
  public String stopReason() {
    return stopReason;
  }
}
