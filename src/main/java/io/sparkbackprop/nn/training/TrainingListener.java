package io.sparkbackprop.nn.training;

/**
 * Called on the driver after every accepted iteration: progress bars, notebooks, custom logging.
 * Implementations must be quick; they run inside the training loop.
 */
@FunctionalInterface
public interface TrainingListener {
  void onIteration(IterationRecord record);

  /** A listener that does nothing. */
  TrainingListener NONE = record -> {};
}
