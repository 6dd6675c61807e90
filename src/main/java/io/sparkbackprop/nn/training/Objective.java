package io.sparkbackprop.nn.training;

import io.sparkbackprop.nn.Network;

/**
 * What the training loop minimises: the weighted loss summed over the training rows. Implementations
 * decide where the rows live (an in-process list of blocks, or cached Spark partitions).
 */
public interface Objective {

  /** The network whose weights are being optimised. */
  Network network();

  /** Whether validation rows exist, so {@code validate} in {@link #evaluate} has an effect. */
  boolean hasValidation();

  /**
   * Sums the weighted loss and its gradient over the training rows sampled for {@code draw} at
   * {@code weights}, and, if {@code validate}, the loss and accuracy over all validation rows in the
   * same pass.
   *
   * @param draw sampling key: every call with a new draw samples afresh (ignored when all rows are used)
   * @param progress where training is, for progress reporting
   */
  GradientSum evaluate(double[] weights, int draw, boolean validate, Progress progress);

  /**
   * Where training is when an evaluation starts.
   *
   * @param stepSize the learning rate this iteration will use (objectives that take local steps
   *     use it for them)
   */
  record Progress(int iteration, int maxIter, double lastLoss, double stepSize) {}
}
