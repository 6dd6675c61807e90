package io.sparkbackprop.bench;

import java.util.List;

/**
 * A single-node trainer to compare with: PyTorch through DJL ({@code DjlPytorchReference} in
 * {@code src/bench-pytorch/java}, compiled only with the Maven profile {@code bench-pytorch}). The
 * benchmark loads it by name, so the {@code bench} profile alone builds without DJL.
 */
interface ReferenceTrainer {
  /** The implementation the {@code bench-pytorch} profile adds. */
  String IMPLEMENTATION = "io.sparkbackprop.bench.DjlPytorchReference";

  /**
   * The training set on the driver.
   *
   * @param features row-major, {@code rows x width}
   * @param labels class indices
   * @param layers input width, hidden widths, number of classes
   */
  record Problem(float[] features, int[] labels, int rows, int width, int[] layers) {}

  /**
   * How to train: {@code activation} of the hidden layers, Adam with {@code learningRate},
   * shuffled mini-batches of {@code batchSize} rows, {@code threads} intra-op threads, at most
   * {@code maxEpochs} epochs, the training accuracy evaluated {@code evalsPerEpoch} times per epoch;
   * training stops at the end of the epoch in which the accuracy first reaches {@code target}.
   */
  record Settings(String activation, double learningRate, int batchSize, int threads, int maxEpochs,
      int evalsPerEpoch, double target, long seed) {}

  /** A training-accuracy evaluation after {@code epochs} epochs and {@code trainingSeconds} of training. */
  record Evaluation(double epochs, double trainingSeconds, double accuracy) {}

  /**
   * One training run. Training seconds exclude the evaluations; {@code setupSeconds} (tensors from
   * the arrays, model and optimizer creation) is not part of them.
   *
   * @param epochSeconds training seconds of each complete epoch
   * @param secondsToTarget training seconds at the first evaluation reaching the target, NaN if none
   */
  record Run(double setupSeconds, List<Double> epochSeconds, List<Evaluation> evaluations,
      double secondsToTarget, double epochsToTarget) {}

  /** Engine, version and thread settings, for the report. */
  String describe(Settings settings);

  Run train(Problem problem, Settings settings);

  /** The implementation, or an exception saying why it cannot be loaded. */
  static ReferenceTrainer load() throws ReflectiveOperationException {
    return (ReferenceTrainer) Class.forName(IMPLEMENTATION).getDeclaredConstructor().newInstance();
  }
}
