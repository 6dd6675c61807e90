package io.sparkbackprop.nn.training;

/**
 * Receives the training run every {@code checkpointInterval} iterations, so a failed long job can be
 * resumed from the last checkpoint with {@link TrainingState}.
 */
@FunctionalInterface
public interface Checkpointer {
  void checkpoint(double[] weights, TrainingState state);

  Checkpointer NONE = (weights, state) -> {};
}
