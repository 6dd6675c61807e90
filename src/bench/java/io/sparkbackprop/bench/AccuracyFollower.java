package io.sparkbackprop.bench;

import io.sparkbackprop.nn.training.Checkpointer;
import io.sparkbackprop.nn.training.TrainingState;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Follows one training run iteration by iteration until an accuracy target: a {@link Checkpointer}
 * (called after every iteration with {@code checkpointInterval} 1) that measures the accuracy of
 * the current weights on the driver and ends the run once the target is reached. The time spent
 * measuring is left out of every reported time.
 */
final class AccuracyFollower {
  /** What following the run showed; times in seconds from the start of {@link #follow}. */
  record Result(int iterationsToTarget, double secondsToTarget, double bestAccuracy,
      int iterationsRun, double secondsRun) {}

  private final double target;
  private long start;
  private long evalNanos;
  private double bestAccuracy;
  private int iterations;
  private double reachedAt = Double.NaN;
  private int reachedIteration = -1;

  AccuracyFollower(double target) {
    this.target = target;
  }

  /**
   * Runs {@code training}, which stacks the data and trains with a {@link #checkpointer} of this
   * follower, and returns once the target is reached or the training ends. Stacking counts in the
   * times.
   */
  Result follow(Consumer<AccuracyFollower> training) {
    start = System.nanoTime();
    try {
      training.accept(this);
    } catch (TargetReached done) {
      // followed far enough
    }
    double seconds = (System.nanoTime() - start - evalNanos) / 1e9;
    return new Result(reachedIteration, reachedAt, bestAccuracy, iterations, seconds);
  }

  /** The checkpointer to train with; {@code accuracy} maps the current weights to their accuracy. */
  Checkpointer checkpointer(ToDoubleFunction<double[]> accuracy) {
    return (weights, state) -> afterIteration(accuracy, weights, state);
  }

  private void afterIteration(ToDoubleFunction<double[]> accuracy, double[] weights,
      TrainingState state) {
    long evalStart = System.nanoTime();
    double acc = accuracy.applyAsDouble(weights);
    long now = System.nanoTime();
    evalNanos += now - evalStart;
    iterations = state.iterationsDone();
    bestAccuracy = Math.max(bestAccuracy, acc);
    if (acc >= target) {
      reachedIteration = state.iterationsDone();
      // Training time up to the end of this iteration: this evaluation has not started yet.
      reachedAt = (evalStart - start - (evalNanos - (now - evalStart))) / 1e9;
      throw new TargetReached();
    }
  }

  /** Thrown by the checkpointer to end a followed run once the target is reached. */
  private static final class TargetReached extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TargetReached() {
      super(null, null, false, false);
    }
  }
}
